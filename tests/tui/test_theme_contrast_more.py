"""Text the tutor draws with its own colours reads at 4.5:1 (WCAG) on every theme it offers, as
the terminal gets it: Bug Hunt's code lines (dimmed, 2.7:1 on the light themes), the course
map's highlighted row (its dim sub-line 1.8:1 on gruvbox), the trace's arrows and flags (the
backward arrow 2.4:1 on nord). QA measured each; these measure the real widgets in a pilot."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from rich.segment import Segment
from textual.color import Color as ThemeColor
from textual.command import CommandList
from textual.widgets import DataTable, Static

from tests.tui.conftest import TRACE, colours, make_app, open_with_key, themed, wait_for
from tutor.games.bug_hunt import KINDS, new_puzzle
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.theme_styles import READABLE, THEMES, contrast
from tutor.widgets.choice_list import ChoiceList
from tutor.widgets.trace_view import TraceView

SIZE = (100, 40)


def is_text(text: str) -> bool:
    """Whether a drawn piece holds text: not only a border's or a bar's glyphs (box drawing,
    block elements, the progress bar's ▰▱), graphics that need 3:1, not 4.5:1."""
    return any(not ("\u2500" <= ch <= "\u259f" or ch in "▰▱") and not ch.isspace() for ch in text)


def drawn(widget: Any, rows: set[int] | None = None) -> list[tuple[int, Segment]]:
    """The segments ``widget`` draws now (in ``rows`` of it, or all), as Textual hands them to
    the terminal, with the row each is on."""
    return [
        (y, segment)
        for y, strip in enumerate(widget.render_lines(widget.region.reset_offset))
        if rows is None or y in rows
        for segment in strip
        if segment.style is not None and is_text(segment.text)
    ]


def unreadable(widget: Any, what: str, rows: set[int] | None = None) -> list[str]:
    """Each piece of text ``widget`` draws below 4.5:1, named for the failure message."""
    low = []
    for y, segment in drawn(widget, rows):
        measured = contrast(*colours(widget, segment))
        if measured < READABLE:
            low.append(f"{what} row {y} {segment.text.strip()!r}: {measured:.2f}")
    return low


def feedback_low(root: Any, selector: str, what: str) -> list[str]:
    """Each piece of text the feedback (``selector`` in ``root``) draws below 4.5:1, after making
    sure it drew some: a measure of nothing passes."""
    feedback = root.query_one(selector, Static)
    assert feedback.display and drawn(feedback), what
    return unreadable(feedback, what)


GUTTER = r"\d+ │"
"""A Bug Hunt line's number, drawn on the list's own ground (its code on the terminal's)."""


def highlighted_rows(widget: Any) -> set[int]:
    """The rows of an option list the highlighted option takes (in the widget's own rows,
    its border's top row being 0)."""
    index = widget.highlighted
    first = widget._index_to_line[index] - round(widget.scroll_y) + widget.styles.gutter.top
    return set(range(first, first + widget._heights[index]))


def row_apart(widget: Any, ground: ThemeColor) -> float:
    """How far apart (WCAG ratio) Textual's own highlighted row of a list without focus stands
    from the other rows on ``ground``: the theme's primary colour blended in at 0.3."""
    primary = ThemeColor.parse(widget.app.get_css_variables()["primary"])
    row = ThemeColor.parse(primary.with_alpha(0.3).hex)  # its alpha in a byte, as Textual's
    return contrast(ground, ground + row)


def stands_out(widget: Any, theme: str, what: str, pattern: str = r".+") -> None:
    """A list's highlighted row still stands out: its background (under the drawn pieces that
    match ``pattern``: Bug Hunt's line numbers, whose ground is the list's own) at least as far
    from the other rows' as Textual's row without focus is. Only different was not enough: a
    row faded until its text read stood 1.11:1 from the others on solarized-light."""
    on = highlighted_rows(widget)
    grounds = {
        y: colours(widget, segment)[1]
        for y, segment in drawn(widget)
        if re.fullmatch(pattern, segment.text.strip())
    }
    picked = {grounds[y] for y in on if y in grounds}
    others = {ground for y, ground in grounds.items() if y not in on}
    assert picked and others, (theme, what, picked, others)
    for row in picked:
        for other in others:
            need = row_apart(widget, other)
            assert contrast(row, other) >= need - 0.02, (  # colours in whole bytes
                theme,
                what,
                f"row {row.hex} vs {other.hex}: {contrast(row, other):.2f}, Textual's {need:.2f}",
            )


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
            assert any("⤵" in segment.text for _, segment in drawn(lines)), kind
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
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await themed(pilot, theme)
        low = await course_map(pilot)
        low += await trace(pilot)
        low += await bug_hunt_lines(pilot, theme)
        assert not low, "\n".join([theme, *low])


@pytest.mark.parametrize("theme", THEMES)
async def test_the_palettes_chosen_command_reads_and_stands_out(tmp_path, theme: str) -> None:
    """The command palette's list never takes the focus (Textual's ``CommandList``), so the
    command Enter runs is always drawn as a highlighted row without focus, on the palette's own
    ground: its text read 3.80:1 on tokyo-night; and it stands out from the other commands."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await themed(pilot, theme)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: bool(app.screen.query(CommandList)))
        commands = app.screen.query_one(CommandList)
        await wait_for(
            pilot, lambda: commands.option_count > 2 and commands.highlighted is not None
        )
        await pilot.pause()
        assert not commands.has_focus
        on = highlighted_rows(commands)
        assert drawn(commands, on), theme
        low = unreadable(commands, "palette's chosen command", on)
        assert not low, "\n".join([theme, *low])
        stands_out(commands, theme, "palette")
