"""QA 38: what a review sitting reads besides its queue.

``seconds_per_review``: the learner's median time a rating, for the estimate of a long sitting.
``session_steps``: the learning steps that come due during a sitting (read once, its queue held a
card rated Again back until the whole backlog was done).
"""

from __future__ import annotations

from datetime import timedelta

from tests.learning.conftest import finish_lessons
from tutor.learning import Learning


def test_pace_is_the_median_of_timed_ratings(learning: Learning) -> None:
    finish_lessons(learning)  # the deck cards are on offer
    assert learning.seconds_per_review() is None  # nothing timed yet: the screen says a default
    cards = learning.due_now()
    assert len(cards) >= 3
    for card, duration_ms in zip(cards, (4000, 6000, 600_000), strict=False):
        learning.rate(card.id, 3, duration_ms)
    # a card left on screen ten minutes does not make every card take minutes
    assert learning.seconds_per_review() == 6.0


def test_pace_leaves_out_untimed_ratings(learning: Learning) -> None:
    finish_lessons(learning)  # the deck cards are on offer
    first, second = learning.due_now()[:2]
    learning.rate(first.id, 3, None)
    assert learning.seconds_per_review() is None
    learning.rate(second.id, 3, 7000)
    assert learning.seconds_per_review() == 7.0


def test_steps_due_now_and_coming_back_within_the_sitting(learning: Learning) -> None:
    finish_lessons(learning)  # the deck cards are on offer
    first, second, third = learning.due_now()[:3]
    learning.rate(first.id, 1)  # learning step: 1 min
    learning.rate(second.id, 3)  # second step: 10 min
    steps = learning.session_steps(within=timedelta(minutes=5))
    assert steps.due == [] and steps.later == [first.id]
    learning.clock.advance(minutes=2)
    steps = learning.session_steps(within=timedelta(minutes=30))
    assert [card.id for card in steps.due] == [first.id]
    assert steps.later == [second.id]
    assert third.id not in steps.later  # never rated: a new card, not a step coming back
