"""Drawing a game's next round: a kind at random, never the kind of the round just played."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import TypeVar

Round = TypeVar("Round")


def draw_round(
    rng: random.Random,
    makers: Mapping[str, Callable[[random.Random], Round]],
    kind: str | None = None,
    *,
    after: str | None = None,
) -> Round:
    """A round of ``kind``, or of a kind drawn from ``makers``. A kind drawn is never ``after``
    (the last round's): drawn afresh, the same puzzle came twice in a row about one round in
    sixty, and the same kind one in six, which a learner reads as the game being stuck."""
    if kind is None:
        kinds = [name for name in sorted(makers) if name != after] or sorted(makers)
        kind = rng.choice(kinds)
    return makers[kind](rng)
