"""The run panel's output as drawn on screen: what a run wrote, wrapped at the panel's width, in
its colours, at most 16 rows high and scrollable past them, redrawn while it streams (a line
rewritten with ``\\r`` shows its new state, and only that line is wrapped again), hidden when
there is none, drawn again in the new language after F2.

Most tests read the rows the panel draws (its strips), whichever widget draws them; one draws
the same output in a ``Static`` (how the panel drew it before it had a view of its own) and
asserts every cell alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Offset, Region
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from tutor.i18n import tr
from tutor.terminal_text import TerminalText
from tutor.widgets.output_view import OutputView
from tutor.widgets.run_panel import RunPanel

from .conftest import FakeResult, PanelApp

WIDTH = 40  # the terminal's; the output's rows are 38 wide (padding 0 1)
ROWS = 16  # the most rows the output shows


def output_widget(app: App[Any]) -> Widget:
    return app.query_one(".run-stdout")


def strips(widget: Widget) -> list[Strip]:
    """The rows ``widget`` draws, padding and scrollbar included."""
    width, height = widget.outer_size
    return widget.render_lines(Region(0, 0, width, height))


def drawn(app: App[Any]) -> list[str]:
    """The output's rows as drawn, less the padding's blank first column; [] while hidden."""
    widget = output_widget(app)
    if not widget.display:
        return []
    return [strip.text[1:].rstrip() for strip in strips(widget)]


def cells(strip: Strip) -> list[tuple[str, str]]:
    """Each cell of a drawn row with its style, less the offsets text selection reads."""
    out = []
    for segment in strip:
        style = segment.style
        name = "" if style is None else str(style.copy().clear_meta_and_links())
        out.extend((char, name) for char in segment.text)
    return out


async def stream(app: App[Any], pilot: Any, *chunks: str, new: bool = True) -> RunPanel:
    """Send stdout ``chunks`` to the panel as the sandbox does (``new``: a new run), then let
    the app lay it out and draw it."""
    panel = app.query_one(RunPanel)
    if new:
        panel.begin("cpu")
    for chunk in chunks:
        panel.add_output("stdout", chunk)
    await pilot.pause()
    return panel


async def test_the_lines_a_run_wrote_are_drawn_one_per_row(unthrottled):
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        await stream(app, pilot, "epoch 1\nepoch 2\n\nthe end\n")
        assert drawn(app) == ["epoch 1", "epoch 2", "", "the end"]


async def test_a_line_wider_than_the_panel_wraps_at_a_word_within_its_width(unthrottled):
    words = " ".join(f"word{i}" for i in range(12))  # 72 characters
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        await stream(app, pilot, f"{words}\nnext\n")
        rows = drawn(app)
        assert rows == [
            "word0 word1 word2 word3 word4 word5",
            "word6 word7 word8 word9 word10 word11",
            "next",
        ]
        assert all(len(row) <= WIDTH - 2 for row in rows)


async def test_a_line_rewritten_with_cr_is_drawn_as_it_now_reads(unthrottled):
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        panel = await stream(app, pilot, "epoch 1\n", "  0% |          |")
        assert drawn(app) == ["epoch 1", "  0% |          |"]
        panel.add_output("stdout", "\r 50% |#####     |")
        await pilot.pause()
        assert drawn(app) == ["epoch 1", " 50% |#####     |"]
        panel.add_output("stdout", "\r100% |##########|\ndone\n")
        await pilot.pause()
        assert drawn(app) == ["epoch 1", "100% |##########|", "done"]


async def test_a_rewrite_of_the_last_line_wraps_only_that_line_again(unthrottled, monkeypatch):
    """What makes a redraw of a long output cheap: lines the terminal left alone keep their
    wrapped rows, and only the visible rows are drawn at all."""
    wrapped: list[int] = []
    draw = OutputView._draw

    def counted(self: OutputView, line: Text, width: int, index: int) -> list[Strip]:
        wrapped.append(index)
        return draw(self, line, width, index)

    monkeypatch.setattr(OutputView, "_draw", counted)
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        logs = "".join(f"step {i} loss 0.{i:03d}\n" for i in range(500))
        panel = await stream(app, pilot, logs, "progress 1")
        assert drawn(app)[0] == "step 0 loss 0.000"
        assert len(set(wrapped)) <= ROWS, "lines out of view were wrapped"
        output_widget(app).scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert drawn(app)[-1].startswith("progress 1")
        wrapped.clear()
        panel.add_output("stdout", "\rprogress 2")
        await pilot.pause()
        assert drawn(app)[-1].startswith("progress 2")
        assert wrapped == [500]  # the progress line, the 501st, and nothing else
        assert output_widget(app).text.plain.endswith("step 499 loss 0.499\nprogress 2")


async def test_long_output_shows_its_start_while_streaming_and_scrolls_to_its_end(unthrottled):
    """At most 16 rows show. As before, the view does not follow the end while more comes (it
    stays at the start, where the learner reads); past 16 rows it scrolls (a scrollbar shows),
    so the rest is not lost below the panel's edge."""
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 30)) as pilot:
        panel = await stream(app, pilot, *(f"line {i}\n" for i in range(40)))
        widget = output_widget(app)
        assert widget.outer_size.height == ROWS
        assert drawn(app)[0] == "line 0"
        panel.add_output("stdout", "line 40\n")
        await pilot.pause()
        assert drawn(app)[0] == "line 0", "the view jumped while output streamed"
        assert widget.max_scroll_y > 0
        widget.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        rows = drawn(app)
        assert rows[-1].split()[:2] == ["line", "40"]  # the scrollbar ends the row
        assert rows[0].split()[:2] == ["line", str(41 - ROWS)]


async def test_a_new_run_starts_at_the_top_of_its_output(unthrottled):
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 30)) as pilot:
        await stream(app, pilot, *(f"line {i}\n" for i in range(40)))
        output_widget(app).scroll_end(animate=False, immediate=True)
        await pilot.pause()
        await stream(app, pilot, *(f"row {i}\n" for i in range(40)))
        assert drawn(app)[0].split()[:2] == ["row", "0"]


async def test_colours_and_stderr_yellow_are_drawn():
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        result = FakeResult(stdout="loss \x1b[31mhigh\x1b[0m\n", stderr="warning: slow\n")
        app.query_one(RunPanel).finish(result)
        await pilot.pause()
        rows = strips(output_widget(app))
        colours = {
            segment.text.strip(): segment.style.color
            for strip in rows[:2]
            for segment in strip
            if segment.text.strip() and segment.style is not None
        }
        assert colours["high"] is not None and colours["high"] != colours["loss"]
        assert colours["warning: slow"] is not None
        assert colours["warning: slow"] not in (colours["high"], colours["loss"])


OUTPUTS = {
    "colours": ("epoch \x1b[1;32m1\x1b[0m: loss \x1b[31m0.42\x1b[0m\r\nplain\n", ""),
    "stderr": ("out\n", "warning: \x1b[34mblue\x1b[0m and \x1b[4munderlined\x1b[0m yellow\n"),
    "wrapped": ("a " * 50 + "\n" + "x" * 90 + "\n\n" + "tail \x1b[7mreversed\x1b[0m\n", "y" * 45),
    "wide": ("中文输出，一行很长很长很长很长很长很长很长很长很长很长很长很长。\nok\n", ""),
    "bar": ("", " 33%|###       | 1/3\r 67%|######    | 2/3"),
}


@pytest.mark.parametrize("name", list(OUTPUTS))
async def test_the_output_is_drawn_cell_for_cell_as_a_static_drew_it(name):
    """Wrapping, colours, padding and background as the ``Static`` the panel used to show its
    output in, given the same lines joined in one ``Text``."""
    stdout, stderr = OUTPUTS[name]
    lines = []
    for output, style in ((stdout, ""), (stderr, "yellow")):
        terminal = TerminalText(style)
        terminal.feed(output)
        lines += terminal.lines()[0]

    css = ".out { height: auto; max-height: 16; background: $surface; padding: 0 1; }"

    class Both(App[None]):
        CSS = css

        def compose(self) -> ComposeResult:
            yield Static(Text("\n").join(lines), classes="out")
            yield OutputView(classes="out")

    app = Both()
    async with app.run_test(size=(WIDTH, 40)) as pilot:
        view = app.query_one(OutputView)
        view.show(lines)
        await pilot.pause()
        static = app.query_one(Static)
        assert view.outer_size == static.outer_size
        assert [cells(s) for s in strips(view)] == [cells(s) for s in strips(static)]


async def test_no_output_is_hidden():
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        panel = app.query_one(RunPanel)
        panel.finish(FakeResult(value="3"))
        await pilot.pause()
        widget = output_widget(app)
        assert widget.has_class("-empty") and not widget.display
        assert widget.outer_size.height == 0 or widget.region.height == 0
        panel.finish(FakeResult(stdout="hello\n"))
        await pilot.pause()
        assert drawn(app) == ["hello"]
        panel.begin("cpu")
        await pilot.pause()
        assert not output_widget(app).display


async def test_the_note_on_cut_output_is_drawn_again_in_the_new_language():
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        panel = app.query_one(RunPanel)
        panel.finish(FakeResult(stdout="x\n", output_truncated=True))
        await pilot.pause()
        assert drawn(app) == ["x", tr("sandbox.output_truncated", "en")]
        app.lang = "zh"  # type: ignore[misc]
        panel.retranslate()
        await pilot.pause()
        assert drawn(app) == ["x", tr("sandbox.output_truncated", "zh")]


async def test_text_selected_with_the_mouse_is_the_output_it_covers(unthrottled):
    app = PanelApp()
    async with app.run_test(size=(WIDTH, 24)) as pilot:
        await stream(app, pilot, "first line\nsecond line\nthird\n")
        widget = output_widget(app)
        app.screen.selections = {widget: Selection(Offset(6, 0), Offset(6, 1))}
        await pilot.pause()
        assert app.screen.get_selected_text() == "line\nsecond"
