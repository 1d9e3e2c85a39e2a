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

_SECOND = timedelta(seconds=1)
_DAY_SECONDS = 24 * 3600  # more than any UTC offset (those in use stay within -12 and +14 hours)


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
        """The UTC instant the calendar ``day`` starts in the clock's time zone: its first instant
        that is on that day.

        That is local midnight, converted with that night's own offset, except where daylight
        saving begins at midnight (America/Havana, America/Santiago, Asia/Beirut): that midnight
        never happens, and converting it can land an hour early, on the evening before, which
        would count that evening's reviews and new cards against the next day."""
        midnight = datetime.combine(day, time(), tzinfo=self.tz).astimezone(timezone.utc)
        if self._starts_day(midnight, day):
            return midnight
        return self._first_instant_on(day)

    def _starts_day(self, moment: datetime, day: date) -> bool:
        """Whether ``moment`` is on ``day`` and the second before it is not."""
        return self.day_of(moment) == day and self.day_of(moment - _SECOND) < day

    def _first_instant_on(self, day: date) -> datetime:
        """The first whole second that is on ``day`` or later, found by bisection; offsets and
        their changes fall on whole seconds. A day before UTC's midnight of ``day`` is certainly
        not yet ``day`` locally, a day after it certainly is (no offset reaches a day)."""
        utc_midnight = int(datetime.combine(day, time(), tzinfo=timezone.utc).timestamp())
        before, after = utc_midnight - _DAY_SECONDS, utc_midnight + _DAY_SECONDS
        while after - before > 1:
            middle = (before + after) // 2
            if self.day_of(datetime.fromtimestamp(middle, timezone.utc)) < day:
                before = middle
            else:
                after = middle
        return datetime.fromtimestamp(after, timezone.utc)

    def end_of_today(self) -> datetime:
        return self.start_of(self.today() + timedelta(days=1))


@dataclass
class FixedClock(Clock):
    """A clock that only moves when told to; calendar days in UTC unless ``tz`` is given
    (``None``: the system's local time, as :class:`Clock` keeps it)."""

    at: datetime = field(default_factory=lambda: datetime(2025, 1, 15, 12, tzinfo=timezone.utc))
    tz: tzinfo | None = timezone.utc

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
