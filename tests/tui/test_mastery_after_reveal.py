"""A right answer given after the answer was shown in that sitting (a quiz tried again under the
feedback of a wrong try, which marks the right option; an exercise checked after its solution was
viewed) is shown right, with a line saying why it is not passed yet, and stays on "Still to pass"
with a lower mastery than a learner who got it right first. Coming back to the quiz later (the
lesson opened afresh) shows it fresh, not its old feedback with the right option marked, and
answering right then passes it; the exercise's kept code (the solution pasted) is still no pass
until the starter is put back. The progress store is the real one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tutor.i18n import tr
from tutor.screens.lesson import LessonScreen

from .conftest import SIZE, make_app, ready, screen_text, wait_for
from .test_reopened_steps import EXERCISE, LESSON, SINGLE, check_code, leave_and_reopen
from .test_tui_flows import open_basics

QUIZ = f"{LESSON}.q-single"
EXERCISE_ID = f"{LESSON}.ex"
NOT_YET_QUIZ = "The answer was on screen before this try"
NOT_YET_EXERCISE = "It counts once you pass it without the solution showing"
SOLVED = "layer = nn.Linear(3, 1, bias=False)\n"


async def recorded_right(pilot: Any, item_id: str) -> Any:
    """The check's last attempt once the store has a right one (answers are written in the
    background, after the wrong one)."""
    for _ in range(200):
        attempt = await pilot.app.learning_call(
            lambda learning: learning.last_attempt(LESSON, item_id)
        )
        if attempt is not None and attempt.correct:
            return attempt
        await pilot.pause(0.02)
    raise AssertionError(f"no right attempt at {item_id} recorded")


async def still_to_pass(pilot: Any) -> list[str]:
    return await pilot.app.learning_call(lambda learning: learning.open_checks(LESSON))


async def mastery(pilot: Any) -> float:
    progress = await pilot.app.learning_call(lambda learning: learning.lesson_progress(LESSON))
    return progress.mastery


async def test_right_after_a_wrong_try_stays_to_pass_and_masters_less(tmp_path: Path):
    app = make_app(tmp_path / "right-first", learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=SINGLE)
        await pilot.press("2", "enter")  # (2, 3): right the first time
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert NOT_YET_QUIZ not in screen_text(app)
        await recorded_right(pilot, QUIZ)
        assert QUIZ not in await still_to_pass(pilot)
        right_first = await mastery(pilot)

    app = make_app(tmp_path / "wrong-first", learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=SINGLE)
        await pilot.press("1", "enter")  # (3, 2): wrong; the feedback marks (2, 3) ✅
        await wait_for(pilot, lambda: "Not quite." in screen_text(app))
        await pilot.press("enter")  # Try again
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert NOT_YET_QUIZ in screen_text(app)  # why it is not passed yet
        last = await recorded_right(pilot, QUIZ)
        assert last.answer_shown
        assert QUIZ in await still_to_pass(pilot)
        assert await mastery(pilot) < right_first

        # back to it later: the quiz comes fresh (its old feedback marked the right option),
        # with a word that last time was no pass (review: a retry under it was a copy again)
        screen = await leave_and_reopen(pilot, QUIZ)
        assert screen.index == SINGLE
        last_time = tr("quiz.last_not_passed", "en")
        await wait_for(pilot, lambda: last_time in screen_text(app))
        assert "Right: (out, in)." not in screen_text(app) and "Right!" not in screen_text(app)
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert NOT_YET_QUIZ not in screen_text(app)
        for _ in range(200):
            if QUIZ not in await still_to_pass(pilot):
                break
            await pilot.pause(0.02)
        assert QUIZ not in await still_to_pass(pilot)
        assert await mastery(pilot) == right_first


async def test_an_exercise_passed_after_its_solution_was_viewed_stays_to_pass(tmp_path: Path):
    app = make_app(tmp_path, learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=EXERCISE)
        # a hint (which puts the focus back in the editor), then the solution (s asks first, the
        # second s shows it), before any check
        await pilot.press("escape", "h", "escape", "s", "s")
        await wait_for(pilot, lambda: "Reference solution" in screen_text(app))
        await check_code(pilot, SOLVED)  # the solution pasted
        await wait_for(pilot, lambda: "All checks passed!" in screen_text(app))
        assert NOT_YET_EXERCISE in screen_text(app)
        last = await recorded_right(pilot, EXERCISE_ID)
        assert last.answer_shown and last.hints_used == 1
        assert EXERCISE_ID in await still_to_pass(pilot)

    app = make_app(tmp_path, learning=True)  # the next session: the step opened afresh
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # Continue: the lesson opens where it was left
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.index == EXERCISE
        await wait_for(pilot, lambda: "All checks passed!" in screen_text(app))
        text = screen_text(app)
        assert NOT_YET_EXERCISE in text
        assert "Reference solution" not in text  # not passed: the solution stays hidden
        await pilot.press("ctrl+r")  # the kept code, the solution pasted: still no pass
        await wait_for(pilot, lambda: len(app.sandbox.calls) == 1)
        await pilot.pause()
        await wait_for(pilot, lambda: NOT_YET_EXERCISE in screen_text(app))
        assert EXERCISE_ID in await still_to_pass(pilot)
        await pilot.click("#reset")  # the starter back: what passes now is their own
        await pilot.pause()
        await check_code(pilot, SOLVED)
        await wait_for(pilot, lambda: len(app.sandbox.calls) == 2)
        await wait_for(pilot, lambda: NOT_YET_EXERCISE not in screen_text(app))
        assert "All checks passed!" in screen_text(app)
        for _ in range(200):
            if EXERCISE_ID not in await still_to_pass(pilot):
                break
            await pilot.pause(0.02)
        assert EXERCISE_ID not in await still_to_pass(pilot)
