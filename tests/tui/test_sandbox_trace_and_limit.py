"""The sandbox screen (QA at 80x24): a traced lesson step opened in it keeps its trace on; a
traced run's rows below the output area's foot are said, with the key that scrolls to them from
the editor; a run going says the time limit it runs under."""

from __future__ import annotations

import copy
from typing import Any

from textual.widgets import Static

from tests.tui.conftest import (
    HANG,
    TRACE,
    FakeResult,
    FakeSandbox,
    make_app,
    open_with_key,
    plain,
    ready,
    sandbox_settled,
    wait_for,
)
from tutor.i18n import tr
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.following_scroll import FollowingScroll
from tutor.widgets.run_panel import RunPanel
from tutor.widgets.trace_view import TraceView


def traced_runs(code: str, *, trace: bool = False, **_: object) -> FakeResult:
    """A run with a value, and four trace events when traced (two forward, two backward)."""
    events = [copy.deepcopy(TRACE[i]) for i in (0, 0, 1, 1)] if trace else []
    return FakeResult(value="torch.Size([3, 2])", trace=events)


async def traced_run_shown(pilot: Any) -> tuple[SandboxScreen, FollowingScroll]:
    """The sandbox opened with s, a traced run done and shown; the screen and its output area."""
    screen = await open_with_key(pilot, "s", SandboxScreen)
    await pilot.press("ctrl+t", "ctrl+r")
    await wait_for(pilot, lambda: bool(screen.query(TraceView)))
    await sandbox_settled(pilot)
    return screen, screen.query_one("#sb-output", FollowingScroll)


async def test_a_sandbox_opened_traced_runs_with_the_trace(tmp_path):
    asked: list[bool] = []

    def run(code: str, *, trace: bool = False, **options: object) -> FakeResult:
        asked.append(trace)
        return traced_runs(code, trace=trace)

    app = make_app(tmp_path, sandbox=FakeSandbox(run))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.push_screen(SandboxScreen(code="model(x)", trace=True))
        screen = app.screen
        said = plain(screen.query_one("#sb-trace", Static).content)
        assert tr("sb.trace", "en", state=tr("sb.on", "en")) in said
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: bool(screen.query(TraceView)))
        assert asked == [True]


async def test_rows_below_a_traced_run_are_said_and_reached_from_the_editor(tmp_path):
    app = make_app(tmp_path, "zh", sandbox=FakeSandbox(traced_runs))
    async with app.run_test(size=(80, 24)) as pilot:
        screen, area = await traced_run_shown(pilot)
        more = screen.query_one("#sb-more", Static)
        below = round(area.max_scroll_y - area.scroll_y)
        assert below > 0 and more.display
        assert plain(more.content) == tr("sb.more_below", "zh", rows=below)
        assert screen.focused is screen.query_one("#sb-editor")
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        await wait_for(pilot, lambda: area.scroll_y == area.max_scroll_y)
        assert not more.display  # all of it seen: nothing said
        last_row = screen.query_one(TraceView).query_one("DataTable").region
        assert area.region.contains_region(last_row)
        await pilot.press("ctrl+pageup")
        await wait_for(pilot, lambda: more.display)


async def test_nothing_is_said_below_a_run_that_fits(tmp_path):
    app = make_app(tmp_path, sandbox=FakeSandbox(traced_runs))
    async with app.run_test(size=(120, 50)) as pilot:
        screen, area = await traced_run_shown(pilot)
        assert area.max_scroll_y == 0
        assert not screen.query_one("#sb-more", Static).display


async def test_a_run_going_says_its_time_limit(tmp_path):
    app = make_app(tmp_path, "zh", sandbox=FakeSandbox(lambda code, **_: HANG))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.running)
        limit = screen.query_one(RunPanel).query_one(".run-limit", Static)
        await wait_for(pilot, lambda: limit.display)
        assert plain(limit.content) == tr("run.limit", "zh", seconds="30")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.running)
        assert not limit.display


async def test_e_on_a_traced_code_step_opens_the_sandbox_traced(tmp_path):
    """QA: lesson 08's traced step showed its trace when run, and its code opened with `e` ran
    untraced in the sandbox."""
    from tutor.screens.lesson import LessonScreen

    app = make_app(tmp_path, sandbox=FakeSandbox(traced_runs))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.open_lesson("tui-basics")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("right")  # the fixture's traced code step
        await pilot.pause()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        assert app.screen.trace is True


async def test_a_resize_says_the_rows_below_anew(tmp_path):
    """A taller terminal leaves fewer rows below without changing the output's size: the line
    said the count from before the resize (a review)."""
    app = make_app(tmp_path, sandbox=FakeSandbox(traced_runs))
    async with app.run_test(size=(80, 24)) as pilot:
        screen, area = await traced_run_shown(pilot)
        more = screen.query_one("#sb-more", Static)
        before = round(area.max_scroll_y - area.scroll_y)
        assert more.display and before > 1
        await pilot.resize_terminal(80, 27)

        def said_now() -> bool:
            below = round(area.max_scroll_y - area.scroll_y)
            return below != before and plain(more.content) == tr("sb.more_below", "en", rows=below)

        await wait_for(pilot, said_now)
