"""Calendar days in a zone with daylight saving: each instant gets the offset of its own date.

The system clock's zone comes from ``TZ`` (set here, with ``time.tzset``) or /etc/localtime.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from zoneinfo import ZoneInfo

import pytest

from tests.learning.conftest import NO_FUZZ, finish_lessons
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.learning import FixedClock, Learning, SchedulerSettings
from tutor.learning.clock import Clock
from tutor.learning.stats import heatmap


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is Europe/Berlin (CET in winter, CEST in summer)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("berlin")
def test_one_clock_keeps_summer_and_winter_days_right():
    # One clock, whenever it is made, answers for both halves of the year: a fixed offset taken
    # at its start gets one of them wrong.
    clock = Clock()
    summer_night = datetime(2025, 7, 9, 22, 30, tzinfo=timezone.utc)  # 00:30 CEST on 10 July
    assert clock.day_of(summer_night) == date(2025, 7, 10)
    assert clock.start_of(date(2025, 7, 10)) == datetime(2025, 7, 9, 22, tzinfo=timezone.utc)
    assert clock.start_of(date(2025, 1, 15)) == datetime(2025, 1, 14, 23, tzinfo=timezone.utc)
    # the day after the spring change is 23 hours long
    assert clock.start_of(date(2025, 3, 31)) - clock.start_of(date(2025, 3, 30)) == (
        datetime(2025, 3, 30, 22, tzinfo=timezone.utc)
        - datetime(2025, 3, 29, 23, tzinfo=timezone.utc)
    )


@pytest.mark.usefixtures("berlin")
def test_heatmap_counts_a_summer_night_review_on_its_own_day():
    class Summer(Clock):
        def now(self) -> datetime:
            return datetime(2025, 7, 10, 12, tzinfo=timezone.utc)

    at = datetime(2025, 7, 9, 22, 30, tzinfo=timezone.utc)
    days = heatmap([round(at.timestamp() * 1000)], Summer())
    assert days.get("2025-07-10") == 1 and "2025-07-09" not in days


# Zones where daylight saving begins at local midnight (00:00 becomes 01:00), on those days of
# 2026: that midnight never happens, and the day starts at 01:00 summer time.
MIDNIGHT_SPRING = [
    ("America/Havana", date(2026, 3, 8)),
    ("America/Santiago", date(2026, 9, 6)),
    ("Asia/Beirut", date(2026, 3, 29)),
]


@pytest.fixture(params=MIDNIGHT_SPRING, ids=[zone for zone, _ in MIDNIGHT_SPRING])
def spring_day(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[date]:
    """The process's local zone is one where summer time begins at midnight; the day it does."""
    zone, day = request.param
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    yield day
    monkeypatch.undo()
    time.tzset()


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """That wall-clock time in the system's zone (set by ``spring_day``), as a UTC instant."""
    return datetime(day.year, day.month, day.day, hour, minute).astimezone(timezone.utc)


def test_a_day_without_midnight_starts_at_its_first_instant(spring_day: date):
    eve = spring_day - timedelta(days=1)
    zone = ZoneInfo(os.environ["TZ"])
    for clock in (Clock(), Clock(zone)):  # the system's zone, and the same zone given
        start = clock.start_of(spring_day)
        assert start == datetime.combine(spring_day, dtime(1), tzinfo=zone)  # 01:00 summer time
        assert clock.day_of(start) == spring_day
        assert clock.day_of(start - timedelta(seconds=1)) == eve
        assert clock.start_of(eve) == datetime.combine(eve, dtime(), tzinfo=zone)
        assert start - clock.start_of(eve) == timedelta(hours=24)  # the eve is a whole day
        assert clock.start_of(spring_day + timedelta(days=1)) - start == timedelta(hours=23)


def test_new_cards_started_late_on_the_eve_count_for_the_eve(
    spring_day: date, config: TutorConfig, library: DeckLibrary
):
    eve = spring_day - timedelta(days=1)
    clock = FixedClock(at=local(eve, 12), tz=None)  # the learner's own (system) zone
    two_a_day = SchedulerSettings(enable_fuzzing=False, new_per_day=2)
    with Learning.open(config, library, settings=two_a_day, clock=clock) as learning:
        finish_lessons(learning)
        clock.at = local(eve, 23, 20)
        for card in learning.due_now()[:2]:
            learning.rate(card.id, 4)
        assert learning.new_left_today() == 0  # the eve's two are used
        clock.at = local(spring_day, 9)
        assert learning.new_left_today() == 2  # the next day has its own two


def test_a_card_due_late_on_the_eve_is_due_today_as_the_forecast_says(
    spring_day: date, config: TutorConfig, library: DeckLibrary
):
    eve = spring_day - timedelta(days=1)
    clock = FixedClock(at=local(eve, 23, 10), tz=None)
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        finish_lessons(learning)
        learning.rate(learning.due_now()[0].id, 3)  # Good: the second learning step, 23:20
        assert learning.next_due() == local(eve, 23, 20)
        stats = learning.stats()
        assert stats["due_now"] == 0
        assert stats["due_today"] == stats["forecast"][0] == 1
