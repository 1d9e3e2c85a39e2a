"""Every ``**`` in the course's Markdown prose is bold as shown, none left standing as written.

CommonMark closes ``**`` after a punctuation mark only before a space or another punctuation
mark, so ``每个**键（key）**是`` shows its asterisks: Chinese puts no space after ``）`` or ``。``.
Bold that ends in punctuation is written with the punctuation outside (``**键**（key）是``)."""

from __future__ import annotations

from tests.content.test_markdown_dunders import MARKDOWN_FIELDS, PARSER
from tutor.decks import DeckLibrary, model
from tutor.decks.walk import iter_text_fields


def literal_asterisks(library: DeckLibrary) -> list[str]:
    """Each Markdown text's pieces that show ``**`` as written, named by deck, field, language."""
    found: list[str] = []
    for deck in [*library.lessons, *library.card_decks]:
        for _, _, path, text in iter_text_fields(deck):
            if model.field_name(path) not in MARKDOWN_FIELDS:
                continue
            for lang, written in (text if isinstance(text, dict) else {"": text}).items():
                for block in PARSER.parse(written):
                    for token in block.children or []:
                        if token.type == "text" and "**" in token.content:
                            found.append(f"{deck.id} {path} {lang}: {token.content[:50]!r}")
    return found


def test_no_bold_is_left_as_written(library: DeckLibrary) -> None:
    assert literal_asterisks(library) == []


def test_a_bold_closed_after_chinese_punctuation_is_caught() -> None:
    deck = model.CardDeck(
        id="md",
        title="t",
        cards=[
            model.Card(id="md.c", front={"en": "**key** is", "zh": "每个**键（key）**是"}, back="b")
        ],
    )
    library = DeckLibrary(card_decks=[deck])
    assert [line.split(":")[0] for line in literal_asterisks(library)] == ["md cards[0].front zh"]
