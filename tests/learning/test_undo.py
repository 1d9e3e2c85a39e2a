from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from tests.learning.conftest import NO_FUZZ, finish_lessons
from tutor.learning import FixedClock, Learning, ReviewSuperseded


def test_undo_restores_the_card_exactly(learning: Learning, clock: FixedClock):
    card = "tensors.card-count"
    learning.rate(card, 3)
    clock.advance(minutes=10)
    learning.rate(card, 3)
    before = learning.store.card(card)
    clock.advance(days=3)
    learning.rate(card, 1)
    assert learning.store.card(card) != before

    assert learning.undo() == card
    assert learning.store.card(card) == before
    assert learning.store.review_count() == 2


def test_undo_of_a_first_rating_makes_the_card_new_again(learning: Learning):
    card = "tensors.card-bias"
    finish_lessons(learning)
    learning.rate(card, 4)
    assert card not in [c.id for c in learning.due_now()]
    assert learning.new_left_today() == 19
    assert learning.undo() == card
    assert learning.store.card(card) is None
    assert card in [c.id for c in learning.due_now()]
    assert learning.new_left_today() == 20


def test_undo_walks_back_in_order_then_returns_none(learning: Learning):
    learning.introduce_card("tensors.card-weight")
    introduced = learning.store.card("tensors.card-weight")
    learning.rate("tensors.card-weight", 3)
    learning.rate("tensors.card-call", 2)
    assert learning.undo() == "tensors.card-call"
    assert learning.undo() == "tensors.card-weight"
    assert learning.store.card("tensors.card-weight") == introduced  # still introduced
    assert learning.undo() is None
    assert learning.store.review_count() == 0


def test_undo_only_touches_this_sessions_ratings(config, library, clock, learning: Learning):
    with Learning.open(config, library, clock=clock) as other:
        other.rate("tensors.card-call", 3)
        assert learning.undo() is None
        assert learning.store.review_count() == 1


def newest_review_ms(learning: Learning, card: str) -> int:
    row = learning.store.conn.execute(
        "SELECT max(r.at_ms) FROM reviews r JOIN cards c ON c.id = r.card_id WHERE c.card_key = ?",
        (card,),
    ).fetchone()
    return int(row[0])


def test_undo_leaves_a_card_another_nn_tutor_rated_since(
    config, library, clock: FixedClock, learning: Learning
):
    """Undoing a rating another nn-tutor has rated over would put back the state before this
    one's rating, under the other's newer review: the card would no longer match its newest
    review. The other's rating stands, and this one can no longer be undone."""
    card = "tensors.card-count"
    learning.rate(card, 3)
    clock.advance(minutes=10)
    learning.rate(card, 3)
    later = FixedClock(at=clock.at + timedelta(hours=1))
    with Learning.open(config, library, settings=NO_FUZZ, clock=later) as other:
        other.rate(card, 4)
        theirs = other.store.card(card)
    assert theirs is not None

    with pytest.raises(ReviewSuperseded):
        learning.undo()
    assert learning.store.card(card) == theirs
    assert theirs.last_ms == newest_review_ms(learning, card)
    assert learning.store.review_count() == 3
    with pytest.raises(ReviewSuperseded):  # this session's first rating lies under theirs too
        learning.undo()
    assert learning.undo() is None  # nothing is left to undo
    assert learning.store.card(card) == theirs


def test_undo_goes_on_past_a_rating_rated_over(
    config, library, clock: FixedClock, learning: Learning
):
    """The rating before the one rated over is undone by the next undo, as usual."""
    learning.introduce_card("tensors.card-weight")
    introduced = learning.store.card("tensors.card-weight")
    learning.rate("tensors.card-weight", 3)
    learning.rate("tensors.card-count", 3)  # its first rating: undoing it would delete the card
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as other:
        other.rate("tensors.card-count", 1)
        theirs = other.store.card("tensors.card-count")

    with pytest.raises(ReviewSuperseded):
        learning.undo()
    assert learning.store.card("tensors.card-count") == theirs
    assert learning.undo() == "tensors.card-weight"
    assert learning.store.card("tensors.card-weight") == introduced


def test_undo_of_a_rating_whose_newer_review_was_undone_works(
    config, library, clock: FixedClock, learning: Learning
):
    """A review is undoable again once it is its card's newest again."""
    card = "tensors.card-count"
    learning.rate(card, 3)
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as other:
        other.rate(card, 1)
        assert other.undo() == card
    assert learning.undo() == card
    assert learning.store.card(card) is None


def test_an_undo_that_could_not_be_written_is_still_there_to_undo(learning: Learning):
    """Another nn-tutor holds the write lock (past the busy timeout) when the learner undoes: the
    undo fails and changes nothing. Trying again once the lock is free undoes that same rating,
    not the one before it."""
    learning.rate("tensors.card-count", 3)
    learning.rate("tensors.card-bias", 4)
    learning.store.conn.execute("PRAGMA busy_timeout = 0")  # fail at once, not after 10 s
    other = sqlite3.connect(learning.store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError):
            learning.undo()
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert learning.store.review_count() == 2
    assert learning.undo() == "tensors.card-bias"
    assert learning.undo() == "tensors.card-count"
    assert learning.undo() is None


def test_a_new_card_rated_again_after_its_undo_is_no_longer_new(learning: Learning):
    """Undoing a new card's first rating removes its row; rating it again adds one with the same
    row id (SQLite reuses the largest). The known cards must still see it: it was offered as a
    new card again, over and over, after "rate, undo, rate"."""
    finish_lessons(learning)
    card = learning.due_now()[0].id
    learning.rate(card, 3)
    assert card not in [c.id for c in learning.due_now()]
    assert learning.undo() == card
    assert card in [c.id for c in learning.due_now()]
    learning.rate(card, 3)
    assert card not in [c.id for c in learning.due_now()]
