"""Pure calculations behind the stats screen and ``nn-tutor stats``: no database, no UI."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

from fsrs import Rating, State

from tutor.learning.clock import Clock, from_ms
from tutor.learning.store import ReviewRow


def forecast(due_ms: Iterable[int], clock: Clock, days: int = 30) -> list[int]:
    """Cards falling due on each of the next ``days`` calendar days; day 0 includes overdue."""
    today = clock.today()
    counts = [0] * days
    for ms in due_ms:
        offset = max(0, (clock.day_of(from_ms(ms)) - today).days)
        if offset < days:
            counts[offset] += 1
    return counts


def heatmap(review_ms: Iterable[int], clock: Clock, days: int = 365) -> dict[str, int]:
    """Reviews per calendar day (ISO date -> count) over the last ``days`` days, non-zero only."""
    first = clock.today() - timedelta(days=days - 1)
    counter = Counter(clock.day_of(from_ms(ms)) for ms in review_ms)
    return {d.isoformat(): n for d, n in sorted(counter.items()) if d >= first}


def true_retention(reviews: Iterable[ReviewRow]) -> float | None:
    """Share of reviews of cards in the Review state that were not rated Again.

    Learning-step reviews are left out, as in Anki's "true retention": they measure short-term
    memory, not whether the scheduled interval held. ``None`` when there is nothing to measure.
    """
    graded = [r.rating != Rating.Again for r in reviews if r.state == State.Review]
    if not graded:
        return None
    return sum(graded) / len(graded)


def streak(activity_ms: Iterable[int], clock: Clock) -> int:
    """Consecutive active days ending today, or yesterday if today has no activity yet."""
    days = {clock.day_of(from_ms(ms)) for ms in activity_ms}
    day: date = clock.today()
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def accuracy(ratings: Iterable[int]) -> float | None:
    """Share of ratings that were not Again; ``None`` for no ratings."""
    values = list(ratings)
    if not values:
        return None
    return sum(r != Rating.Again for r in values) / len(values)
