"""A quiz's and an exercise's verdict read at 4.5:1 on every theme the tutor offers, as the
games' do (test_game_verdict_contrast): "Not quite." and its cheer were drawn in the terminal's plain red
and green (3.0-4.1:1 on the dark themes, 3.2-3.9:1 on the light ones), their asides dimmed,
and inline code in cyan (3.2-4.0:1 on the light themes). Measured in the real feedback widget,
right and wrong; and after a theme change, which must redraw the verdict in the new colours."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.conftest import (
    check_exercise,
    drawn_pieces,
    feedback_low,
    open_exercise,
    stands_out,
    themed_app,
    unreadable,
    wait_for,
)
from tutor.quiz.grading import Grade
from tutor.screens.lesson import LessonScreen
from tutor.theme_styles import READABLE, THEMES
from tutor.widgets.choice_list import ChoiceList
from tutor.widgets.quiz_base import QuizView

QUIZZES = (2, 3, 4, 5, 6)
"""The fixture lesson's quiz steps: single, multiple, true/false, predict, order."""

RIGHT = "layer = nn.Linear(3, 1, bias=False)\n"
WRONG = "layer = nn.Linear(3, 1)\n"  # the check says "layer still has a bias"


async def quizzes_low(pilot: Any) -> list[str]:
    """Each quiz of the fixture lesson graded wrong, then right: what its feedback draws low."""
    app = pilot.app
    app.open_lesson("tui-basics", step=0)
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    screen = app.screen
    low = []
    for step in QUIZZES:
        screen.index = step
        await wait_for(pilot, lambda: bool(screen.query(QuizView)))
        view = screen.query_one(QuizView)
        view.state.update(answer="(2, 4)", truth="torch.Size([4, 2])")  # a predict's answer
        for correct in (False, True):
            view.show_grade(Grade(correct=correct, score=float(correct)), scroll=False)
            await pilot.pause()
            low += feedback_low(
                view, ".feedback", f"quiz step {step} {'right' if correct else 'wrong'}"
            )
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
    return low


async def exercise_low(pilot: Any) -> list[str]:
    """The fixture's exercise checked wrong (the check's message names `bias`), then right."""
    view = await open_exercise(pilot, "tui-basics.ex")
    low = []
    for code, what in ((WRONG, "failed"), (RIGHT, "passed")):
        await check_exercise(pilot, view, code)
        await pilot.pause()
        low += feedback_low(view, ".feedback", f"exercise {what}")
    return low


@pytest.mark.parametrize("theme", THEMES)
async def test_a_quizs_and_an_exercises_verdict_read_on_every_theme(tmp_path, theme: str) -> None:
    async with themed_app(tmp_path, theme) as pilot:
        low = await quizzes_low(pilot)
        low += await exercise_low(pilot)
        assert not low, "\n".join([theme, f"(text needs {READABLE}:1)", *low])


@pytest.mark.parametrize(
    "first, then", [("tokyo-night", "solarized-light"), ("textual-light", "nord")]
)
async def test_a_quizs_and_an_exercises_verdict_follow_a_theme_change(
    tmp_path, first: str, then: str
) -> None:
    """Answered wrong on one theme, then the theme switched: the verdict drawn in the first
    theme's colours (a dark theme's light red, a light theme's dark one) would stay."""
    async with themed_app(tmp_path, first) as pilot:
        app = pilot.app
        exercise = await open_exercise(pilot, "tui-basics.ex")
        await check_exercise(pilot, exercise, WRONG)
        app.theme = then
        await pilot.pause()
        low = feedback_low(exercise, ".feedback", f"exercise after {first} -> {then}")
        app.theme = first
        lesson = app.screen
        lesson.index = 2  # the single-choice quiz, graded wrong
        await wait_for(pilot, lambda: bool(lesson.query(QuizView)))
        quiz = lesson.query_one(QuizView)
        quiz.show_grade(Grade(correct=False, score=0.0), scroll=False)
        await pilot.pause()
        app.theme = then
        await pilot.pause()
        low += feedback_low(quiz, ".feedback", f"quiz after {first} -> {then}")
        assert not low, "\n".join(low)


@pytest.mark.parametrize("theme", THEMES)
async def test_a_graded_quizs_options_read_on_every_theme(tmp_path, theme: str) -> None:
    """A graded quiz's list, its ✅ and ❌ marks drawn, the focus moved off it to "Try again":
    its highlighted row in the colours of a list without focus (Textual's read 3.3-4.4:1 on
    four themes), and the other rows; then focused again. The highlighted row stands out as
    far as Textual's does (a fading made readable stood 1.11:1 from the rest)."""
    async with themed_app(tmp_path, theme) as pilot:
        app = pilot.app
        app.open_lesson("tui-basics", step=0)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        low: list[str] = []
        for step in (2, 3, 6):  # single, multiple (its options are code), order
            lesson.index = step
            await wait_for(pilot, lambda: bool(lesson.query(QuizView)))
            view = lesson.query_one(QuizView)
            view.finish(Grade(correct=False, score=0.0), [])
            await pilot.pause()
            options = view.query_one(ChoiceList)
            for focused in (False, True):
                if focused:
                    options.focus()
                await pilot.pause()
                assert options.has_focus == focused and options.highlighted is not None
                state = "focused" if focused else "blurred"
                assert drawn_pieces(options), step
                low += unreadable(options, f"quiz step {step} graded, {state}")
                stands_out(options, theme, f"quiz step {step} graded, {state}")
        assert not low, "\n".join([theme, f"(text needs {READABLE}:1)", *low])
