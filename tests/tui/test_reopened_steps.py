"""A lesson opened again shows each quiz and exercise as the learner last left it: the answer
picked, typed or arranged, graded as it was; an exercise's code, verdict and hints. Nothing is run
again to show it. The progress store is the real one, in the test's data dir."""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, TextArea

from tutor.i18n import tr
from tutor.learning import LastAttempt
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.widgets.editor import KeptEditor
from tutor.widgets.step_exercise import RECORDED_MESSAGE_CHARS, failure_of

from .conftest import (
    SIZE,
    FakeCheck,
    FakeError,
    FakeResult,
    FakeSandbox,
    ready,
    screen_text,
    scripted,
    wait_for,
)
from .test_tui_flows import open_basics

LESSON = "tui-basics"
SINGLE, MULTIPLE, PREDICT, ORDER, EXERCISE = 2, 3, 5, 6, 7  # the fixture lesson's steps


async def recorded(pilot: Any, item_id: str) -> Any:
    """The check's last attempt, once the store has it (answers are written in the background)."""
    for _ in range(200):
        attempt = await pilot.app.learning_call(
            lambda learning: learning.last_attempt(LESSON, item_id)
        )
        if attempt is not None:
            return attempt
        await pilot.pause(0.02)
    raise AssertionError(f"no attempt at {item_id} recorded")


async def leave_and_reopen(pilot: Any, item_id: str) -> LessonScreen:
    """Home once the answer is kept, then the lesson again: it opens where it was left."""
    await recorded(pilot, item_id)
    app = pilot.app
    if isinstance(app.focused, (Input, TextArea)):
        await pilot.press("tab" if isinstance(app.focused, Input) else "escape")
    await pilot.press("escape")
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    await pilot.pause()
    return app.screen


async def check_code(pilot: Any, code: str) -> None:
    """Put ``code`` in the exercise's editor and check it (ctrl+r), as the learner would."""
    editor = pilot.app.screen.query_one(TextArea)
    editor.load_text(code)
    editor.focus()
    await pilot.press("ctrl+r")


LAST_TIME = tr("quiz.last_not_passed", "en")


def option_labels(app: Any) -> list[str]:
    return [str(option.prompt) for option in app.screen.query_one(OptionList).options]


def shown(app: Any, selector: str) -> bool:
    return bool(app.screen.query_one(selector).display)


async def test_a_wrong_choice_comes_back_fresh_with_a_word_on_last_time(app_factory):
    """Its old feedback marked the right option ✅: shown again, a try under it was a copy (the
    review of stop 32), so a quiz not passed comes back unanswered, saying last time was none."""
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=SINGLE)
        await pilot.press("1", "enter")  # (3, 2): wrong
        await pilot.pause()
        screen = await leave_and_reopen(pilot, f"{LESSON}.q-single")
        assert screen.index == SINGLE
        await wait_for(pilot, lambda: LAST_TIME in screen_text(app))
        text = screen_text(app)
        assert "Not quite." not in text and "Right: (out, in)." not in text
        assert not any(label.endswith(("❌", "✅")) for label in option_labels(app))
        assert shown(app, "#submit") and not shown(app, "#retry")
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert LAST_TIME not in screen_text(app)
        last = await recorded(pilot, f"{LESSON}.q-single")
        assert (last.correct, last.answer, last.answer_shown) == (True, "b", False)


async def test_a_right_multiple_choice_is_shown_right_and_open_to_another_try(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=MULTIPLE)
        await pilot.press("1", "2", "enter")  # weight + bias: right
        await pilot.pause()
        assert "Right!" in screen_text(app)
        screen = await leave_and_reopen(pilot, f"{LESSON}.q-multiple")
        assert screen.index == MULTIPLE
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert "No: a plain int." in screen_text(app)
        labels = option_labels(app)
        assert labels[0].startswith("1 ☑") and labels[1].startswith("2 ☑")
        assert labels[2].startswith("3 ☐")
        # as right after answering: the focus where Enter keeps the grade, "Try again" a click
        # (or a Tab) away
        assert app.focused is app.screen.query_one("#step-scroll")
        await pilot.press("enter")
        await pilot.pause()
        assert "Right!" in screen_text(app)
        await pilot.click("#retry")
        await pilot.pause()
        assert shown(app, "#submit") and "Right!" not in screen_text(app)


async def test_a_wrong_prediction_comes_back_fresh_without_running_it(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=PREDICT)
        await pilot.press(*"(2, 4)", "enter")
        await wait_for(pilot, lambda: "It printed:" in screen_text(app))
        runs = len(app.sandbox.calls)
        await leave_and_reopen(pilot, f"{LESSON}.q-predict")
        await wait_for(pilot, lambda: LAST_TIME in screen_text(app))
        assert "It printed:" not in screen_text(app)  # what it printed is the answer
        box = app.screen.query_one(Input)
        assert box.value == "" and not box.disabled
        assert len(app.sandbox.calls) == runs  # nothing run again
        box.focus()
        await pilot.press(*"4x2", "enter")
        await wait_for(pilot, lambda: "Right!" in screen_text(app))


async def test_a_wrong_order_comes_back_fresh(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=ORDER)
        await pilot.press("enter")  # the shuffled order as it came: wrong
        await wait_for(pilot, lambda: "The right order:" in screen_text(app))
        await leave_and_reopen(pilot, f"{LESSON}.q-order")
        await wait_for(pilot, lambda: LAST_TIME in screen_text(app))
        assert "The right order:" not in screen_text(app)
        assert not any(label.endswith("❌") for label in option_labels(app))
        assert shown(app, "#up") and not shown(app, "#retry")


async def test_a_passed_exercise_comes_back_passed_with_its_code_and_hint(app_factory, monkeypatch):
    monkeypatch.setattr(KeptEditor, "SAVE_DELAY", 0.05)
    solved = "layer = nn.Linear(3, 1, bias=False)\n"
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=EXERCISE)
        await pilot.press("escape", "h")  # a hint first
        await check_code(pilot, solved)
        await wait_for(pilot, lambda: "All checks passed!" in screen_text(app))
        await recorded(pilot, f"{LESSON}.ex")
    app = app_factory(learning=True)  # the next session
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.index == EXERCISE  # where the lesson was left
        await wait_for(pilot, lambda: "All checks passed!" in screen_text(app))
        text = screen_text(app)
        assert "Hint 1/2: Only the bias must go." in text
        assert "Look at the `bias=` argument." not in text  # the hint not taken stays hidden
        assert "Reference solution" in text
        assert app.screen.query_one(TextArea).text == solved
        assert app.sandbox.calls == []  # the verdict is the recorded one, not a new check
        await pilot.press("ctrl+r")  # Check works as usual from there
        await wait_for(pilot, lambda: len(app.sandbox.calls) == 1)
        await wait_for(pilot, lambda: "All checks passed!" in screen_text(app))


async def test_a_failed_exercise_comes_back_with_what_failed(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=EXERCISE)
        await pilot.press("ctrl+r")  # the starter keeps its bias: the check says so
        await wait_for(pilot, lambda: "layer still has a bias" in screen_text(app))
        await recorded(pilot, f"{LESSON}.ex")
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2", "enter")  # in Chinese now: the recorded reason follows
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.index == EXERCISE
        await wait_for(pilot, lambda: "layer 还带着偏置" in screen_text(app))
        assert app.sandbox.calls == []


def raising(code: str, **kwargs: Any) -> Any:
    """The fixture's sandbox, with the sandbox's answer for a check of code that raised."""
    if "Flase" not in code:
        return scripted(code, **kwargs)
    error = FakeError("NameError", "name 'Flase' is not defined", line=1)
    not_run = {"en": "your code did not run to the end", "zh": "你的代码没有运行到结尾"}
    return FakeResult(status="error", error=error, check=FakeCheck(False, not_run))


async def test_an_exercise_that_raised_comes_back_with_its_error(app_factory):
    app = app_factory(learning=True, sandbox=FakeSandbox(raising))
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=EXERCISE)
        await check_code(pilot, "layer = nn.Linear(3, 1, bias=Flase)\n")
        await wait_for(pilot, lambda: "did not run to the end" in screen_text(app))
        await recorded(pilot, f"{LESSON}.ex")
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: "Not yet" in screen_text(app))
        text = screen_text(app)
        assert "NameError (line 1): name 'Flase' is not defined" in text
        assert "did not run to the end" in text
        assert app.sandbox.calls == []


def timing_out(code: str, **kwargs: Any) -> Any:
    """The fixture's sandbox, with a check whose run the sandbox stopped (its own error)."""
    if "sleep" not in code:
        return scripted(code, **kwargs)
    said = "the run took longer than 10 s and was stopped (stopped at line 1)"
    error = FakeError("Timeout", said, code="timeout", params={"seconds": 10, "line": 1})
    return FakeResult(status="timeout", error=error, check=FakeCheck(False, ""))


async def test_a_recorded_sandbox_error_is_worded_in_the_language_shown(app_factory):
    app = app_factory(learning=True, sandbox=FakeSandbox(timing_out))
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=EXERCISE)
        await check_code(pilot, "import time\ntime.sleep(60)\n")
        await recorded(pilot, f"{LESSON}.ex")
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f2", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: "还没通过" in screen_text(app))
        assert "超时：运行超过了 10 秒，已被停止（停在第 1 行）" in screen_text(app)
        await pilot.press("f2")
        said = "Timeout: the run took longer than 10 s and was stopped (stopped at line 1)"
        await wait_for(pilot, lambda: said in screen_text(app))


def test_a_failure_keeps_the_first_line_of_a_long_message():
    message = "x" * 5000 + "\nsecond line"
    failure = failure_of("", FakeError("ValueError", message, line=3))
    kept = failure["error"]["message"]
    assert len(kept) == RECORDED_MESSAGE_CHARS and kept.endswith("…") and "\n" not in kept
    assert failure["error"]["line"] == 3


async def test_an_answer_that_no_longer_fits_its_step_shows_the_step_fresh(app_factory):
    """The deck changed since: an option id gone, a different number of items to order, a right
    answer that is wrong now. The step is shown as if never answered."""
    app = app_factory(learning=True)

    def record_misfits(learning: Any) -> None:
        learning.record_quiz(f"{LESSON}.q-single", LESSON, False, "gone")
        learning.record_quiz(f"{LESSON}.q-multiple", LESSON, True, ["weight", "gone"])
        learning.record_quiz(f"{LESSON}.q-tf", LESSON, True, False)  # right then, wrong now
        learning.record_quiz(f"{LESSON}.q-order", LESSON, False, [1, 0])
        learning.record_quiz(f"{LESSON}.q-predict", LESSON, False, "(2, 4)")  # no output kept
        learning.record_exercise(f"{LESSON}.ex", LESSON, True, 5)  # more hints than it has

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.learning is not None)
        await app.learning_call(record_misfits)
        screen = await open_basics(pilot, step=SINGLE)
        for step in (SINGLE, MULTIPLE, MULTIPLE + 1, PREDICT, ORDER, EXERCISE):
            if screen.index != step:
                screen.index = step
            await pilot.pause(0.2)  # time for a recorded attempt to be read and shown
            view = screen.step_view
            assert view is not None and view.step is screen.lesson.steps[step]
            assert "grade" not in view.state and "verdict" not in view.state, step
            text = screen_text(app)
            assert "Not quite." not in text and "Right!" not in text, step
            assert "All checks passed!" not in text and "Hint 1/2" not in text, step


async def test_a_recorded_answer_arriving_late_leaves_an_answer_begun_alone(app_factory):
    """The store's read can wait behind its writes (or another nn-tutor's lock): by then the
    learner may have ticked, moved or typed, and their answer is not replaced nor graded."""
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=MULTIPLE)
        view = screen.step_view
        await wait_for(pilot, lambda: app.focused is view.answer_widget())
        await pilot.press("3")  # ticks the third option, not yet submitted
        await wait_for(pilot, lambda: bool(view.state.get("selected")))
        begun = list(view.state["selected"])
        view.restore(LastAttempt(False, ["in_features"], 0))
        assert view.state["selected"] == begun and "grade" not in view.state
        screen.index = ORDER
        await wait_for(pilot, lambda: screen.step_view is not view)
        view = screen.step_view
        await wait_for(pilot, lambda: app.focused is view.answer_widget())
        puzzle = list(view.state["arrangement"])
        await pilot.press("down", "shift+down")  # moves an item
        await wait_for(pilot, lambda: view.state["arrangement"] != puzzle)
        moved = list(view.state["arrangement"])
        view.restore(LastAttempt(False, [1, 0, 2], 0))
        assert view.state["arrangement"] == moved and "grade" not in view.state


async def test_stale_or_old_records_show_a_fresh_step_or_read_as_they_were(app_factory):
    """A prediction recorded for another snippet, or with a deck `expect` since changed, shows
    the step fresh (what it printed then is not what it prints now); a true/false answer stored
    as 1 before answers were kept as JSON reads back as True."""
    app = app_factory(learning=True)

    def record(learning: Any) -> None:
        stale = {"answer": "(2, 4)", "truth": "(2, 4)", "truth_source": "sandbox"}
        learning.record_quiz(f"{LESSON}.q-predict", LESSON, True, {**stale, "snippet": "0" * 16})
        learning.store.record_attempt("quiz", f"{LESSON}.q-tf", LESSON, True, "1", 0, 1)

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.learning is not None)
        await app.learning_call(record)
        screen = await open_basics(pilot, step=PREDICT)
        await pilot.pause(0.2)
        assert "grade" not in screen.step_view.state
        screen.index = MULTIPLE + 1
        await wait_for(pilot, lambda: "Right!" in screen_text(app))
        assert screen.step_view.state["selected"] == ["true"]


async def test_a_step_shown_graded_on_opening_starts_at_its_question(app_factory):
    """After an answer the feedback is scrolled into view; a step opened with its recorded answer
    starts at the top, where its question is (a short terminal shows one or the other)."""
    app = app_factory(learning=True)
    async with app.run_test(size=(80, 16)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.learning is not None)
        await app.learning_call(
            lambda learning: learning.record_quiz(f"{LESSON}.q-single", LESSON, True, "b")
        )
        app.open_lesson(LESSON, step=SINGLE)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: "grade" in app.screen.states.get(SINGLE, {}))
        await pilot.pause(0.3)
        scroll = app.screen.query_one("#step-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0
