"""A card row damaged by hand (or by a tool) does not lock the learner out.

SQLite keeps whatever is written: a state fsrs has no name for, a stability in words, a due
time that is text. Every command and screen that read such a row failed with a traceback. Now
the card starts again as new, its reviews kept, and one line says which.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.learning.conftest import NO_FUZZ, finish_lessons
from tests.learning.test_bad_stored_settings import command, one_line
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.learning import FixedClock, Learning

# each damage, as the SET clause of an UPDATE of one rated card's row
DAMAGE = {
    "state_7": "state = 7",
    "stability_text": "stability = 'NaN'",
    "stability_negative": "stability = -2.0",
    "difficulty_without_stability": "stability = NULL",
    "step_negative": "step = -1",
    "due_text": "due_ms = 'soon'",
    "last_real": "last_ms = 1.5",
    "state_text": "state = 'review'",
    "review_without_stability": "state = 2, stability = NULL, difficulty = NULL",
    "relearning_without_step": "state = 3, step = NULL",
    "due_in_nanoseconds": "due_ms = due_ms * 1000000",
}


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, config: TutorConfig, library: DeckLibrary, clock: FixedClock) -> str:
    """Two cards rated, then the first one's row damaged as ``request.param``; its key."""
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        finish_lessons(learning)
        first, second = (card.id for card in learning.due_now()[:2])
        learning.rate(first, 3)
        learning.rate(second, 3)
    with sqlite3.connect(config.paths.database) as conn:
        conn.execute(f"UPDATE cards SET {DAMAGE[request.param]} WHERE card_key = ?", (first,))
    conn.close()
    return first


def test_commands_read_it_as_started_over_and_say_so(config, damaged, capsys):
    capsys.readouterr()
    assert command(config, "stats") == 0
    said = one_line(capsys.readouterr().err)
    assert damaged in said and "starts again as new" in said and str(config.paths.database) in said


def test_opening_the_store_starts_it_over_and_keeps_its_reviews(
    config, library, clock, damaged
) -> None:
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        assert learning.notice is not None and damaged in learning.notice
        row = learning.store.card(damaged)
        assert row is not None and row.usable() and row.last_ms is None and row.state == 1
        assert learning.store.review_count() == 2  # its history stays
        assert damaged in [card.id for card in learning.due_now()]
        learning.rate(damaged, 3, shown=learning.shown(damaged))
        assert learning.store.review_count() == 3
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as again:
        assert again.notice is None  # written back as started over: nothing more to say
        assert again.store.card(damaged).last_ms is not None


def test_a_damaged_review_is_left_out_of_the_fit_not_the_fit(config, library, clock, capsys):
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        finish_lessons(learning)
        cards = [card.id for card in learning.due_now()[:3]]
        for card in cards:
            learning.rate(card, 3)
        learning.rate(cards[0], 3)  # a fourth review
    with sqlite3.connect(config.paths.database) as conn:
        conn.execute("UPDATE reviews SET rating = 9 WHERE id = (SELECT min(id) FROM reviews)")
        conn.execute("UPDATE reviews SET at_ms = at_ms * 1000000 WHERE id = 2")  # nanoseconds
        conn.execute(
            "UPDATE reviews SET duration_ms = 'long' WHERE id = (SELECT max(id) FROM reviews)"
        )
    conn.close()
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        logs = learning.review_logs()
        assert [int(log.rating) for log in logs] == [3, 3] and logs[-1].review_duration is None
    capsys.readouterr()
    command(config, "optimize")
    assert "Traceback" not in capsys.readouterr().err
