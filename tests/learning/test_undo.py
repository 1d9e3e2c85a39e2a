from __future__ import annotations

from tests.learning.conftest import finish_lessons
from tutor.learning import FixedClock, Learning


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
