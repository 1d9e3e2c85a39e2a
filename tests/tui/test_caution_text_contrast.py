"""What the tutor wrote in the terminal's yellow reads at 4.5:1 (WCAG) on every theme it offers,
as drawn, and follows a theme change: the course map's "still to pass" count, the review status
line's 🚩 flagged / 📝 edited / ⚠️ torch too old marks, Review's "no such deck" line, and the
run panel's messages (a run cancelled, the sandbox not available). Measured with the contrast
tests' helpers."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
from textual.color import Color as ThemeColor
from textual.widgets import Static

from tests.tui.conftest import (
    FakeLearning,
    FakeSandbox,
    colours,
    drawn_pieces,
    low_in,
    screen_text,
    text_of,
    themed_app,
    unreadable,
    wait_for,
)
from tests.tui.test_tui_torch_min import decks  # noqa: F401  (the fixture: a card for torch 99)
from tutor.app import SandboxUnavailable
from tutor.i18n import tr
from tutor.screens.home import HomeScreen
from tutor.screens.review import ReviewScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.theme_styles import THEMES, app_styles
from tutor.widgets.run_panel import RunPanel

NEWER_TORCH = "future-cards.later"
"""The fixture deck's card for a torch newer than any: its status line says so."""

LIGHT_THEME = "solarized-light"
"""The theme the follow-a-change tests switch to from the default (dark) one."""


def low_of(widget: Any, what: str, theme: str) -> list[str]:
    """What ``widget`` draws below 4.5:1 under ``theme``, each named for the failure message."""
    return [f"{theme}: {piece}" for piece in low_in(widget, what)]


class OpenChecksLearning(FakeLearning):
    """A learner who finished the fixture's first lesson with three of its checks still open."""

    def lesson_progress(self, lesson_id: str) -> dict[str, Any]:
        return {**super().lesson_progress(lesson_id), "open_checks": 3}


async def course_map_rows(pilot: Any, theme: str) -> list[str]:
    """The course map's rows once the finished lesson says how many are still to pass, with that
    lesson highlighted and not."""
    app = pilot.app
    home = app.screen
    assert isinstance(home, HomeScreen)
    lessons = home.query_one("#lessons")
    said = tr("home.still_to_pass", "en", count=3)
    await wait_for(pilot, lambda: said in screen_text(app))
    low = []
    for index in (0, 1):
        lessons.highlighted = index
        await pilot.pause()
        low += [f"{theme}: {piece}" for piece in unreadable(lessons, f"course map ({index} lit)")]
    return low


@pytest.mark.parametrize("theme", THEMES)
async def test_the_course_maps_still_to_pass_reads_on_every_theme(tmp_path, theme) -> None:
    async with themed_app(tmp_path, theme, learning=OpenChecksLearning()) as pilot:
        assert not (low := await course_map_rows(pilot, theme)), "\n".join(low)


async def test_the_course_maps_still_to_pass_follows_a_theme_change(tmp_path) -> None:
    async with themed_app(tmp_path, "tokyo-night", learning=OpenChecksLearning()) as pilot:
        pilot.app.theme = LIGHT_THEME
        await pilot.pause()
        assert not (low := await course_map_rows(pilot, LIGHT_THEME)), "\n".join(low)


def count_and_progress(lessons: Any) -> tuple[ThemeColor, ThemeColor]:
    """The text colours of the finished lesson's still-to-pass count and of its progress
    ("10/10"), drawn on the count's row or, where the count wrapped whole, the row above it."""
    pieces = drawn_pieces(lessons)
    y, count = next((y, piece) for y, piece in pieces if "still to" in piece.text)
    progress = next(
        piece for row in (y, y - 1) for at, piece in pieces if at == row and "/" in piece.text
    )
    return colours(lessons, count)[0], colours(lessons, progress)[0]


@pytest.mark.parametrize("theme", ["tokyo-night", LIGHT_THEME])
async def test_the_still_to_pass_count_stands_out_but_on_the_highlighted_row(
    tmp_path, theme
) -> None:
    """Off the highlighted row the count is a caution, in a colour of its own; on it, in the
    row's colour, as the rest of the row (no colour reads on both the row and the list)."""
    async with themed_app(tmp_path, theme, learning=OpenChecksLearning()) as pilot:
        await course_map_rows(pilot, theme)
        lessons = pilot.app.screen.query_one("#lessons")
        lessons.highlighted = 1
        await pilot.pause()
        count, progress = count_and_progress(lessons)
        assert count != progress
        lessons.highlighted = 0
        await pilot.pause()
        count, progress = count_and_progress(lessons)
        assert count == progress


async def marked_status(pilot: Any) -> Static:
    """Review's status line over a card flagged, edited and for a newer torch: all three marks."""
    app = pilot.app
    await wait_for(pilot, lambda: app.learning is not None)
    screen = ReviewScreen(deck_id="future-cards")
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state == "card" and screen._shown_as is not None)
    if screen.card.id != NEWER_TORCH:  # the deck's other card (met by any torch) came first
        await pilot.press("space", "4")  # Easy: not back in this sitting
        await wait_for(pilot, lambda: screen.card.id == NEWER_TORCH and screen._shown_as)
    screen._shown_as = replace(screen._shown_as, flagged=True, edited=True)
    screen.render_all()
    await pilot.pause()
    status = screen.query_one("#review-status", Static)
    for mark in ("🚩", "📝", "⚠️"):
        assert mark in text_of(status), text_of(status)
    return status


@pytest.mark.parametrize("theme", THEMES)
async def test_the_review_status_marks_read_on_every_theme(tmp_path, decks, theme) -> None:  # noqa: F811
    async with themed_app(tmp_path, theme, learning=True, decks=[decks]) as pilot:
        status = await marked_status(pilot)
        assert not (low := low_of(status, "review status", theme)), "\n".join(low)


async def test_the_review_status_marks_follow_a_theme_change(tmp_path, decks) -> None:  # noqa: F811
    async with themed_app(tmp_path, "tokyo-night", learning=True, decks=[decks]) as pilot:
        status = await marked_status(pilot)
        pilot.app.theme = LIGHT_THEME
        await pilot.pause()
        assert not (low := low_of(status, "review status", LIGHT_THEME)), "\n".join(low)


async def no_such_deck(pilot: Any) -> Static:
    """Review opened for a deck no lesson or card deck has: its summary says so."""
    app = pilot.app
    await wait_for(pilot, lambda: app.learning is not None)
    screen = ReviewScreen(deck_id="no-such-deck")
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state == "done")
    await pilot.pause()
    summary = screen.query_one("#review-summary", Static)
    assert "no-such-deck" in text_of(summary)
    return summary


@pytest.mark.parametrize("theme", THEMES)
async def test_reviews_no_such_deck_line_reads_on_every_theme(tmp_path, theme) -> None:
    async with themed_app(tmp_path, theme, learning=True) as pilot:
        summary = await no_such_deck(pilot)
        assert not (low := low_of(summary, "no such deck", theme)), "\n".join(low)


async def test_reviews_no_such_deck_line_follows_a_theme_change(tmp_path) -> None:
    async with themed_app(tmp_path, "tokyo-night", learning=True) as pilot:
        summary = await no_such_deck(pilot)
        pilot.app.theme = LIGHT_THEME
        await pilot.pause()
        assert not (low := low_of(summary, "no such deck", LIGHT_THEME)), "\n".join(low)


async def never_answers(code: str, **_: Any) -> None:
    """A sandbox run that never ends (its worker is cancelled: the panel says so)."""
    await asyncio.Event().wait()


def not_available(code: str, **_: Any) -> None:
    raise SandboxUnavailable("no torch here")


async def run_panel_message(pilot: Any, cancel: bool) -> Static:
    """The sandbox screen's run panel once its run is over without a result: cancelled while
    waiting (``cancel``), or the sandbox not available. Its status line."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
    panel = app.screen.query_one(RunPanel)
    await pilot.press("ctrl+r")
    if cancel:
        await wait_for(pilot, lambda: panel.has_class("-running"))
        await pilot.press("escape")
    await wait_for(pilot, lambda: panel.message is not None)
    await pilot.pause()
    status = panel.query_one(".run-status-text", Static)
    assert text_of(status) == panel.message
    return status


MESSAGES = {
    "cancelled": (never_answers, True, "caution"),
    "unavailable": (not_available, False, "wrong"),
}
"""Each run panel message: its sandbox's run, whether it is cancelled, and the style (a
:class:`Styles` field) it is said in."""


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("message", MESSAGES)
async def test_a_run_panels_message_reads_on_every_theme(tmp_path, theme, message) -> None:
    handler, cancel, _ = MESSAGES[message]
    sandbox = FakeSandbox(handler)
    async with themed_app(tmp_path, theme, start="sandbox", sandbox=sandbox) as pilot:
        status = await run_panel_message(pilot, cancel)
        assert not (low := low_of(status, f"run panel {message}", theme)), "\n".join(low)


@pytest.mark.parametrize("message", MESSAGES)
async def test_a_run_panels_message_follows_a_theme_change(tmp_path, message) -> None:
    """Redrawn in the new theme's colour for what it says: a failure stays the theme's
    ``wrong``, not its caution (which reads too)."""
    handler, cancel, style = MESSAGES[message]
    sandbox = FakeSandbox(handler)
    async with themed_app(tmp_path, "tokyo-night", start="sandbox", sandbox=sandbox) as pilot:
        status = await run_panel_message(pilot, cancel)
        pilot.app.theme = LIGHT_THEME
        await pilot.pause()
        assert not (low := low_of(status, f"run panel {message}", LIGHT_THEME)), "\n".join(low)
        meant = ThemeColor.parse(getattr(app_styles(pilot.app), style))
        drawn = {colours(status, piece)[0] for _, piece in drawn_pieces(status)}
        assert drawn == {meant}, (drawn, meant)
