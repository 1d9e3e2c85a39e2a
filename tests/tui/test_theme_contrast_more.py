"""Text the tutor draws with its own colours reads at 4.5:1 (WCAG) on every theme it offers, as
the terminal gets it: Bug Hunt's code lines (dimmed, 2.7:1 on the light themes), the course
map's highlighted row (its dim sub-line 1.8:1 on gruvbox), the trace's arrows and flags (the
backward arrow 2.4:1 on nord). QA measured each; these measure the real widgets in a pilot."""

from __future__ import annotations

import random
from typing import Any

import pytest
from textual.command import CommandList
from textual.widgets import DataTable, Static

from tests.tui.conftest import (
    TRACE,
    drawn_pieces,
    highlighted_rows,
    open_with_key,
    stands_out,
    themed_app,
    unreadable,
    wait_for,
)
from tutor.games.bug_hunt import KINDS, new_puzzle
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.theme_styles import THEMES
from tutor.widgets.choice_list import ChoiceList
from tutor.widgets.trace_view import TraceView

GUTTER = r"\d+ │"
"""A Bug Hunt line's number, drawn on the list's own ground (its code on the terminal's)."""


async def bug_hunt_lines(pilot: Any, theme: str) -> list[str]:
    """Bug Hunt's lines in every kind of puzzle, before and after an answer (its list then
    without focus, and with); and its highlighted line still stands out."""
    app = pilot.app
    screen = await open_with_key(pilot, "b", BugHuntScreen)
    screen.NEXT_AFTER_S = 1e9  # "Next round" never takes the focus from the lines here
    lines = screen.query_one(ChoiceList)
    low = []
    for kind in KINDS:
        screen.puzzle = new_puzzle(random.Random(0), kind)
        screen.verdict = None
        screen.on_lang()
        lines.highlighted = 1  # line 2, as the learner moves to it
        await pilot.pause()
        low += unreadable(lines, f"bug hunt {kind}")
        stands_out(lines, theme, kind, GUTTER)
        puzzle = screen.puzzle
        wrong = next(n for n in range(1, len(puzzle.lines) + 1) if not puzzle.check(n))
        # answered on a wrong line, highlighted where the verdict's marks are (❌, 🐞, and a
        # missing line's fix after the line it must follow)
        screen.score_round(False, line=wrong)
        lines.highlighted = puzzle.answer - 1
        # measured as the answer leaves it, the focus on nothing (then on "Next round"): the
        # blurred highlighted row read 3.3-4.4:1 on four themes in Textual's own colours; then
        # in the focused list, as the learner moves in it
        for focused in (False, True):
            if focused:
                lines.focus()
            await pilot.pause()
            assert lines.has_focus == focused
            state = "focused" if focused else "blurred"
            low += unreadable(lines, f"bug hunt {kind} answered, {state}")
            stands_out(lines, theme, f"{kind} answered, {state}", GUTTER)
        if puzzle.missing:  # the fix's mark was drawn, and measured
            assert any("⤵" in segment.text for _, segment in drawn_pieces(lines)), kind
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(app.screen, BugHuntScreen))
    return low


async def course_map(pilot: Any) -> list[str]:
    """The course map's rows, the highlighted one first: a lesson with its 🔒 line (the
    fixture's second lesson) and one without."""
    lessons = pilot.app.screen.query_one("#lessons")
    low = []
    for index in (1, 0):
        lessons.highlighted = index
        await pilot.pause()
        low += unreadable(lessons, f"course map (lesson {index} highlighted)")
        low += unreadable(lessons, "course map highlighted row", highlighted_rows(lessons))
    return low


async def trace(pilot: Any) -> list[str]:
    """A trace's table, sparklines' labels and warnings: both arrows, a half-dead and a dead
    layer's zeros, a NaN's flags."""
    events = [
        dict(TRACE[0], phase="forward", zero_frac=0.6),
        dict(TRACE[0], phase="forward", module="1", zero_frac=1.0),
        dict(TRACE[1], has_nan=True, norm=None),
        dict(TRACE[1], module="1"),
        dict(TRACE[1]),
    ]
    view = TraceView(events, [{"kind": "nan", "module": ""}], lang="en")
    await pilot.app.screen.mount(view)
    await pilot.pause()
    low = unreadable(view.query_one(DataTable), "trace table")
    for label in view.query(Static):
        low += unreadable(label, "trace label")
    await view.remove()
    return low


@pytest.mark.parametrize("theme", THEMES)
async def test_the_tutors_own_colours_read_on_every_theme(tmp_path, theme: str) -> None:
    async with themed_app(tmp_path, theme) as pilot:
        low = await course_map(pilot)
        low += await trace(pilot)
        low += await bug_hunt_lines(pilot, theme)
        assert not low, "\n".join([theme, *low])


@pytest.mark.parametrize("theme", THEMES)
async def test_the_palettes_chosen_command_reads_and_stands_out(tmp_path, theme: str) -> None:
    """The command palette's list never takes the focus (Textual's ``CommandList``), so the
    command Enter runs is always drawn as a highlighted row without focus, on the palette's own
    ground: its text read 3.80:1 on tokyo-night; and it stands out from the other commands."""
    async with themed_app(tmp_path, theme) as pilot:
        app = pilot.app
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bool(app.screen.query(CommandList)))
        commands = app.screen.query_one(CommandList)
        await wait_for(
            pilot, lambda: commands.option_count > 2 and commands.highlighted is not None
        )
        await pilot.pause()
        assert not commands.has_focus
        on = highlighted_rows(commands)
        assert drawn_pieces(commands, on), theme
        low = unreadable(commands, "palette's chosen command", on)
        assert not low, "\n".join([theme, *low])
        stands_out(commands, theme, "palette")
