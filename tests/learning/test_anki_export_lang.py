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


def test_a_code_box_sets_its_own_text_colour_for_anki_night_mode():
    """Pygments paints a code box's background light inline but leaves names (``layer``, ``x``)
    to the card's text colour: light in Anki's night mode, so they were light on light (QA).
    The box's wrapper carries the class the note type's CSS gives a dark text colour."""
    import re

    library = load_library(FIXTURE_DECKS)
    card = next(c for c in library.review_cards() if c.card.example)
    note = AnkiExporter(library, "en").note(card)
    example = note.fields[2]
    boxes = re.findall(r'<div class="highlight" style="([^"]*)"', example)
    assert boxes and all("background" in style for style in boxes), example
    css = note.model.css
    rule = re.search(r"(?m)^\.highlight[^{]*\{([^}]*)\}", css)
    assert rule and re.search(r"(?<!-)color:\s*#", rule.group(1)), css
