"""FSRS scheduling through the ``fsrs`` package, over the store's :class:`CardRow`.

No scheduling maths lives here: :class:`ReviewScheduler` converts rows to ``fsrs.Card`` objects
(using the row's stable integer id, never fsrs' time-based default), asks ``fsrs.Scheduler``, and
converts back. Button labels come from a fuzz-free twin of the scheduler, so they are stable and
match what Anki shows (Anki's buttons show unfuzzed intervals too).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

from tutor.learning.clock import from_ms, to_ms
from tutor.learning.store import CardRow

RATINGS: tuple[int, ...] = tuple(int(r) for r in Rating)
MAX_INTERVAL_DAYS = 36500  # FSRS's own default: a century
MAX_STEP_MIN = 525_600.0  # a (learning) step of a year is already absurd


class SettingsError(ValueError):
    """A setting out of its range: ``key`` names the catalog line that says so in the learner's
    language (``settings.error.KEY``, formatted with ``values``); the English stays the message."""

    def __init__(self, message: str, key: str, **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class SchedulerSettings:
    """Learner-tunable scheduling settings. Steps are in minutes; intervals in days."""

    desired_retention: float = 0.9
    learning_steps_min: tuple[float, ...] = (1.0, 10.0)
    relearning_steps_min: tuple[float, ...] = (10.0,)
    maximum_interval_days: int = 36500
    enable_fuzzing: bool = True
    new_per_day: int = 20
    parameters: tuple[float, ...] | None = field(default=None)  # None: FSRS-6 defaults

    def __post_init__(self) -> None:
        if not 0.7 <= self.desired_retention <= 0.99:
            raise SettingsError("desired retention must be between 0.70 and 0.99", "retention")
        if self.new_per_day < 0:
            raise SettingsError("new_per_day must be >= 0", "new_per_day")
        if not 1 <= self.maximum_interval_days <= MAX_INTERVAL_DAYS:
            raise SettingsError(
                f"the maximum interval must be 1 to {MAX_INTERVAL_DAYS} days",
                "max_interval",
                days=MAX_INTERVAL_DAYS,
            )
        for step in (*self.learning_steps_min, *self.relearning_steps_min):
            # NaN fails both comparisons; a step past a year would overflow a review's datetime
            if not 0 < step <= MAX_STEP_MIN:
                raise SettingsError(
                    f"steps must be positive minutes, at most {MAX_STEP_MIN:.0f}",
                    "steps",
                    minutes=int(MAX_STEP_MIN),
                )

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SchedulerSettings:
        """Settings from their JSON; raises on anything that cannot be used as it is."""
        settings, unreadable = cls.from_stored(text)
        if unreadable:
            raise ValueError(f"settings that cannot be used: {', '.join(unreadable)}")
        return settings

    @classmethod
    def from_stored(cls, text: str) -> tuple[SchedulerSettings, list[str]]:
        """Settings as kept in the store, and the names of those that could not be used (bad
        JSON, a wrong type, out of range, parameters fsrs refuses), left at their defaults: a
        value an older or newer nn-tutor (or a hand) kept must not lock the learner out of
        their progress, and the settings that can still be read stay as the learner set them.
        Unknown keys (from a newer nn-tutor) are ignored."""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return cls(), ["scheduler_settings"]
        settings, unreadable = cls(), []
        for name, value in data.items():
            if name not in _STORED_TYPES:
                continue
            try:
                settings = settings.with_stored(name, value)
            except (TypeError, ValueError):
                settings = replace(settings, **{name: getattr(cls(), name)})
                unreadable.append(name)
        return settings, unreadable

    def with_stored(self, name: str, value: object) -> SchedulerSettings:
        """These settings with one setting as kept in the store (its JSON value) in place.

        Raises TypeError or ValueError on a value that cannot be used: a wrong type, out of its
        range, or parameters this fsrs refuses (their count and bounds are fsrs' to judge)."""
        settings = replace(self, **{name: _STORED_TYPES[name](value)})
        if name == "parameters":
            ReviewScheduler(settings)
        return settings


def _number(value: object) -> float:
    """A stored number as a float; JSON's ``true``/``false`` are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    return float(value)


def _whole(value: object) -> int:
    """A stored whole number (a count of days or cards)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not a whole number: {value!r}")
    return value


def _numbers(value: object) -> tuple[float, ...]:
    """A stored list of numbers (steps, parameters) as the tuple the settings hold."""
    if not isinstance(value, list):
        raise TypeError(f"not a list: {value!r}")
    return tuple(_number(item) for item in value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"not true or false: {value!r}")
    return value


def _parameters(value: object) -> tuple[float, ...] | None:
    """Stored FSRS parameters (``None``: fsrs' defaults); raises on a value of the wrong type."""
    return None if value is None else _numbers(value)


_STORED_TYPES: dict[str, Callable[[object], object]] = {
    "desired_retention": _number,
    "learning_steps_min": _numbers,
    "relearning_steps_min": _numbers,
    "maximum_interval_days": _whole,
    "enable_fuzzing": _flag,
    "new_per_day": _whole,
    "parameters": _parameters,
}
"""Each stored setting -> what checks its JSON type and converts it to the field's."""


def _fsrs_scheduler(settings: SchedulerSettings, fuzz: bool) -> Scheduler:
    extra = {"parameters": settings.parameters} if settings.parameters else {}
    return Scheduler(
        desired_retention=settings.desired_retention,
        learning_steps=tuple(timedelta(minutes=m) for m in settings.learning_steps_min),
        relearning_steps=tuple(timedelta(minutes=m) for m in settings.relearning_steps_min),
        maximum_interval=settings.maximum_interval_days,
        enable_fuzzing=fuzz,
        **extra,
    )


def to_fsrs(row: CardRow) -> Card:
    return Card(
        card_id=row.id,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=from_ms(row.due_ms),
        last_review=from_ms(row.last_ms) if row.last_ms is not None else None,
    )


def apply_fsrs(row: CardRow, card: Card, content_hash: str) -> CardRow:
    return replace(
        row,
        content_hash=content_hash,
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_ms=to_ms(card.due),
        last_ms=to_ms(card.last_review) if card.last_review else None,
    )


class ReviewScheduler:
    """FSRS for stored cards: rate, preview the four outcomes, predict recall."""

    def __init__(self, settings: SchedulerSettings | None = None) -> None:
        self.settings = settings or SchedulerSettings()
        self._fsrs = _fsrs_scheduler(self.settings, self.settings.enable_fuzzing)
        self._preview = _fsrs_scheduler(self.settings, fuzz=False)

    def rate(self, row: CardRow, rating: int, now: datetime, content_hash: str) -> CardRow:
        """The row after ``rating`` at ``now``; the content hash becomes the one just seen."""
        card, _log = self._fsrs.review_card(to_fsrs(row), Rating(rating), review_datetime=now)
        return apply_fsrs(row, card, content_hash)

    def intervals(self, row: CardRow, now: datetime) -> dict[int, timedelta]:
        """How long until the card is due again after each rating (unfuzzed)."""
        card = to_fsrs(row)
        result: dict[int, timedelta] = {}
        for rating in Rating:
            after, _ = self._preview.review_card(card, rating, review_datetime=now)
            result[int(rating)] = after.due - now
        return result

    def retrievability(self, row: CardRow, now: datetime) -> float:
        """FSRS' predicted probability of recalling the card now (0 if never rated)."""
        return float(self._fsrs.get_card_retrievability(to_fsrs(row), current_datetime=now))


_INTERVAL_LABEL = re.compile(r"(\d+(?:\.\d+)?)(mo|s|m|h|d|y)")


def split_interval(label: str) -> tuple[str, str] | None:
    """``(number, unit)`` of a :func:`format_interval` label (``"1.5mo"`` -> ``("1.5", "mo")``),
    for showing it in words; ``None`` for any other text."""
    match = _INTERVAL_LABEL.fullmatch(label)
    return (match[1], match[2]) if match else None


def format_interval(delta: timedelta) -> str:
    """Anki-style short interval: ``45s``, ``10m``, ``3h``, ``4d``, ``1.5mo``, ``2.1y``.

    A unit is used while its rounded number stays below the next unit (59.7 minutes is ``1h``,
    not ``60m``)."""
    seconds = max(0.0, delta.total_seconds())
    if round(seconds) < 60:
        return f"{round(seconds)}s"
    minutes = seconds / 60
    if round(minutes) < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if round(hours) < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if round(days) < 30:
        return f"{round(days)}d"
    if round(days / 30, 1) < 12:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
