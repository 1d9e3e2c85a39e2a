"""Where "now" comes from, so tests and snapshots can freeze time.

Every timestamp the learning state stores is timezone-aware UTC (what ``fsrs`` requires). Calendar
questions ("due today", streaks, the heatmap) are asked in the clock's own time zone, the learner's
local one by default.

The local zone is the system's (``TZ``, else /etc/localtime) with its offset looked up for each
instant, never one offset taken at start: across a daylight-saving change that would put the
reviews of a summer night on the wrong day and start every summer day an hour off.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo


class Clock:
    """The system clock; calendar days in the local time zone.

    ``tz`` ``None`` is the system's local time: ``datetime.astimezone(None)`` and a naive local
    datetime's ``astimezone`` ask the C library for the offset in force at that very instant."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        self.tz: tzinfo | None = tz

    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return self.now().astimezone(self.tz).date()

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def start_of(self, day: date) -> datetime:
        """The UTC instant the calendar ``day`` starts in the clock's time zone (with no ``tz``,
        a naive local midnight, converted with that night's own offset)."""
        return datetime.combine(day, time(), tzinfo=self.tz).astimezone(timezone.utc)

    def end_of_today(self) -> datetime:
        return self.start_of(self.today() + timedelta(days=1))


@dataclass
class FixedClock(Clock):
    """A clock that only moves when told to; calendar days in UTC unless ``tz`` is given."""

    at: datetime = field(default_factory=lambda: datetime(2025, 1, 15, 12, tzinfo=timezone.utc))
    tz: tzinfo = timezone.utc

    def now(self) -> datetime:
        return self.at.astimezone(timezone.utc)

    def advance(self, **delta: float) -> datetime:
        self.at = self.at + timedelta(**delta)
        return self.at


def to_ms(moment: datetime) -> int:
    """UTC epoch milliseconds: how the store keeps every instant (exact, sortable, indexable)."""
    return round(moment.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
