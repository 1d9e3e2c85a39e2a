"""Lesson 11's title names the same thing in English and Chinese: the Transformer's layers.

The lesson opens up ``nn.TransformerEncoderLayer`` and the ``nn.TransformerEncoder`` stack of its
copies, never ``nn.Transformer`` itself; the Chinese title said "Transformer 层" while the English
said "Transformer", the whole model.
"""

from __future__ import annotations

from tutor.decks import DeckLibrary

LAYERS_NAMED = {"en": "Transformer layers", "zh": "Transformer 层"}


def test_both_titles_name_the_transformer_layers(library: DeckLibrary) -> None:
    lesson = next(lesson for lesson in library.lessons if lesson.id == "attention")
    assert isinstance(lesson.title, dict)
    for lang, words in LAYERS_NAMED.items():
        assert words in lesson.title[lang], lesson.title[lang]
