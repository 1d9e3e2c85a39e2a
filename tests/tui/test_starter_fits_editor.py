"""An exercise's starter is read whole in the editor at 80×24, in English and in Chinese: the
editor does not wrap, so a line wider than it is cut at the edge (``# three (E, E`` in lesson
11's multi-head exercise) until the learner scrolls sideways. Every exercise of the shipped
lessons is held to it, each opened in turn in one app per language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.widgets import TextArea

from tutor.decks import DeckLoader, model
from tutor.widgets.step_exercise import ExerciseStepView

from .conftest import open_exercise, wait_for

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = [
    step.id
    for lesson in DeckLoader([ROOT / "lessons"]).load().lessons
    for step in lesson.steps
    if isinstance(step, model.ExerciseStep)
]


def test_the_shipped_lessons_have_exercises_to_measure():
    assert len(EXERCISES) > 20 and "l11.ex-mha-by-hand" in EXERCISES


def shown_exercise(screen: Any) -> str | None:
    """The id of the exercise ``screen`` shows, if it shows one."""
    views = screen.query(ExerciseStepView)
    return views.first().step.id if views else None


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_starter_fits_the_editor_at_80_columns(lang, app_factory):
    app = app_factory(lang=lang, decks=[ROOT / "lessons"])
    wide: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        for exercise in EXERCISES:
            await open_exercise(pilot, exercise)  # the last one's view, in the same lesson
            await wait_for(pilot, lambda exercise=exercise: shown_exercise(app.screen) == exercise)
            editor = app.screen.query_one(ExerciseStepView).query_one(TextArea)
            assert not editor.soft_wrap
            width = editor.scrollable_content_region.width - editor.gutter_width
            lines = [line for line in editor.text.splitlines() if cell_len(line) > width]
            if lines:
                wide[exercise] = [f"{width} columns", *lines]
    assert wide == {}, "\n".join(f"{name}: {lines}" for name, lines in wide.items())
