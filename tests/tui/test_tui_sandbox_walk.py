"""Everything that runs code in the sandbox, as an adversarial learner walks it: a second run
asked for while one goes, a run still going on another screen, F2 while a run streams.

The sandbox here behaves as the real ``AsyncSandbox`` does where it matters: one run at a time
(a run asked for while another goes waits for it), ``cancel()`` stops the run in progress
whoever started it, and a task cancelled while its run goes waits for the worker to stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from textual.worker import WorkerState

from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.run_panel import RunPanel

from .conftest import (
    HANG,
    FakeCheck,
    FakeLearning,
    FakeResult,
    FakeSandbox,
    make_app,
    run_code_step,
    screen_text,
    start_bug_hunt_demo,
    wait_for,
)

SIZE = (100, 40)


class OneAtATime(FakeSandbox):
    """A :class:`FakeSandbox` that runs one snippet at a time, as the real sandbox does."""

    STOP_S = 0.2
    """How long a run takes to stop once its task is cancelled (the worker answering)."""

    def __init__(self, handler: Any) -> None:
        super().__init__(handler)
        self._lock: asyncio.Lock | None = None

    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    @property
    def busy(self) -> bool:
        return self._get_lock().locked()

    async def run(self, code: str, *args: Any, **kwargs: Any) -> Any:
        async with self._get_lock():
            task = asyncio.ensure_future(super().run(code, *args, **kwargs))
            try:
                return await asyncio.shield(task)
            except asyncio.CancelledError:
                if not self.cancel():  # not an endless run: stop waiting for it
                    task.cancel()
                await asyncio.sleep(self.STOP_S)
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    await task
                raise


def hangs_on_loops(code: str, *, check: str | None = None, **_: Any) -> Any:
    """Endless for the fixture's ``while True`` snippet (and any check of one), else quick."""
    if "while True" in code:
        return HANG
    if check is not None:
        return FakeResult(check=FakeCheck(True, ""))
    return FakeResult(stdout="mine\n", value="2")


def hanging(app: Any) -> bool:
    """Whether a run of the endless snippet is going in the sandbox."""
    stop = app.sandbox._stop
    return stop is not None and not stop.is_set()


def status_of(panel: RunPanel) -> str:
    return str(panel.query_one(".run-status-text").content)


def notices(app: Any) -> list[str]:
    return [notification.message for notification in app._notifications]


async def open_loop_step(pilot: Any) -> RunPanel:
    """The fixture's second lesson at its endless code step, run and streaming; its panel."""
    panel = await run_code_step(pilot)
    await wait_for(pilot, lambda: hanging(pilot.app))
    return panel


async def run_in_sandbox_over(pilot: Any) -> SandboxScreen:
    """From a code step whose run goes: `e` opens the sandbox, whose own run is asked for with
    ctrl+r (it waits its turn behind the step's); the sandbox screen."""
    app = pilot.app
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
    sandbox = app.screen
    sandbox._editor.load_text("print('mine')")
    await pilot.press("ctrl+r")
    await pilot.pause()
    return sandbox


def gated() -> tuple[asyncio.Event, Callable[..., Any]]:
    """A run that ends (printing "done", value 42) only once the event is set."""
    gate = asyncio.Event()

    async def slow(code: str, **_: Any) -> Any:
        await gate.wait()
        return FakeResult(stdout="done\n", value="42")

    return gate, slow


def assert_still_running(app: Any, panel: RunPanel) -> None:
    """A second run asked for while one goes: the first goes on and says so, the learner is
    told esc cancels it, and no second run reached the sandbox."""
    assert panel.has_class("-running")
    assert status_of(panel) == tr("run.running", "en", device="CPU")
    assert tr("sb.busy", "en") in notices(app)
    assert len(app.sandbox.calls) == 1


# ----------------------------------------------------------- a run going on another screen


async def test_the_sandbox_runs_while_a_lesson_run_goes_below(app_factory):
    """`e` on a code step whose run goes: the sandbox's own ctrl+r starts its run (it waits for
    the lesson's), instead of "Still running" about a run this screen does not show."""
    app = app_factory(sandbox=OneAtATime(hangs_on_loops), start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_loop_step(pilot)
        sandbox = await run_in_sandbox_over(pilot)
        panel = sandbox.query_one(RunPanel)
        assert tr("sb.busy", "en") not in notices(app)
        assert panel.display and panel.has_class("-running")


async def test_a_run_waiting_for_another_screens_run_says_so(app_factory):
    """The sandbox's run waits its turn behind the lesson's run: its panel says it waits (not
    that it runs), then runs once the lesson's run is over."""
    app = app_factory(sandbox=OneAtATime(hangs_on_loops), start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE) as pilot:
        await open_loop_step(pilot)
        sandbox = await run_in_sandbox_over(pilot)
        panel = sandbox.query_one(RunPanel)
        assert status_of(panel) == tr("run.queued", "en")
        app.sandbox._stop.set()  # the lesson's run ends
        await wait_for(pilot, lambda: panel.result is not None)
        assert panel.result.value == "2"


async def test_esc_leaves_a_lesson_while_another_screens_run_goes(app_factory):
    """esc on a code step with no run of its own leaves the lesson: it does not cancel the run
    of the sandbox underneath (nor take esc for a cancel it cannot make)."""
    box = OneAtATime(hangs_on_loops)
    app = app_factory(sandbox=box, start="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        sandbox = app.screen
        sandbox._editor.load_text("while True:\n    pass")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: hanging(app))
        app.open_lesson("tui-next")  # as the palette would
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("right")
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is sandbox)
        assert sandbox.query_one(RunPanel).has_class("-running")
        assert hanging(app)  # still going


async def test_esc_in_the_sandbox_cancels_its_own_run_not_the_lessons(app_factory):
    """The sandbox's run waits for the lesson's; esc there cancels the sandbox's run, and the
    lesson's goes on."""
    box = OneAtATime(hangs_on_loops)
    app = app_factory(sandbox=box, start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE) as pilot:
        lesson_panel = await open_loop_step(pilot)
        sandbox = await run_in_sandbox_over(pilot)
        await pilot.press("escape")
        await pilot.pause(OneAtATime.STOP_S * 2)
        sandbox_panel = sandbox.query_one(RunPanel)
        # the cancelled run's worker ends in its own time (later on a loaded machine): wait for
        # the panel to say so
        await wait_for(pilot, lambda: "Cancelled" in status_of(sandbox_panel))
        assert lesson_panel.has_class("-running")  # the lesson's run was not the one cancelled
        assert "Cancelled" in status_of(sandbox_panel)


async def test_esc_leaves_a_game_while_another_screens_run_goes(app_factory):
    """A game opened over a sandbox whose run goes (the palette): esc leaves the game, as its
    footer says, instead of cancelling the sandbox's run."""
    app = app_factory(sandbox=OneAtATime(hangs_on_loops), start="sandbox")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        sandbox = app.screen
        sandbox._editor.load_text("while True:\n    pass")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: hanging(app))
        app.action_bug_game()  # as the palette would
        await wait_for(pilot, lambda: isinstance(app.screen, BugHuntScreen))
        await pilot.press("escape")
        await pilot.pause(OneAtATime.STOP_S * 2)
        assert app.screen is sandbox
        assert hanging(app)


# ----------------------------------------------------------------------- a second run at once


async def test_run_again_while_a_code_step_runs_says_it_is_still_running(app_factory):
    """r while the step's run goes: the run goes on and says so, and the learner is told esc
    cancels it. (It used to cancel the run and start another, the panel showing "Cancelled"
    with no spinner while the new run went, as the first one's cancel landed late.)"""
    app = app_factory(sandbox=OneAtATime(hangs_on_loops), start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        panel = await open_loop_step(pilot)
        await pilot.press("r")
        await pilot.pause(OneAtATime.STOP_S * 2)
        assert_still_running(app, panel)


async def test_check_again_while_an_exercise_check_runs_says_it_is_still_running(app_factory):
    app = app_factory(sandbox=OneAtATime(hangs_on_loops), start="lesson", start_arg="tui-basics")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        app.screen.index = 7  # the exercise
        await pilot.pause()
        editor = app.screen.query_one("#editor")
        editor.load_text("while True:\n    pass")
        await pilot.press("ctrl+r")
        panel = app.screen.query_one(RunPanel)
        await wait_for(pilot, lambda: hanging(app))
        await pilot.press("ctrl+r")
        await pilot.pause(OneAtATime.STOP_S * 2)
        assert_still_running(app, panel)


async def test_a_demo_run_again_at_once_is_not_shown_cancelled(app_factory):
    """ctrl+r twice on Bug Hunt's demo: the first run stops, the second goes, and the panel says
    it is running (not "Cancelled", with no spinner, as the first run's cancel lands late)."""
    app = app_factory(sandbox=OneAtATime(lambda code, **_: HANG))
    async with app.run_test(size=SIZE) as pilot:
        await start_bug_hunt_demo(pilot)
        assert hanging(app)
        await pilot.press("ctrl+r")
        await pilot.pause(OneAtATime.STOP_S * 2)
        panel = app.screen.query_one(RunPanel)
        running = tr("run.running", "en", device="CPU")
        # on a loaded machine the first run's stop may land later than STOP_S * 2: the panel
        # says "Waiting for another run" till then, and must then say running, not "Cancelled"
        await wait_for(pilot, lambda: status_of(panel) == running)
        assert panel.has_class("-running")
        assert status_of(panel) == running


async def test_leaving_a_step_while_it_runs_cancels_the_run_cleanly(app_factory):
    """← while a code step runs: the run is cancelled, and its worker ends cancelled, not failed
    with NoMatches from a panel that is gone."""
    app = app_factory(sandbox=OneAtATime(hangs_on_loops), start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE) as pilot:
        await open_loop_step(pilot)
        (run,) = [worker for worker in app.workers if worker.group == "run"]
        await pilot.press("left")
        await wait_for(pilot, lambda: run.is_finished)
        assert not hanging(app)
        assert run.state == WorkerState.CANCELLED, run.error


# ------------------------------------------------------------------------ F2 while a run goes


async def test_f2_while_a_code_step_runs_keeps_the_run(app_factory):
    """F2 while a code step's run streams: the run goes on (its status in the new language),
    and its result shows in the new language when it ends. (The step used to be rebuilt at
    once, which cancelled the run without a word and hid its panel.)"""
    gate, slow = gated()
    box = OneAtATime(slow)
    app = app_factory(sandbox=box, start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE) as pilot:
        await run_code_step(pilot)
        await pilot.press("f2")
        await pilot.pause(OneAtATime.STOP_S * 2)
        panel = app.screen.query_one(RunPanel)
        assert panel.display and panel.has_class("-running")
        assert status_of(panel) == tr("run.running", "zh", device="CPU")
        gate.set()
        await wait_for(pilot, lambda: "⟹ 42" in screen_text(app))
        text = screen_text(app)
        assert tr("run.status.ok", "zh") in text
        assert "一次很长的运行" in text  # the step's own title follows F2 too
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_f2_while_an_exercise_is_checked_keeps_the_check_and_its_verdict(app_factory):
    """F2 while an exercise's check runs: the check goes on, its verdict shows in the new
    language, and the lesson records it."""
    gate = asyncio.Event()

    async def slow(code: str, *, check: str | None = None, **_: Any) -> Any:
        await gate.wait()
        return FakeResult(check=FakeCheck(True, ""))

    learning = FakeLearning()
    app = app_factory(
        sandbox=OneAtATime(slow), learning=learning, start="lesson", start_arg="tui-basics"
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        app.screen.index = 7  # the exercise
        await pilot.pause()
        await pilot.press("ctrl+r")
        panel = app.screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.has_class("-running"))
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.query_one(RunPanel).has_class("-running")
        gate.set()
        await wait_for(pilot, lambda: tr("ex.passed", "zh") in screen_text(app))
        assert learning.named("record_exercise") == [
            ("tui-basics.ex", "tui-basics", True, 0, None, False)
        ]


# ------------------------------------------------------------------ a sandbox that did not start


async def test_a_run_after_a_failed_start_starts_the_sandbox_again(tmp_path, monkeypatch):
    """The sandbox could not start (here Python fails on a broken PYTHONHOME; on a busy machine,
    torch can take longer to import than the start allows): the next run tries again, rather
    than say "not available" until the app is restarted."""
    monkeypatch.setenv("PYTHONHOME", "/nonexistent")
    app = make_app(tmp_path, sandbox=None)  # the app starts its own when asked to run
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        screen = SandboxScreen(code="1 + 1")
        await app.push_screen(screen)
        await pilot.press("ctrl+r")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.message is not None, tries=1500)
        assert app.sandbox is None
        monkeypatch.delenv("PYTHONHOME")  # what stopped it is gone
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: panel.result is not None, tries=3000)
        assert panel.result.status == "ok" and panel.result.value == "2"


async def test_f2_twice_while_a_code_step_runs_keeps_the_run(app_factory):
    """F2 twice while a code step's run goes: the first F2's wait for the run, replaced by the
    second's, must not rebuild the step at once (which would cancel the run)."""
    gate, slow = gated()
    app = app_factory(sandbox=OneAtATime(slow), start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE) as pilot:
        await run_code_step(pilot)
        (run,) = [worker for worker in app.workers if worker.group == "run"]
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause(OneAtATime.STOP_S * 2)
        assert not run.is_finished, run.state
        panel = app.screen.query_one(RunPanel)
        assert panel.display and panel.has_class("-running")
        gate.set()
        await wait_for(pilot, lambda: "⟹ 42" in screen_text(app))


async def test_leaving_a_lesson_after_f2_while_a_code_step_runs(app_factory):
    """F2 while a code step's run goes, then the lesson is left (as the palette would): the wait
    to rebuild the step ends with the screen, and does not rebuild it on a screen that is gone."""
    _gate, slow = gated()
    app = app_factory(sandbox=OneAtATime(slow), start="lesson", start_arg="tui-next")
    async with app.run_test(size=SIZE) as pilot:
        await run_code_step(pilot)
        lesson = app.screen
        await pilot.press("f2")
        await pilot.pause()
        shown = lesson._shown_view
        (relang,) = [worker for worker in app.workers if worker.group == "relang"]
        app.pop_screen()
        await wait_for(pilot, lambda: relang.is_finished)
        await pilot.pause(OneAtATime.STOP_S * 2)
        assert relang.state == WorkerState.CANCELLED, relang.error
        assert lesson._shown_view is shown  # not rebuilt
        assert app.is_running
