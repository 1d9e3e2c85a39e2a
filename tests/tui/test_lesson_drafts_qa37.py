"""An answer begun and not submitted survives leaving the lesson (QA 37): boxes ticked on a
multiple-choice step, or a prediction typed (esc from inside the box closes the lesson), were
gone when Continue reopened the step, though F2 and a step away and back kept them. The lesson's
step states now outlive its screen for the session; an answered step comes back as before, from
the progress store (the real one here, in the test's data dir)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input, OptionList

from tutor.i18n import tr
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen

from .conftest import SIZE, screen_text, wait_for
from .test_tui_flows import open_basics

LESSON = "tui-basics"
MULTIPLE, PREDICT, ORDER = 3, 5, 6  # the fixture lesson's steps
LAST_TIME = tr("quiz.last_not_passed", "en")


def option_labels(app: Any) -> list[str]:
    return [str(option.prompt) for option in app.screen.query_one(OptionList).options]


async def leave_and_continue(pilot: Any, step: int) -> LessonScreen:
    """esc (whatever has the focus: an answer box passes it to the lesson), then ``c`` on the
    course map once it would continue at ``step``; the lesson opened again."""
    app = pilot.app
    left = app.screen
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    home = app.screen
    await wait_for(pilot, lambda: home.resume_steps.get(LESSON) == step)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen is not left)
    screen = app.screen
    assert screen.index == step
    await wait_for(pilot, lambda: screen.step_view is not None and screen.step_view.is_mounted)
    await pilot.pause(0.2)  # time for a recorded attempt to be read (there is none to show)
    return screen


async def test_ticks_not_submitted_are_there_when_the_lesson_is_continued(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=MULTIPLE)
        await pilot.press("1", "2")  # weight and bias ticked, not submitted
        await wait_for(pilot, lambda: option_labels(app)[1].startswith("2 ☑"))
        screen = await leave_and_continue(pilot, MULTIPLE)
        labels = option_labels(app)
        assert labels[0].startswith("1 ☑") and labels[1].startswith("2 ☑"), labels
        assert labels[2].startswith("3 ☐"), labels
        assert "grade" not in screen.step_view.state
        assert "Right!" not in screen_text(app) and LAST_TIME not in screen_text(app)
        await pilot.press("enter")  # the draft submits as it stands
        await wait_for(pilot, lambda: "Right!" in screen_text(app))


async def test_a_prediction_typed_is_there_after_esc_from_its_box(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=PREDICT)
        box = app.screen.query_one(Input)
        await wait_for(pilot, lambda: app.focused is box)
        await pilot.press(*"torch.Size([4")
        await leave_and_continue(pilot, PREDICT)  # esc from inside the box closes the lesson
        box = app.screen.query_one(Input)
        assert box.value == "torch.Size([4" and not box.disabled
        await pilot.pause(0.2)
        assert app.sandbox.calls == []  # nothing submitted, nothing run


async def test_an_order_arranged_is_there_when_the_lesson_is_continued(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=ORDER)
        view = screen.step_view
        await wait_for(pilot, lambda: app.focused is view.answer_widget())
        puzzle = list(view.state["arrangement"])
        await pilot.press("down", "shift+down")  # moves an item
        await wait_for(pilot, lambda: view.state["arrangement"] != puzzle)
        arranged, labels = list(view.state["arrangement"]), option_labels(app)
        screen = await leave_and_continue(pilot, ORDER)
        assert screen.step_view.state["arrangement"] == arranged
        assert option_labels(app) == labels and "grade" not in screen.step_view.state


async def test_answered_quizzes_come_back_as_before(app_factory):
    """A wrong answer comes back fresh with a word on last time, a right one graded (both from
    the store): a kept state does not bring back a grade, nor the ticks graded."""
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=MULTIPLE)
        await pilot.press("3", "enter")  # in_features alone: wrong
        await wait_for(pilot, lambda: "Not quite." in screen_text(app))
        await leave_and_continue(pilot, MULTIPLE)
        await wait_for(pilot, lambda: LAST_TIME in screen_text(app))
        assert "Not quite." not in screen_text(app)
        assert all("☑" not in label for label in option_labels(app))
        await pilot.press("1", "2", "enter")
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        screen = await leave_and_continue(pilot, MULTIPLE)
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert app.focused is screen.query_one("#step-scroll")  # Enter there keeps the grade


async def test_a_draft_made_after_the_answer_was_shown_is_recorded_so(app_factory):
    """Ticked after the feedback of a wrong try showed the right answer: that draft, submitted
    after the lesson was opened again, is still no answer of the learner's own."""
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=MULTIPLE)
        await pilot.press("3", "enter")  # wrong: the feedback shows the right options
        await wait_for(pilot, lambda: "Not quite." in screen_text(app))
        await pilot.press("enter")  # Try again
        await pilot.press("1", "2")
        await wait_for(pilot, lambda: option_labels(app)[1].startswith("2 ☑"))
        await leave_and_continue(pilot, MULTIPLE)
        assert option_labels(app)[0].startswith("1 ☑")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert tr("quiz.right_after_shown", "en") in screen_text(app)


async def test_a_closed_lesson_keeps_its_drafts_alone(app_factory):
    """The review: a code step's run (up to the sandbox's megabyte of output, a trace) stayed in
    the app's states for the session once the lesson was closed, until that step was shown
    again. Closing the lesson cuts every state to its draft."""
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=1)  # the fixture's code step
        await pilot.press("r")
        await wait_for(pilot, lambda: "result" in app.screen.states.get(1, {}))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.lesson_states[LESSON].get(1) == {}
