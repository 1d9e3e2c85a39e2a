"""QA pass 33 on lesson steps: an exercise's check cancelled by leaving the step shows no output
of the code before it; a huge prediction is graded whole but kept and shown cut; hints taken after
the last Check come back when the lesson is opened again, and count in the next Check."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, TextArea

from tutor.i18n import tr
from tutor.quiz import predict_matches
from tutor.screens.lesson import LessonScreen
from tutor.widgets.step_quiz_predict import KEPT_ANSWER_CHARS

from .conftest import SIZE, FakeResult, FakeSandbox, ready, screen_text, scripted, wait_for
from .test_reopened_steps import EXERCISE, LESSON, PREDICT, check_code, leave_and_reopen, recorded
from .test_tui_flows import open_basics

SOLVED = "layer = nn.Linear(3, 1, bias=False)\n"
EARLIER_OUTPUT = "output of the code checked before"


def printing_when_passed(code: str, **kwargs: Any) -> Any:
    """The fixture's sandbox, whose passing check also prints something to recognise it by."""
    result = scripted(code, **kwargs)
    if isinstance(result, FakeResult) and result.check is not None and result.check.passed:
        result.stdout = EARLIER_OUTPUT + "\n"
    return result


async def test_a_check_cancelled_by_leaving_the_step_shows_no_earlier_output(app_factory):
    app = app_factory(learning=True, sandbox=FakeSandbox(printing_when_passed))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=EXERCISE)
        await check_code(pilot, SOLVED)
        await wait_for(pilot, lambda: EARLIER_OUTPUT in screen_text(app))
        assert tr("ex.passed", "en") in screen_text(app)
        await check_code(pilot, SOLVED + "while True: pass\n")  # runs until cancelled
        await wait_for(pilot, lambda: len(app.sandbox.calls) == 2)
        await pilot.press("ctrl+pagedown")  # away while it runs: the run ends with the view
        await wait_for(pilot, lambda: screen.index == EXERCISE + 1)
        await pilot.press("ctrl+pageup")
        await wait_for(pilot, lambda: screen.index == EXERCISE)
        await pilot.pause(0.2)
        # the run's worker ends as it is cancelled, in its own time (later on a loaded machine)
        cancelled = tr("run.status.cancelled", "en")
        await wait_for(pilot, lambda: cancelled in screen_text(app))
        text = screen_text(app)
        assert app.screen.query_one(TextArea).text == SOLVED + "while True: pass\n"
        assert EARLIER_OUTPUT not in text  # not this code's output
        assert tr("ex.passed", "en") not in text and screen.states[EXERCISE]["verdict"] is None
        assert cancelled in text  # what became of this code's check
        await pilot.press("f2")  # said in the language shown
        await wait_for(pilot, lambda: tr("run.status.cancelled", "zh") in screen_text(app))


async def submit_prediction(pilot: Any, answer: str) -> None:
    """Paste-sized: the answer is put in the box whole, then submitted with Enter."""
    box = pilot.app.screen.query_one(Input)
    box.value = answer
    box.focus()
    await pilot.pause()
    await pilot.press("enter")


async def test_a_huge_prediction_is_graded_whole_and_kept_cut(app_factory):
    # Right as a whole (the shape (4, 2), spaced out); what is kept of it, cut, would not be.
    answer = "(4," + " " * 200_000 + "2)"
    assert predict_matches(answer, "torch.Size([4, 2])", "shape")
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=PREDICT)
        await submit_prediction(pilot, answer)
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        shown = screen.states[PREDICT]["answer"]
        assert len(shown) == KEPT_ANSWER_CHARS and shown.endswith("…")
        assert screen.query_one("#step-scroll").max_scroll_y < 40  # not thousands of rows
        attempt = await recorded(pilot, f"{LESSON}.q-predict")
        assert attempt.correct and len(attempt.answer["answer"]) == KEPT_ANSWER_CHARS
        screen = await leave_and_reopen(pilot, f"{LESSON}.q-predict")
        assert screen.index == PREDICT
        await wait_for(pilot, lambda: "Right!" in screen_text(app))  # still right, not fresh
        assert "You said: (4," in screen_text(app)


async def test_a_short_prediction_is_kept_whole(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=PREDICT)
        await submit_prediction(pilot, "(2, 4)")
        await wait_for(pilot, lambda: "Not quite." in screen_text(app))
        attempt = await recorded(pilot, f"{LESSON}.q-predict")
        assert set(attempt.answer) == {"answer", "truth", "truth_source", "snippet"}
        assert attempt.answer["answer"] == "(2, 4)"


async def until_kept(pilot: Any, kept: Any) -> None:
    """Wait until the store has what ``kept(learning)`` asks: the UI records in the background."""
    for _ in range(200):
        if await pilot.app.learning_call(kept):
            return
        await pilot.pause(0.02)
    raise AssertionError("not recorded")


async def open_lesson_again(app: Any, pilot: Any) -> LessonScreen:
    """A new session: the lesson opens where it was left, the exercise."""
    await ready(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    assert app.screen.index == EXERCISE
    return app.screen


async def test_hints_taken_after_the_last_check_survive_a_restart(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=EXERCISE)
        await pilot.press("ctrl+r")  # the starter fails: recorded with no hint taken
        await wait_for(pilot, lambda: "layer still has a bias" in screen_text(app))
        await recorded(pilot, f"{LESSON}.ex")
        # both hints, after that Check: each h puts the focus back in the editor, esc leaves it
        await pilot.press("escape", "h", "escape", "h")
        await wait_for(pilot, lambda: "Look at the" in screen_text(app))

        await until_kept(pilot, lambda learning: learning.hints_taken(LESSON, f"{LESSON}.ex") == 2)
    app = app_factory(learning=True)  # the next session
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson_again(app, pilot)
        await wait_for(pilot, lambda: "Look at the" in screen_text(app))
        assert "Only the bias must go." in screen_text(app)
        await check_code(pilot, SOLVED)
        await wait_for(pilot, lambda: "All checks passed!" in screen_text(app))

        def passed(learning: Any) -> bool:
            return learning.last_attempt(LESSON, f"{LESSON}.ex").correct

        await until_kept(pilot, passed)
        attempt = await recorded(pilot, f"{LESSON}.ex")
        assert attempt.correct and attempt.hints_used == 2


async def test_hints_taken_before_any_check_come_back_in_the_same_session(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=EXERCISE)
        await pilot.press("escape", "h")
        await wait_for(pilot, lambda: "Only the bias must go." in screen_text(app))
        # out of the editor the hint put the focus back in, then home: the lesson screen and
        # its states are gone
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen is not screen and app.screen.index == EXERCISE
        await wait_for(pilot, lambda: "Only the bias must go." in screen_text(app))
        assert "Look at the" not in screen_text(app)
