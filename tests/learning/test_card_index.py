"""``CardIndex.of_deck`` gives what ``DeckLibrary.review_cards(deck_id)`` gives, without building
every card of the library for each lesson the course map and the stats read."""

from __future__ import annotations

from tests.learning.conftest import load_library
from tutor.decks import DeckLoader
from tutor.learning.queue import CardIndex
from tutor.paths import shipped_root


def test_of_deck_is_review_cards_of_that_deck_for_every_id():
    root = shipped_root()
    for library in (load_library(), DeckLoader([root / "lessons", root / "cards"]).load()):
        index = CardIndex(library)
        ids = [d.id for d in [*library.lessons, *library.card_decks]] + ["no-such-deck"]
        for deck_id in ids:
            assert index.of_deck(deck_id) == library.review_cards(deck_id), deck_id
        assert any(index.of_deck(lesson.id) for lesson in library.lessons)
