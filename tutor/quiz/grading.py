"""Grading choice, multiple-choice, true/false and order answers. No UI, no torch."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


def _rng(seed: object) -> random.Random:
    digest = hashlib.sha256(repr(seed).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def shuffled(items: Sequence[T], seed: object, *, enabled: bool = True) -> list[T]:
    """``items`` in an order fixed by ``seed`` (same seed, same order, on every platform)."""
    out = list(items)
    if enabled and len(out) > 1:
        _rng(seed).shuffle(out)
    return out


def order_puzzle(n: int, seed: object) -> list[int]:
    """A shuffled presentation of ``range(n)`` that is never already solved (when n > 1)."""
    order = list(range(n))
    if n < 2:
        return order
    rng = _rng(seed)
    while order == sorted(order):
        rng.shuffle(order)
    return order


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer.

    ``marks`` says, per option id (or per position for order quizzes), whether the learner got
    that part right, so feedback can explain every option.
    """

    correct: bool
    score: float
    marks: dict[str, bool] = field(default_factory=dict)


def grade_single(option_ids: Sequence[str], answer: str, chosen: str | None) -> Grade:
    marks = {oid: (oid == chosen) == (oid == answer) for oid in option_ids}
    ok = chosen == answer
    return Grade(ok, 1.0 if ok else 0.0, marks)


def grade_multiple(
    option_ids: Sequence[str], answer: Sequence[str], chosen: Sequence[str]
) -> Grade:
    right, picked = set(answer), set(chosen)
    marks = {oid: (oid in picked) == (oid in right) for oid in option_ids}
    score = sum(marks.values()) / len(marks) if marks else 0.0
    return Grade(picked == right, score, marks)


def grade_true_false(answer: bool, chosen: bool | None) -> Grade:
    ok = chosen is not None and chosen == answer
    return Grade(ok, 1.0 if ok else 0.0, {"true": answer is True, "false": answer is False})


def grade_order(arrangement: Sequence[int]) -> Grade:
    """``arrangement[i]`` is the original index of the item the learner put at place ``i``."""
    marks = {str(i): item == i for i, item in enumerate(arrangement)}
    score = sum(marks.values()) / len(marks) if marks else 0.0
    return Grade(list(arrangement) == list(range(len(arrangement))), score, marks)
