"""The shipped diagrams fit the lesson screen at the width the app asks for (``LESSON_WIDTH``).

A fenced line wider than its fence is cut at the edge. It can be scrolled to, but on a screen of
the advertised width nobody should have to: this measures the fence on a real lesson screen and
holds every fenced line of every shipped deck to it.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual.widgets import Label, Markdown

from tutor.app import LESSON_WIDTH
from tutor.screens.lesson import LessonScreen

from .conftest import ready, wait_for

ROOT = Path(__file__).resolve().parents[2]


def fenced_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of every line inside a ``` fence of a YAML deck, dedented to the
    fence's own indentation (what the learner sees)."""
    found, fence_indent = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip().startswith("```"):
            fence_indent = None if fence_indent is not None else len(line) - len(line.lstrip())
        elif fence_indent is not None:
            found.append((number, line[fence_indent:]))
    return found


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


async def test_every_shipped_diagram_fits_the_lesson_fence(app_factory):
    width = await fence_width(app_factory)
    assert 60 < width < LESSON_WIDTH  # a fence, measured, not the whole screen
    decks = sorted((ROOT / "lessons").glob("*.yaml")) + sorted((ROOT / "cards").glob("*.yaml"))
    too_wide = [
        f"{path.relative_to(ROOT)}:{number}: {cell_len(text)} cells > {width}: {text.strip()}"
        for path in decks
        for number, text in fenced_lines(path)
        if cell_len(text) > width
    ]
    assert not too_wide, "\n".join(too_wide)


async def test_a_narrow_terminal_is_told_how_wide_the_lessons_are(app_factory):
    for size, told in (((80, 24), True), ((LESSON_WIDTH, 30), False)):
        app = app_factory()
        async with app.run_test(size=size, notifications=True) as pilot:
            await ready(pilot)
            await pilot.pause()
            toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
            expected = f"{size[0]} columns wide; the lessons are drawn for {LESSON_WIDTH}"
            assert any(expected in t for t in toasts) is told, (size, toasts)
