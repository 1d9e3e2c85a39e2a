"""Calendar days in a zone with daylight saving: each instant gets the offset of its own date.

The system clock's zone comes from ``TZ`` (set here, with ``time.tzset``) or /etc/localtime.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timezone

import pytest

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
