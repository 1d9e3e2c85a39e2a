"""A run's stderr lines read at 4.5:1 (WCAG) on every theme the tutor offers, as drawn where a
run's output is shown: the sandbox screen's run panel (its output focused or not, whose tint
lies behind it) and a lesson's. Dark themes write them in the terminal's yellow, measured here
with the contrast tests' helpers."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from tests.tui.conftest import (
    FakeResult,
    FakeSandbox,
    low_in,
    sandbox_settled,
    text_of,
    themed_app,
    wait_for,
)
from tutor.screens.lesson import LessonScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.theme_styles import THEMES
from tutor.widgets.output_view import OutputView
from tutor.widgets.run_panel import RunPanel

STDERR = "UserWarning: careful, this is slow"


def with_stderr(code: str, **_: Any) -> FakeResult:
    """A run that writes one line to stderr, and nothing else."""
    return FakeResult(stderr=f"{STDERR}\n")


def stderr_view(panel: RunPanel) -> OutputView:
    """The run panel's output, once it shows the run's stderr line."""
    view = panel.query_one(".run-stdout", OutputView)
    assert STDERR in text_of(view), text_of(view)
    return view


def low_on(view: OutputView, theme: str, where: str) -> list[str]:
    return [f"{theme}: {piece}" for piece in low_in(view, where)]


@pytest.mark.parametrize("theme", THEMES)
async def test_stderr_reads_on_the_sandbox_screen_on_every_theme(tmp_path, theme) -> None:
    sandbox = FakeSandbox(with_stderr)
    async with themed_app(tmp_path, theme, start="sandbox", sandbox=sandbox) as pilot:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        await pilot.press("ctrl+r")
        await sandbox_settled(pilot)
        view = stderr_view(app.screen.query_one(RunPanel))
        low = low_on(view, theme, "sandbox stderr")
        app.screen.query_one("#sb-output").focus()  # tinted behind the output when focused
        await pilot.pause()
        low += low_on(view, theme, "sandbox stderr (output focused)")
        assert not low, "\n".join(low)


@pytest.mark.parametrize("theme", THEMES)
async def test_stderr_reads_in_a_lessons_run_panel_on_every_theme(tmp_path, theme) -> None:
    sandbox = FakeSandbox(with_stderr)
    options: dict[str, Any] = {"start": "lesson", "start_arg": "tui-next", "sandbox": sandbox}
    async with themed_app(tmp_path, theme, **options) as pilot:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("right")  # the lesson's code step
        await pilot.pause()
        await pilot.press("r")
        panel = app.screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.result is not None)
        await pilot.pause()
        assert not panel.query(".run-status-text").first(Static).has_class("-empty")
        assert not (low := low_on(stderr_view(panel), theme, "lesson stderr")), "\n".join(low)
