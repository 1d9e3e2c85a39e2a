"""New cards come in course order: the welcome deck (lesson 0) first, as the Anki export
numbers the decks, not in file order, where ``welcome.yaml`` sorts after ``11-….yaml`` (QA)."""

from __future__ import annotations

from pathlib import Path

from tests.learning.conftest import NO_FUZZ, finish_lessons
from tutor.config import TutorConfig
from tutor.decks import load_for_command
from tutor.learning import FixedClock, Learning, SchedulerSettings
from tutor.learning.anki_export import deck_names


def deck_runs(deck_ids: list[str]) -> list[str]:
    """Each deck once, in the order its first card comes."""
    return list(dict.fromkeys(deck_ids))


def test_new_cards_come_deck_by_deck_in_the_anki_exports_order(tmp_path: Path) -> None:
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")
    settings = SchedulerSettings(enable_fuzzing=False, new_per_day=1000)
    with Learning.open(
        config, load_for_command([], config), settings=settings, clock=FixedClock()
    ) as learning:
        finish_lessons(learning)
        queue = learning.due_now()
        library = learning.library
        card_decks = {deck.id for deck in library.card_decks}
        exported = [deck_id for deck_id in deck_names(library) if deck_id in card_decks]
        offered = deck_runs([card.deck_id for card in queue])
        assert offered == exported, offered
        # the welcome tour's cards first, and no deck split in two
        assert library.card_deck(offered[0]).lesson == library.lessons[0].id
        assert len(offered) == len(card_decks)
        # each deck's cards in the deck's own order
        for deck in library.card_decks:
            assert [c.id for c in queue if c.deck_id == deck.id] == [c.id for c in deck.cards]


def test_the_first_new_cards_of_a_course_are_the_welcome_decks(tmp_path: Path) -> None:
    """With only the first lessons finished, today's new cards start with lesson 0's deck."""
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")
    library = load_for_command([], config)
    with Learning.open(config, library, settings=NO_FUZZ, clock=FixedClock()) as learning:
        for lesson in library.lessons[:3]:
            for index in range(len(lesson.steps)):
                learning.mark_step_seen(lesson.id, index)
        welcome = [d for d in library.card_decks if d.lesson == library.lessons[0].id]
        assert welcome, "the course has a card deck for its lesson 0"
        queue = learning.due_now()
        first = [c.id for c in queue[: len(welcome[0].cards)]]
        assert first == [c.id for c in welcome[0].cards]
