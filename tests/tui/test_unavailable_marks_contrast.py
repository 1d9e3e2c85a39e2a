"""What says a thing is unavailable or failed reads at 4.5:1 (WCAG) on every theme the tutor
offers, as drawn: the device toggle's struck CUDA (dimmed), Stats' "no store" and "could not
read" lines and the deck problems' ✗ (the terminal's red, 3.0-4.1:1 on the dark themes). Each
follows a theme change too. Measured with the contrast tests' helpers."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from tests.tui.conftest import BROKEN, DECKS, drawn_pieces, low_in, themed_app, wait_for
from tutor.screens.problems import ProblemsScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.screens.stats import StatsScreen
from tutor.theme_styles import THEMES
from tutor.widgets.device_toggle import DeviceToggle


def low_of(widget: Any, what: str, theme: str) -> list[str]:
    """What ``widget`` draws below 4.5:1 under ``theme``, each named for the failure message."""
    return [f"{theme}: {piece}" for piece in low_in(widget, what)]


@pytest.mark.parametrize("theme", THEMES)
async def test_the_struck_cuda_reads_on_every_theme(tmp_path, theme) -> None:
    """The sandbox found no CUDA (``app.cuda`` is False): CUDA is struck through, and read."""
    async with themed_app(tmp_path, theme, start="sandbox") as pilot:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        toggle = app.screen.query_one(DeviceToggle)
        await wait_for(pilot, lambda: toggle.has_class(DeviceToggle.NO_CUDA))
        toggle.refresh()
        await pilot.pause()
        assert "CUDA" in str(toggle.render())
        assert not (low := low_of(toggle, "device toggle", theme)), low


async def stats_without_a_store(pilot: Any) -> StatsScreen:
    """Stats opened where no store could be opened: it says there are no numbers."""
    app = pilot.app
    app.action_stats()
    await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
    screen = app.screen
    assert isinstance(screen, StatsScreen)
    await wait_for(pilot, lambda: screen.no_store)
    await pilot.pause()
    return screen


@pytest.mark.parametrize("theme", THEMES)
async def test_stats_unavailable_and_not_read_lines_read_on_every_theme(tmp_path, theme) -> None:
    async with themed_app(tmp_path, theme) as pilot:  # no store opened
        screen = await stats_without_a_store(pilot)
        numbers = screen.query_one("#stats-numbers", Static)
        assert "not available" in str(numbers.render())
        low = low_of(numbers, "stats unavailable", theme)
        screen.read_error = "database is locked"
        screen.render_all()
        await pilot.pause()
        assert "database is locked" in str(numbers.render())
        low += low_of(numbers, "stats not read", theme)
        assert not low, low


async def test_stats_unavailable_line_follows_a_theme_change(tmp_path) -> None:
    async with themed_app(tmp_path, "tokyo-night") as pilot:
        screen = await stats_without_a_store(pilot)
        pilot.app.theme = "solarized-light"
        await pilot.pause()
        numbers = screen.query_one("#stats-numbers", Static)
        assert not (low := low_of(numbers, "stats unavailable", "solarized-light")), low


async def open_problems(pilot: Any) -> Static:
    """The deck problems dialog over a skipped deck file: its text."""
    await pilot.app.push_screen(ProblemsScreen())
    await pilot.pause()
    text = pilot.app.screen.query_one("#problems-text", Static)
    assert any("✗" in piece.text for _, piece in drawn_pieces(text))
    return text


@pytest.mark.parametrize("theme", THEMES)
async def test_a_skipped_decks_mark_reads_on_every_theme(tmp_path, theme) -> None:
    async with themed_app(tmp_path, theme, decks=[DECKS, BROKEN]) as pilot:
        text = await open_problems(pilot)
        assert not (low := low_of(text, "deck problems", theme)), low


async def test_a_skipped_decks_mark_follows_a_theme_change(tmp_path) -> None:
    async with themed_app(tmp_path, "tokyo-night", decks=[DECKS, BROKEN]) as pilot:
        text = await open_problems(pilot)
        pilot.app.theme = "solarized-light"
        await pilot.pause()
        assert not (low := low_of(text, "deck problems", "solarized-light")), low
