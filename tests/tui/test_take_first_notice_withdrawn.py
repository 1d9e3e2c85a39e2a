"""The "best to take first" notice said as a lesson opens goes once the learner acts on the
step (runs it, checks it, answers, takes a hint or asks for one past the last, asks for the
solution or shows it, submits a prediction empty, moves on): at 100×30 its toast, 8 s long,
lay over the right half of an exercise's "❌ Not yet: ..." and of a hook trace's first rows.
Other notes still shown stay: only this one is taken down."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import textual.notifications
from textual.notifications import Notify
from textual.widgets import TextArea
from textual.widgets._toast import Toast

from tutor.app import TutorApp
from tutor.screens.lesson import LessonScreen
from tutor.widgets.run_panel import RunPanel

from .conftest import (
    BIAS_LEFT,
    DECKS,
    FakeLearning,
    FakeSandbox,
    check_exercise,
    make_app,
    scripted,
    toasts,
    wait_for,
)

AFTER = """\
format: 1
kind: lesson
id: tui-after
title: {en: "After: builds on the basics", zh: "之后：以基础为基础"}
summary: {en: "Builds on basics.", zh: "以基础课为基础。"}
prerequisites: [tui-basics]
steps:
  - type: exercise
    id: tui-after.ex
    title: {en: "A 3→1 layer without bias", zh: "没有偏置的 3→1 层"}
    prompt:
      en: |
        Make `layer` map 3 → 1 with **no bias**.

        A prompt as long as a real lesson's takes the rows a short one leaves free, so a
        check's verdict is drawn on the last rows of the terminal, where the toasts are.

        One more paragraph, for the verdict to land there at 100×30.

        And another.

        And the last.
      zh: "让 `layer` 把 3 映射到 1，且**没有偏置**。"
    starter: |
      layer = nn.Linear(3, 1)
    check: |
      assert layer.bias is None, {"en": "layer still has a bias", "zh": "layer 还带着偏置"}
    solution: |
      layer = nn.Linear(3, 1, bias=False)
    hints:
      - {en: "Only the bias must go.", zh: "只需去掉偏置。"}
  - type: code
    id: tui-after.run
    title: {en: "Run it", zh: "运行它"}
    device: cpu
    code: |
      print(nn.Linear(3, 2)(torch.randn(4, 3)).shape)
  - type: quiz
    kind: true_false
    id: tui-after.q-tf
    question: {en: "`bias=False` leaves `layer.bias` as `None`.", zh: "`bias=False` 时 `layer.bias` 为 `None`。"}
    answer: true
    why: {en: "The name stays registered, as None.", zh: "名字仍被注册，值为 None。"}
  - type: exercise
    id: tui-after.ex-no-hints
    title: {en: "Two outputs", zh: "两个输出"}
    prompt: {en: "Make `layer` map 3 → 2.", zh: "让 `layer` 把 3 映射到 2。"}
    starter: |
      layer = nn.Linear(3, 1)
    check: |
      assert layer.out_features == 2, {"en": "still one output", "zh": "仍只有一个输出"}
    solution: |
      layer = nn.Linear(3, 2)
  - type: quiz
    kind: predict
    id: tui-after.predict
    question: {en: "What does this print?", zh: "这段代码打印什么？"}
    code: |
      print(3)
    expect: "3"
    match: exact
    why: {en: "It prints its argument.", zh: "它打印它的参数。"}
"""


@pytest.fixture(autouse=True)
def notes_outlast_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's clock for notes, stopped an hour back: each note (raised at the true time) has
    an hour left, and its toast's timer that long, so a toast goes only when taken down, never
    for its seconds running out on a slow machine (which would let these tests pass unfixed)."""
    an_hour_ago = time.time() - 3600
    monkeypatch.setattr(textual.notifications, "time", lambda: an_hour_ago)


SIZE = (100, 30)  # the QA walk's terminal
EXERCISE, CODE, QUIZ, NO_HINTS, PREDICT = 0, 1, 2, 3, 4
OTHER_NOTE = "a note the learner has not read yet"


def take_first_shown(app: Any) -> bool:
    """Whether the notice's toast is drawn over the lesson."""
    return any("builds on" in text for text in toasts(app))


async def check_it(pilot: Any) -> None:
    view = pilot.app.screen.step_view
    feedback = await check_exercise(pilot, view, "layer = nn.Linear(3, 1)")
    assert BIAS_LEFT["en"] in feedback, feedback


async def take_a_hint(pilot: Any) -> None:
    await pilot.press("escape", "h")  # off the editor (esc), then h: the first hint


async def run_the_code(pilot: Any) -> None:
    await pilot.press("r")
    panel = pilot.app.screen.query_one(RunPanel)
    await wait_for(pilot, lambda: panel.result is not None)


async def answer_the_quiz(pilot: Any) -> None:
    await pilot.press("t", "enter")
    await wait_for(pilot, lambda: bool(pilot.app.screen.step_view.state.get("attempts")))


async def show_the_solution(pilot: Any) -> None:
    await pilot.press("escape", "s", "s")  # off the editor, then s asks and s again shows it
    await wait_for(pilot, lambda: bool(pilot.app.screen.step_view.state.get("show_solution")))


async def ask_for_the_solution(pilot: Any) -> None:
    """The first s on an exercise not passed: the step asks "show the solution?", and shows
    nothing yet."""
    await pilot.press("escape", "s")  # off the editor, then s
    asked = pilot.app.screen.t("ex.solution_ask")
    await wait_for(pilot, lambda: any(asked in text for text in toasts(pilot.app)))
    assert not pilot.app.screen.step_view.state.get("show_solution")


async def ask_past_the_last_hint(pilot: Any) -> None:
    await pilot.press("escape", "h")  # none left: the step says so under its hints
    await wait_for(pilot, lambda: bool(pilot.app.screen.step_view.state.get("no_hint_left")))


async def submit_no_prediction(pilot: Any) -> None:
    await pilot.press("enter")  # the answer box empty: the step asks for a prediction
    await wait_for(pilot, lambda: bool(pilot.app.screen.step_view.state.get("asked_to_type")))


async def move_on(pilot: Any) -> None:
    await pilot.press("ctrl+pagedown")


ACTS: dict[str, tuple[int, Callable[[Any], Awaitable[None]]]] = {
    "check": (EXERCISE, check_it),
    "hint": (EXERCISE, take_a_hint),
    "run": (CODE, run_the_code),
    "answer": (QUIZ, answer_the_quiz),
    "solution": (EXERCISE, show_the_solution),
    "solution asked": (EXERCISE, ask_for_the_solution),
    "no hint left": (NO_HINTS, ask_past_the_last_hint),
    "empty prediction": (PREDICT, submit_no_prediction),
    "next": (EXERCISE, move_on),
}


def app_with_after(tmp_path: Path, **options: Any) -> TutorApp:
    """An app over the test decks and ``AFTER``, a lesson that builds on tui-basics."""
    decks = tmp_path / "decks"
    shutil.copytree(DECKS, decks)
    (decks / "03-after.yaml").write_text(AFTER, encoding="utf-8")
    return make_app(tmp_path, decks=[decks], **options)


@pytest.mark.parametrize("act", ACTS)
async def test_the_notice_goes_once_the_learner_acts(tmp_path: Path, act: str) -> None:
    app = app_with_after(tmp_path)
    step, do = ACTS[act]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        app.open_lesson("tui-after", step=step)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: take_first_shown(app))
        app.notify(OTHER_NOTE, timeout=60)
        await wait_for(pilot, lambda: any(OTHER_NOTE in text for text in toasts(app)))
        await do(pilot)
        await pilot.pause()
        await pilot.pause()
        assert not take_first_shown(app), toasts(app)
        assert any(OTHER_NOTE in text for text in toasts(app)), toasts(app)


async def test_a_failed_check_is_not_under_a_toast(tmp_path: Path) -> None:
    """The QA walk's case, measured: the verdict's rows and the toasts' share no cell."""
    app = app_with_after(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        app.open_lesson("tui-after", step=EXERCISE)
        await wait_for(pilot, lambda: take_first_shown(app))
        await check_it(pilot)
        await pilot.pause()
        feedback = app.screen.query_one(".feedback").region
        covered = [t.region for t in app.screen.query(Toast) if t.region.overlaps(feedback)]
        assert covered == [], (feedback, covered)


class SlowLearning(FakeLearning):
    """Progress where the basics are not finished, read only once the test lets it."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()

    def lesson_progress(self, lesson_id: str) -> dict[str, Any]:
        self.released.wait(timeout=30)
        return {"seen_steps": 0, "total_steps": 2, "completed": False}


def notice_answered(app: Any) -> bool:
    """Whether the store has answered the notice's question and the app has done with it."""
    return all(worker.is_finished for worker in app.workers if worker.group == "take-first")


async def act_before_the_store_answers(
    pilot: Any, step: int, act: Callable[[Any], Awaitable[None]]
) -> None:
    """Open ``AFTER`` at ``step`` over a slow store (:class:`SlowLearning`), ``act`` there, then
    let the store answer; back once the app is done with the notice and any note it posted."""
    app = pilot.app
    await wait_for(pilot, lambda: app.library is not None)
    app.open_lesson("tui-after", step=step)
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    await act(pilot)
    app.learning.released.set()
    await wait_for(pilot, lambda: notice_answered(app))
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("act", ["run", "answer", "check", "hint"])
async def test_a_notice_still_to_come_is_not_shown_once_the_learner_acted(
    tmp_path: Path, act: str
) -> None:
    """The notice waits for the progress store's answer: a learner quicker than a slow store
    ran the code, answered or checked first, and the notice then lay over what that showed."""
    app = app_with_after(tmp_path, learning=SlowLearning())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await act_before_the_store_answers(pilot, *ACTS[act])
        assert not take_first_shown(app), toasts(app)


async def begin_a_check(pilot: Any) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, TextArea))
    await pilot.press("ctrl+r")


async def begin_a_code_run(pilot: Any) -> None:
    await pilot.press("r")


def verdict_shown(app: Any) -> bool:
    return app.screen.step_view.state.get("attempts", 0) > 0


def output_shown(app: Any) -> bool:
    return app.screen.query_one(RunPanel).result is not None


RUNS: dict[str, tuple[int, Callable[[Any], Awaitable[None]], Callable[[Any], bool]]] = {
    "check": (EXERCISE, begin_a_check, verdict_shown),
    "code run": (CODE, begin_a_code_run, output_shown),
}


@pytest.mark.parametrize("run", RUNS)
async def test_a_notice_due_as_a_run_goes_is_not_shown_with_what_it_shows(
    tmp_path: Path, run: str
) -> None:
    """The store answers while a run begun at once goes on: a check's verdict, a code step's
    output, was drawn under the toast."""
    step, begin, shown = RUNS[run]
    run_may_end = asyncio.Event()

    async def run_later(code: str, **options: Any) -> Any:
        await run_may_end.wait()
        return scripted(code, **options)

    async def run_while_the_store_answers(pilot: Any) -> None:
        await begin(pilot)
        await wait_for(pilot, lambda: pilot.app.screen.run_in_progress)
        pilot.app.learning.released.set()
        await wait_for(pilot, lambda: notice_answered(pilot.app))
        run_may_end.set()
        await wait_for(pilot, lambda: shown(pilot.app))

    sandbox = FakeSandbox(run_later)
    app = app_with_after(tmp_path, learning=SlowLearning(), sandbox=sandbox)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await act_before_the_store_answers(pilot, step, run_while_the_store_answers)
        assert not take_first_shown(app), toasts(app)


async def test_a_notice_taken_down_before_the_app_shows_it_is_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The learner acts between the notice being posted and the app handling its message:
    taking down a note the app did not show yet did nothing, and then the app showed it."""
    app = app_with_after(tmp_path)
    post, held = app.post_message, []

    def hold_the_notice(message: Any) -> bool:
        if isinstance(message, Notify) and "builds on" in message.notification.message:
            held.append(message)
            return True
        return post(message)

    monkeypatch.setattr(app, "post_message", hold_the_notice)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        app.open_lesson("tui-after", step=EXERCISE)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: bool(held))
        await take_a_hint(pilot)
        post(held.pop())  # the app comes to the notice's message
        await pilot.pause()
        await pilot.pause()
        assert not take_first_shown(app), toasts(app)


async def test_a_notice_never_shown_is_said_at_the_next_opening(tmp_path: Path) -> None:
    """The notice is said once: one the learner was too quick for was never said, and comes
    as the lesson opens again."""
    app = app_with_after(tmp_path, learning=SlowLearning())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await act_before_the_store_answers(pilot, *ACTS["run"])
        assert not take_first_shown(app), toasts(app)
        app.pop_screen()
        await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
        app.open_lesson("tui-after", step=CODE)
        await wait_for(pilot, lambda: take_first_shown(app))
