"""The width ``tutor.decks.advice`` holds diagrams to is the width a lesson's fence really shows
at ``LESSON_WIDTH`` columns: measured here on a real lesson screen. (The shipped decks are held to
it by ``tests/content/test_course.py::test_the_shipped_decks_need_no_advice``.)
"""

from __future__ import annotations

import pytest
from textual.widgets import Label, Markdown

from tutor.app import LESSON_WIDTH
from tutor.decks.advice import DIAGRAM_WIDTH
from tutor.screens.lesson import LessonScreen

from .conftest import ready, toasts, wait_for


async def fence_width(app_factory) -> int:
    """Cells of code a fence shows, with its padding, before it must scroll, on a lesson screen
    ``LESSON_WIDTH`` columns wide."""
    app = app_factory()
    async with app.run_test(size=(LESSON_WIDTH, 30)) as pilot:
        await ready(pilot)
        app.open_lesson("tui-basics")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: len(app.screen.query("MarkdownFence")) > 0)
        fence = app.screen.query_one(Markdown).query("MarkdownFence").first()
        padding = fence.query_one(Label).styles.padding  # the code sits in a padded Label
        return fence.content_region.width - padding.left - padding.right


async def test_the_advised_diagram_width_is_what_a_lesson_fence_shows(app_factory):
    assert await fence_width(app_factory) == DIAGRAM_WIDTH


@pytest.mark.parametrize(("size", "told"), [((80, 24), True), ((LESSON_WIDTH, 30), False)])
async def test_a_narrow_terminal_is_told_how_wide_the_lessons_are_as_a_lesson_opens(
    app_factory, size, told
):
    """Said at launch, the toast covered for eight seconds whatever screen opened (a review
    card's ratings, a game's verdict): it is said as the first lesson opens, once."""
    app = app_factory()
    async with app.run_test(size=size, notifications=True) as pilot:
        await ready(pilot)
        await pilot.pause()
        expected = f"{size[0]} columns wide; the lessons are drawn for {LESSON_WIDTH}"
        assert not any(expected in t for t in toasts(app)), (size, toasts(app))  # not yet
        app.open_lesson("tui-basics")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause()
        assert any(expected in t for t in toasts(app)) is told, (size, toasts(app))
        app.clear_notifications()
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
        app.open_lesson("tui-basics")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause()
        assert not any(expected in t for t in toasts(app))  # once a session
