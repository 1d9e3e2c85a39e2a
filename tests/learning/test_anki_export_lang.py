"""The exported card template speaks the export's language; the note type and notes stay the same
ones (one model id, GUIDs from the card id), so re-importing in another language updates them."""

from __future__ import annotations

from tests.learning.conftest import FIXTURE_DECKS, load_library
from tutor.i18n import tr
from tutor.learning.anki_export import MODEL_ID, AnkiExporter, guid_for


def test_example_label_is_in_the_export_language():
    library = load_library(FIXTURE_DECKS)
    card = next(c for c in library.review_cards() if c.card.example)
    notes = {lang: AnkiExporter(library, lang).note(card) for lang in ("en", "zh")}
    answers = {lang: note.model.templates[0]["afmt"] for lang, note in notes.items()}
    assert ">示例<" in answers["zh"] and ">Example<" not in answers["zh"]
    assert f">{tr('anki.example_label', 'en')}<" in answers["en"]
    for note in notes.values():
        assert note.model.model_id == MODEL_ID
        assert note.guid == guid_for(card.card.id)
