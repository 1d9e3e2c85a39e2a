"""``Learning.record_hints_taken``: the hints of an exercise taken, kept as they are taken (an
attempt keeps them only as of its Check), so a lesson opened again, or the app restarted, shows
them and the next Check counts them."""

from __future__ import annotations

from tutor.learning import Learning
from tutor.learning.service import hints_taken_key

EXERCISE = "tensors.ex-no-bias"


def test_hints_taken_are_kept_per_lesson_and_exercise(learning: Learning) -> None:
    assert learning.hints_taken("tensors", EXERCISE) == 0  # none taken
    learning.record_hints_taken("tensors", EXERCISE, 1)
    learning.record_hints_taken("tensors", EXERCISE, 2)
    assert learning.hints_taken("tensors", EXERCISE) == 2
    assert learning.hints_taken("other-lesson", EXERCISE) == 0
    assert learning.hints_taken("tensors", "tensors.other") == 0


def test_a_hint_once_taken_is_never_taken_back(learning: Learning) -> None:
    """Two views of the same exercise (two nn-tutors) may record counts out of order."""
    learning.record_hints_taken("tensors", EXERCISE, 2)
    learning.record_hints_taken("tensors", EXERCISE, 1)
    assert learning.hints_taken("tensors", EXERCISE) == 2


def test_a_kept_value_that_is_no_count_reads_as_none_taken(learning: Learning) -> None:
    for damaged in ("two", "-3", ""):
        learning.store.set_meta(hints_taken_key("tensors", EXERCISE), damaged)
        assert learning.hints_taken("tensors", EXERCISE) == 0
