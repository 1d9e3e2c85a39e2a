"""A lesson paged through to its end is finished, but its questions are not passed: the lesson says
how many are open, and ``ctrl+o`` walks the learner through them (the fixture lesson "tensors": a quiz
at step 1, an exercise at step 2)."""

from __future__ import annotations

from textual.widgets import TextArea

from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.learning import Learning
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen

SIZE = (100, 32)


def test_a_lessons_checks_are_its_quizzes_and_exercises_in_step_order(library):
    assert library.lesson("tensors").checks == [(1, "tensors.q-bias"), (2, "tensors.ex-no-bias")]


def test_open_checks_are_those_never_passed_or_failed_last(learning: Learning):
    assert learning.open_checks("tensors") == ["tensors.q-bias", "tensors.ex-no-bias"]
    learning.record_exercise("tensors.ex-no-bias", "tensors", True, 0)
    assert learning.open_checks("tensors") == ["tensors.q-bias"]
    learning.record_quiz("tensors.q-bias", "tensors", False, "false")
    assert learning.open_checks("tensors") == ["tensors.q-bias"]  # answered, but wrong
    learning.record_quiz("tensors.q-bias", "tensors", True, "true")
    assert learning.open_checks("tensors") == []
    learning.record_exercise("tensors.ex-no-bias", "tensors", False, 1)
    assert learning.open_checks("tensors") == ["tensors.ex-no-bias"]  # the latest attempt counts
    assert learning.open_checks("no-such-lesson") == []


def toasts(app) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def test_ctrl_o_goes_to_each_open_question_then_says_all_are_passed(config):
    app = make_app(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        learning = await settle(pilot, app)
        app.open_lesson("tensors")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        assert "ctrl+o" in lesson.active_bindings
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: lesson.index == 1)
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: lesson.index == 2)
        editor = app.focused  # the exercise's editor: the key must not reach it
        assert isinstance(editor, TextArea)
        code = editor.text
        await pilot.press("ctrl+o")  # past the last open one: from the top
        await wait_for(pilot, lambda: lesson.index == 1)
        assert editor.text == code

        await app.learning_call(
            lambda store: store.record_quiz("tensors.q-bias", "tensors", True, "true")
        )
        lesson.index = 3
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: lesson.index == 2)  # the exercise is all that is left

        await app.learning_call(
            lambda store: store.record_exercise("tensors.ex-no-bias", "tensors", True, 0)
        )
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: any("is passed" in t for t in toasts(app)))
        assert lesson.index == 2
        assert learning.open_checks("tensors") == []


async def test_finishing_with_open_questions_says_how_many(config):
    app = make_app(config, lang="zh")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        app.open_lesson("tensors", step=4)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("right")  # past the last step, no question answered
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: any("🏁" in t for t in toasts(app)))
        assert any("还没通过的题目和练习：2 道" in t for t in toasts(app)), toasts(app)
        # opened at step 4: the steps before it were never seen, so not "finished"
        assert any(t.startswith("🏁 已到本课结尾，但还没学完") for t in toasts(app)), toasts(app)


async def test_on_the_only_open_question_it_says_so(config):
    app = make_app(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        await app.learning_call(
            lambda store: store.record_exercise("tensors.ex-no-bias", "tensors", True, 0)
        )
        app.open_lesson("tensors", step=1)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: any("only one" in t for t in toasts(app)))
        assert app.screen.index == 1


async def test_without_saved_progress_every_question_is_one_to_go_to(config):
    app = make_app(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, app)
        app.learning = None  # progress is off: nothing says what was passed
        app.open_lesson("tensors", step=3)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: app.screen.index == 1)
        assert not any("is passed" in t for t in toasts(app))
