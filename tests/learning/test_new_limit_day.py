"""The new-cards-per-day limit counts the cards started on the day itself, and no others.

A clock that ran ahead for a session (a month, say) and was then put right leaves first ratings
dated in the future: they are not of today, and must not use up today's new cards (nor those of
every day until real time catches up with them).
"""

from __future__ import annotations

from datetime import timedelta

from tests.learning.conftest import finish_lessons
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.learning import FixedClock, Learning, SchedulerSettings

ONE_A_DAY = SchedulerSettings(enable_fuzzing=False, new_per_day=1)


def test_cards_started_under_a_clock_run_ahead_do_not_use_up_today(
    config: TutorConfig, library: DeckLibrary, clock: FixedClock
):
    today = clock.at
    with Learning.open(config, library, settings=ONE_A_DAY, clock=clock) as learning:
        finish_lessons(learning)
        clock.at = today + timedelta(days=30)  # the clock ran a month ahead
        ahead = learning.due_now()[0]
        learning.rate(ahead.id, 3)
        assert learning.new_left_today() == 0  # that (wrong) day's one new card is used
        clock.at = today  # put right
        for _day in range(3):
            assert learning.new_left_today() == 1
            started = [c for c in learning.due_now() if learning.store.card(c.id) is None]
            assert len(started) == 1 and learning.stats()["new_available"] == 1
            clock.advance(days=1)
