"""A run's stdout and stderr are shown in the order they came, as a terminal shows them (fx1):
the panel showed all of stdout, then all of stderr, so a warning or a line on stderr written
between two prints sat below the last of them, while streamed and once the run was over."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App
from textual.widgets import TextArea

from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.output_view import OutputView
from tutor.widgets.run_panel import MAX_SHOWN_OUTPUT, RunPanel

from .conftest import FakeResult, PanelApp, make_app, open_with_key, wait_for
from .test_run_panel_output import cells, colour_of

SNIPPET = """\
print("step 1")
import warnings; warnings.warn("careful")
print("step 2")
import sys; print("to stderr", file=sys.stderr)
print("step 3")
"""

CHUNKS = [
    ("stdout", "step 1\n"),
    ("stderr", "<snippet>:2: UserWarning: careful\n"),
    ("stdout", "step 2\n"),
    ("stderr", "to stderr\n"),
    ("stdout", "step 3\n"),
]
IN_ORDER = "step 1\n<snippet>:2: UserWarning: careful\nstep 2\nto stderr\nstep 3"


def shown(app: App[Any]) -> Text:
    return app.query_one(".run-stdout", OutputView).text


def result_of(chunks: list[tuple[str, str]]) -> FakeResult:
    """The result of the run that sent ``chunks``: each stream's text, whole."""
    return FakeResult(
        stdout="".join(text for stream, text in chunks if stream == "stdout"),
        stderr="".join(text for stream, text in chunks if stream == "stderr"),
    )


def italic(text: Text, part: str) -> bool:
    """Whether ``part`` (a run of the text) is drawn in italics."""
    styles = {style for chunk, style in cells(text) if part in chunk}
    assert len(styles) == 1, f"{part!r} is drawn in several styles: {styles}"
    style = styles.pop()
    return style is not None and bool(style.italic)


def stream(app: App[Any], chunks: list[tuple[str, str]]) -> RunPanel:
    panel = app.query_one(RunPanel)
    panel.begin("cpu")
    for name, text in chunks:
        panel.add_output(name, text)
    return panel


async def test_streamed_output_shows_stderr_where_it_came(unthrottled):
    app = PanelApp()
    async with app.run_test() as pilot:
        stream(app, CHUNKS)
        await pilot.pause()
        assert shown(app).plain == IN_ORDER
        assert colour_of(shown(app), "to stderr") == "yellow"
        assert colour_of(shown(app), "step 2") is None


async def test_the_finished_run_keeps_the_order_it_streamed_in(unthrottled):
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = stream(app, CHUNKS)
        panel.finish(result_of(CHUNKS))
        await pilot.pause()
        assert shown(app).plain == IN_ORDER
        assert colour_of(shown(app), "careful") == "yellow"


async def test_throttled_redraws_show_the_same_order():
    app = PanelApp()
    async with app.run_test() as pilot:
        stream(app, CHUNKS)
        await wait_for(pilot, lambda: shown(app).plain.endswith("step 3"))
        assert shown(app).plain == IN_ORDER


async def test_a_line_begun_before_stderr_wrote_stays_where_it_began(unthrottled):
    """stdout's "loading..." then stderr's line then stdout's " done": stdout's line begins
    where it began and is broken where stderr wrote, its rest below stderr's line, as a terminal
    shows it (fx13: it was shown whole above stderr's line)."""
    chunks = [("stdout", "loading..."), ("stderr", "oops\n"), ("stdout", " done\nnext\n")]
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = stream(app, chunks)
        await pilot.pause()
        assert shown(app).plain == "loading...\noops\n done\nnext"
        panel.finish(result_of(chunks))
        await pilot.pause()
        assert shown(app).plain == "loading...\noops\n done\nnext"


async def test_stderr_first_comes_first(unthrottled):
    chunks = [("stderr", "warned\n"), ("stdout", "printed\n")]
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = stream(app, chunks)
        panel.finish(result_of(chunks))
        await pilot.pause()
        assert shown(app).plain == "warned\nprinted"


async def test_a_long_stdout_keeps_its_gap_note_with_stderr_among_it(unthrottled):
    """stdout past the shown maximum keeps its start, the note of what it leaves out and its
    end; stderr's lines written before its end stand before the end, and after the start."""
    lines = [f"line {i:05d}\n" for i in range(4000)]  # 44,000 characters
    chunks = [
        ("stdout", "".join(lines[:2000])),
        ("stderr", "in the middle\n"),
        ("stdout", "".join(lines[2000:3999])),
        ("stderr", "near the end\n"),
        ("stdout", lines[3999]),
    ]
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = stream(app, chunks)
        await pilot.pause()
        streamed = shown(app).plain.split("\n")
        panel.finish(result_of(chunks))
        await pilot.pause()
        final = shown(app).plain.split("\n")
    assert sum(len(line) + 1 for line in lines) > MAX_SHOWN_OUTPUT
    for rows in (streamed, final):
        assert rows[0] == "line 00000"
        notes = [i for i, row in enumerate(rows) if "left out" in row]
        assert len(notes) == 1, rows[notes[0] - 1 : notes[-1] + 2] if notes else rows[:3]
        middle, near = rows.index("in the middle"), rows.index("near the end")
        assert notes[0] < middle < rows.index("line 03998") < near < rows.index("line 03999")
        assert rows[-1] == "line 03999"


async def test_a_panel_built_again_from_the_result_keeps_the_order(unthrottled):
    """A lesson builds its step's panel again from the result after F2; the new panel was given
    no chunks, only the result, and showed stdout then stderr."""
    app = PanelApp()
    async with app.run_test() as pilot:
        result = result_of(CHUNKS)
        stream(app, CHUNKS).finish(result)
        await pilot.pause()
        again = RunPanel(result=result)
        await app.mount(again)
        await pilot.pause()
        assert again.query_one(".run-stdout", OutputView).text.plain == IN_ORDER


async def test_a_result_never_streamed_shows_stdout_then_stderr(unthrottled):
    app = PanelApp()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(FakeResult(stdout="a\nb\n", stderr="c\n"))
        await pilot.pause()
        assert shown(app).plain == "a\nb\nc"


async def test_the_sandbox_shows_a_real_runs_warning_between_its_prints(tmp_path):
    """End to end: the sandbox screen runs the snippet in the real sandbox and shows its
    warning and its stderr line between the prints they were written between."""
    app = make_app(tmp_path, sandbox="real")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        screen.query_one(TextArea).load_text(SNIPPET)
        await pilot.press("ctrl+r")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.result is not None, tries=1500)
        assert panel.result.status == "ok", panel.result
        output = panel.query_one(".run-stdout", OutputView).text.plain
        rows = [row.strip() for row in output.split("\n")]
    assert rows[0] == "step 1"
    assert "UserWarning: careful" in rows[1]
    assert rows[3:] == ["step 2", "to stderr", "step 3"], rows


async def test_under_no_color_stderr_is_told_by_italics(unthrottled, monkeypatch):
    """NO_COLOR draws stderr's yellow as grey: among stdout's lines it was told by nothing."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = PanelApp()
    async with app.run_test() as pilot:
        stream(app, CHUNKS)
        await pilot.pause()
        text = shown(app)
    assert italic(text, "to stderr") and italic(text, "careful")
    assert not italic(text, "step 2")


async def test_with_colour_stderr_is_not_italic(unthrottled, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = PanelApp()
    async with app.run_test() as pilot:
        stream(app, CHUNKS)
        await pilot.pause()
        text = shown(app)
    assert not italic(text, "to stderr")


async def test_a_theme_change_keeps_the_order(unthrottled):
    """The light theme draws a finished run's stderr again in its own colour, from the result's
    text (the streams decoded again): the lines stay in the order they came."""
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = stream(app, CHUNKS)
        panel.finish(result_of(CHUNKS))
        await pilot.pause()
        app.theme = "textual-light"
        panel.theme_changed()
        await pilot.pause()
        assert shown(app).plain == IN_ORDER
        assert colour_of(shown(app), "to stderr") not in (None, "yellow")
