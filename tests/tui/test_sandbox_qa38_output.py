"""QA pass 38, the sandbox's output: a run that printed a screenful kept its start in view, so a
training loop looked frozen while it streamed, and the error, the value (⟹) or the note that the
output was cut sat out of view below it once the run ended."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import (
    HANG,
    FakeError,
    FakeResult,
    FakeSandbox,
    drawn,
    make_app,
    open_with_key,
    wait_for,
)
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.output_view import OutputView
from tutor.widgets.run_panel import RunPanel

PRINTED = "".join(f"step-{i}\n" for i in range(40))
REASON = "mat1-and-mat2-shapes-cannot-be-multiplied"


async def run_in_sandbox(pilot: Any) -> SandboxScreen:
    """Open your sandbox, press ^r, and wait until the run is over or (HANG) going."""
    screen: SandboxScreen = await open_with_key(pilot, "s", SandboxScreen)
    await pilot.press("ctrl+r")
    panel = screen.query_one(RunPanel)
    await wait_for(pilot, lambda: panel.result is not None or screen.running)
    await pilot.pause()
    return screen


def rows_shown(app: Any) -> list[str]:
    return drawn(app).split("\n")


async def test_a_failed_runs_reason_shows_below_a_screenful_of_output(tmp_path):
    """At 80x24, 40 printed lines then a raise showed "❌ Error" and the first lines; the
    reason took esc, tab×3 and End to reach."""
    error = FakeError("RuntimeError", REASON, 'File "<snippet>", line 4', line=4)
    result = FakeResult(status="error", stdout=PRINTED, error=error)
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: result))
    async with app.run_test(size=(80, 24)) as pilot:
        await run_in_sandbox(pilot)
        await wait_for(pilot, lambda: any(REASON in row for row in rows_shown(app)))


async def test_a_runs_value_shows_below_a_screenful_of_output(tmp_path):
    result = FakeResult(stdout=PRINTED, value="torch.Size([3, 2])")
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: result))
    async with app.run_test(size=(80, 24)) as pilot:
        await run_in_sandbox(pilot)
        await wait_for(pilot, lambda: any("⟹ torch.Size([3, 2])" in r for r in rows_shown(app)))


async def test_the_note_that_output_was_cut_shows_at_its_end(tmp_path):
    result = FakeResult(stdout=PRINTED, output_truncated=True)
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: result))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_in_sandbox(pilot)
        view = screen.query_one(OutputView)
        await wait_for(pilot, lambda: any("step-39" in row for row in rows_shown(app)))
        assert view.scroll_y == view.max_scroll_y > 0


async def test_streamed_output_follows_its_end_until_the_learner_scrolls_up(tmp_path):
    """As a terminal: the latest lines show while a run streams; scrolled up, the view stays
    where the learner put it; scrolled back to the end, it follows again."""
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: HANG))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await run_in_sandbox(pilot)
        panel = screen.query_one(RunPanel)
        view = screen.query_one(OutputView)
        panel.add_output("stdout", PRINTED)
        await wait_for(pilot, lambda: any("step-39" in row for row in rows_shown(app)))
        assert view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y
        panel.add_output("stdout", "step-40\n")
        await wait_for(pilot, lambda: any("step-40" in row for row in rows_shown(app)))
        view.focus()
        await pilot.press("home")  # the learner reads the start
        await wait_for(pilot, lambda: view.scroll_y == 0)
        panel.add_output("stdout", "step-41\n")
        await pilot.pause(0.2)
        assert view.scroll_y == 0, "the view jumped away from what the learner reads"
        await pilot.press("end")
        await wait_for(pilot, lambda: view.scroll_y == view.max_scroll_y)
        panel.add_output("stdout", "step-42\n")
        await wait_for(pilot, lambda: any("step-42" in row for row in rows_shown(app)))
        await pilot.press("escape")  # cancels the run
