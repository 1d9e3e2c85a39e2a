"""An exercise's code is read whole at 80×24, in English and in Chinese. The starter in the
editor: it does not wrap, so a line wider than it is cut at the edge (``# three (E, E`` in
lesson 11's multi-head exercise) until the learner scrolls sideways. The solution (``s``, asked
twice) in its code view: that one wraps, so a wider line breaks mid-expression under the line
number of the line above. Every exercise of the shipped lessons is held to both, each opened
in turn in one app per language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.widgets import TextArea

from tutor.app import TutorApp
from tutor.decks import DeckLoader, model
from tutor.decks.code_comments import localize_comments
from tutor.widgets.code_view import CodeView
from tutor.widgets.step_exercise import ExerciseStepView

from .conftest import open_exercise, wait_for, wrapped_line_numbers

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = [
    step.id
    for lesson in DeckLoader([ROOT / "lessons"]).load().lessons
    for step in lesson.steps
    if isinstance(step, model.ExerciseStep)
]

Measure = Callable[[Any, ExerciseStepView], Awaitable[tuple[str, list[str]]]]
"""What of an exercise's code is too wide where it shows (the pilot, the exercise's view):
the room it has, and the lines wider than that."""


def test_the_shipped_lessons_have_exercises_to_measure():
    assert len(EXERCISES) > 20 and "l11.ex-mha-by-hand" in EXERCISES


def shown_exercise(screen: Any) -> str | None:
    """The id of the exercise ``screen`` shows, if it shows one."""
    views = screen.query(ExerciseStepView)
    return views.first().step.id if views else None


async def wide_lines_of_every_exercise(app: TutorApp, measure: Measure) -> dict[str, list[str]]:
    """Every shipped exercise whose code ``measure`` finds too wide at 80×24: its room and its
    wide lines."""
    wide: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        for exercise in EXERCISES:
            await open_exercise(pilot, exercise)  # the last one's view, in the same lesson
            await wait_for(pilot, lambda exercise=exercise: shown_exercise(app.screen) == exercise)
            room, lines = await measure(pilot, app.screen.query_one(ExerciseStepView))
            if lines:
                wide[exercise] = [room, *lines]
    return wide


async def wide_starter_lines(pilot: Any, view: ExerciseStepView) -> tuple[str, list[str]]:
    """The starter's lines wider than the editor, which cuts them (it does not wrap)."""
    editor = view.query_one(TextArea)
    assert not editor.soft_wrap
    width = editor.scrollable_content_region.width - editor.gutter_width
    return f"{width} columns", [line for line in editor.text.splitlines() if cell_len(line) > width]


async def wide_solution_lines(pilot: Any, view: ExerciseStepView) -> tuple[str, list[str]]:
    """The solution's lines that its code view wraps, shown as a learner asks for it: esc from
    the editor, then ``s`` twice. Read off the drawn rows: each line's first row starts with its
    number, the rows a wrapped line goes on to have none."""
    view.query_one(TextArea).focus()
    await pilot.press("escape", "s", "s")
    solution = view.query_one(".solution", CodeView)
    await wait_for(pilot, lambda: bool(solution.display and solution.content_size.height))
    shown = localize_comments(solution.code, pilot.app.lang).split("\n")
    room = f"{solution.content_size.width} columns with the line numbers"
    return room, [shown[number - 1] for number in wrapped_line_numbers(solution)]


@pytest.fixture
def patient_solution_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second s counts however slowly a loaded machine gets to it (a learner has four
    seconds)."""
    monkeypatch.setattr(ExerciseStepView, "SOLUTION_CONFIRM_S", 60.0)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_starter_fits_the_editor_at_80_columns(lang, app_factory):
    app = app_factory(lang=lang, decks=[ROOT / "lessons"])
    wide = await wide_lines_of_every_exercise(app, wide_starter_lines)
    assert wide == {}, "\n".join(f"{name}: {lines}" for name, lines in wide.items())


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_solution_fits_its_code_view_at_80_columns(
    lang, app_factory, patient_solution_ask
):
    app = app_factory(lang=lang, decks=[ROOT / "lessons"])
    wide = await wide_lines_of_every_exercise(app, wide_solution_lines)
    assert wide == {}, "\n".join(f"{name}: {lines}" for name, lines in wide.items())
