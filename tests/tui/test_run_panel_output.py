"""A run's output in the run panel is shown as a terminal would leave it: a progress bar that
rewrites its line with ``\\r`` shows its last state, colours are kept, and other escape sequences
(clear the screen, set the title, cursor moves) never reach the shown text; the output streamed
while the code runs and the final result's output are drawn alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Static

from sandbox.outcome import CLIP_NOTE
from tutor.i18n import tr
from tutor.widgets.output_view import OutputView
from tutor.widgets.run_panel import MAX_SHOWN_OUTPUT, RunPanel

from .conftest import FakeError, FakeResult, PanelApp, wait_for

TQDM = "  0%|          | 0/3\r 33%|###       | 1/3\r 67%|######    | 2/3\r100%|##########| 3/3\n"
TQDM_LAST = "100%|##########| 3/3"


def shown(app: App[Any]) -> Text:
    return app.query_one(".run-stdout", OutputView).text


def cells(text: Text) -> list[tuple[str, Style | None]]:
    """The text as drawn: each run of characters with the style it ends up with."""
    console = Console(width=200, color_system="truecolor")
    return [(s.text, s.style) for s in text.render(console, end="") if s.text]


def colour_of(text: Text, part: str) -> str | None:
    """The colour ``part`` (a run of the text) is drawn in."""
    styles = {style for chunk, style in cells(text) if part in chunk}
    assert len(styles) == 1, f"{part!r} is drawn in several styles: {styles}"
    style = styles.pop()
    return style.color.name if style is not None and style.color is not None else None


async def stream(app: App[Any], chunks: Iterable[tuple[str, str]], *, new: bool = True) -> RunPanel:
    """Send ``chunks`` (stream, text) to the panel, as the sandbox does; ``new``: a new run."""
    panel = app.query_one(RunPanel)
    if new:
        panel.begin("cpu")
    for stream_name, chunk in chunks:
        panel.add_output(stream_name, chunk)
    return panel


async def finished(result: FakeResult) -> Text:
    app = PanelApp()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(result)
        await pilot.pause()
        return shown(app)


async def test_a_progress_bar_shows_only_the_last_state_of_its_line():
    text = await finished(FakeResult(stdout="epoch 1\n", stderr=TQDM))
    assert text.plain == f"epoch 1\n{TQDM_LAST}"


async def test_a_bar_still_drawing_shows_its_state_while_streamed(unthrottled):
    app = PanelApp()
    async with app.run_test():
        await stream(app, [("stderr", "  0%\r"), ("stderr", " 50%\r")])
        assert shown(app).plain == " 50%"
        await stream(app, [("stderr", "  0%\r 50%\r100%\r")])
        assert shown(app).plain == "100%"


async def test_colours_are_kept_and_stderr_is_yellow_where_it_gives_none():
    text = await finished(
        FakeResult(
            stdout="loss \x1b[31mhigh\x1b[0m then \x1b[1;32mlow\x1b[0m\n",
            stderr="warning: \x1b[34mblue\x1b[0m note\n",
        )
    )
    assert text.plain == "loss high then low\nwarning: blue note"
    assert colour_of(text, "high") == "color(1)"
    assert colour_of(text, "low") == "color(2)"
    assert colour_of(text, "loss") is None
    assert colour_of(text, "blue") == "color(4)"
    assert colour_of(text, "warning") == "yellow"
    assert colour_of(text, " note") == "yellow"


@pytest.mark.parametrize(
    "output",
    [
        "\x1b[2J\x1b[Hepoch 1 done\n",  # clear the screen, cursor home
        "\x1b]0;pwned\x07epoch 1 done\n",  # set the title, ended by BEL
        "\x1b]2;pwned\x1b\\epoch 1 done\n",  # set the title, ended by ST
        "\x1b[?25lepoch\x1b[?25h 1 done\x1b[?1049h\n",  # hide the cursor, the alternate screen
        "\x1b[5Cepoch 1 done\x07\n",  # a cursor move right and a bell
    ],
)
async def test_other_escape_sequences_never_reach_the_shown_text(output):
    text = await finished(FakeResult(stdout=output))
    assert text.plain.strip() == "epoch 1 done"
    assert "pwned" not in text.plain


async def test_windows_line_endings_and_backspaces_are_drawn_as_a_terminal_does():
    text = await finished(FakeResult(stdout="first\r\nsecond\r\nab\bc\r\n"))
    assert text.plain == "first\nsecond\nac"


async def test_chunks_that_split_a_line_ending_or_an_escape_are_drawn_whole(unthrottled):
    app = PanelApp()
    async with app.run_test():
        await stream(app, [("stdout", "one\r"), ("stdout", "\ntwo \x1b[3")])
        assert shown(app).plain == "one\ntwo "  # no half of an escape sequence
        await stream(app, [("stdout", "1mred\x1b]0;ti"), ("stdout", "tle\x07\x1b[0m\n")], new=False)
        assert shown(app).plain == "one\ntwo red"
        assert colour_of(shown(app), "red") == "color(1)"


CHUNKED = [
    ("stdout", "epoch \x1b[3"),
    ("stdout", "2m1\x1b[0m\r"),
    ("stderr", "  0%\r 50%"),
    ("stdout", "\nloss 0.3\r\n"),
    ("stderr", "\r100%\r"),
    ("stderr", "\n\x1b]0;t"),
    ("stderr", "\x07done\n"),
]


@pytest.mark.parametrize("throttled", [False, True])
async def test_streamed_output_is_drawn_as_the_final_result_is(monkeypatch, throttled):
    if not throttled:
        monkeypatch.setattr(RunPanel, "OUTPUT_REFRESH_S", 0)
    stdout = "".join(chunk for name, chunk in CHUNKED if name == "stdout")
    stderr = "".join(chunk for name, chunk in CHUNKED if name == "stderr")
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = await stream(app, CHUNKED)
        # throttled, the last chunks are drawn a moment later
        await wait_for(pilot, lambda: shown(app).plain.endswith("done"))
        streamed = shown(app)
        panel.finish(FakeResult(stdout=stdout, stderr=stderr))
        final = shown(app)
    # each stream's unfinished line broken where the other wrote, as a terminal shows it (fx13)
    assert final.plain == "epoch 1\n 50%\nloss 0.3\n100%\ndone"
    assert cells(streamed) == cells(final)


async def test_a_flood_of_progress_updates_ends_on_the_last_one(unthrottled):
    """Far more than MAX_SHOWN_OUTPUT characters of rewrites: the line still ends as the run
    left it, streamed and in the result."""
    updates = [f"\r{i:5d}/5000 |{'#' * (i * 40 // 5000):<40}|" for i in range(5001)]
    assert len("".join(updates)) > 10 * MAX_SHOWN_OUTPUT
    app = PanelApp()
    async with app.run_test():
        panel = await stream(app, [("stderr", update) for update in updates])
        last = f" 5000/5000 |{'#' * 40}|"
        assert shown(app).plain == last
        panel.finish(FakeResult(stderr="".join(updates) + "\n"))
        assert shown(app).plain == last


async def test_long_output_is_cut_at_the_shown_maximum():
    """Each stream shows at most MAX_SHOWN_OUTPUT characters, its start and its end with a note
    between them: stderr is not pushed out by a long stdout."""
    text = await finished(FakeResult(stdout="x\n" * 30_000, stderr="y\n" * 30_000))
    lines = text.plain.split("\n")
    gaps = [i for i, line in enumerate(lines) if "lines left out" in line]
    assert len(gaps) == 2, gaps  # one in each stream
    first_y = lines.index("y")
    stdout, stderr = lines[:first_y], lines[first_y:]
    for shown, char in ((stdout, "x"), (stderr, "y")):
        kept = [line for line in shown if "lines left out" not in line]
        assert set(kept) == {char} and len("\n".join(kept)) <= MAX_SHOWN_OUTPUT
        assert len("\n".join(kept)) >= MAX_SHOWN_OUTPUT - 2


async def test_streamed_redraws_are_throttled_and_the_final_state_is_always_shown(monkeypatch):
    """A flood of chunks is not redrawn chunk by chunk (the decoder's work would make the UI
    lag): the first chunk shows at once, later ones at most every OUTPUT_REFRESH_S, and the
    run's end shows its final output at once, which no pending redraw overwrites."""
    monkeypatch.setattr(RunPanel, "OUTPUT_REFRESH_S", 3600)  # never, within this test
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = await stream(app, [("stdout", "step 1\n")])
        assert shown(app).plain == "step 1"
        panel.add_output("stdout", "step 2\n")
        assert shown(app).plain == "step 1"
        panel.finish(FakeResult(stdout="step 1\nstep 2\n"))
        await pilot.pause()
        assert shown(app).plain == "step 1\nstep 2"


async def test_the_results_output_wins_over_what_was_streamed_of_it(unthrottled):
    """A result whose output is more than what streamed in (or other) is drawn from the result;
    so is one shown again after F2."""
    app = PanelApp()
    async with app.run_test():
        panel = await stream(app, [("stdout", "partial\r")])
        assert shown(app).plain == "partial"
        panel.finish(FakeResult(stdout="partial\rcomplete\n"))
        assert shown(app).plain == "complete"
        panel.retranslate()
        assert shown(app).plain == "complete"


def test_run_panel_output_snapshot(snap_compare):
    """A finished run's bar, colours and stderr as the panel draws them; no title, no clearing."""
    result = FakeResult(
        stdout="\x1b]0;pwned\x07\x1b[2Jepoch \x1b[1;32m1\x1b[0m: loss \x1b[31m0.42\x1b[0m\r\n",
        stderr=TQDM + "\x1b[33mwarning\x1b[0m: lr is \x1b[4mhigh\x1b[0m\n",
    )

    async def run_before(pilot: Any) -> None:
        pilot.app.query_one(RunPanel).finish(result)
        await pilot.pause()

    assert snap_compare(PanelApp(), run_before=run_before, terminal_size=(60, 8))


@pytest.mark.parametrize(
    ("result", "noted"),
    [
        (FakeResult(stdout="x\n" * 30_000), False),  # cut by the panel: its start and end shown
        (FakeResult(stdout="x\n" * 100, output_truncated=True), True),  # cut by the sandbox
        (FakeResult(stdout="x\n" * 30_000, output_truncated=True), True),  # and by the sandbox
        (FakeResult(stdout="x\n" * 100), False),
    ],
    ids=["panel", "sandbox", "both", "whole"],
)
async def test_output_cut_short_says_so_once(result, noted):
    """Output whose end the learner does not see (the sandbox cut it) says so at its end, once;
    cut by the panel, its end is shown (the note is between its start and its end)."""
    plain = (await finished(result)).plain
    note = tr("sandbox.output_truncated", "en")
    assert plain.count(note) == int(noted)
    assert plain.endswith(note) == noted


async def test_trace_warnings_show_even_when_no_event_was_recorded():
    """A forward that fails in the model's first layer records no event, only the warning that
    names the layer and its input shapes (the shape-mismatch lesson): the panel shows it."""
    error = "RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"
    failure = {
        "kind": "forward_error",
        "module": "0",
        "phase": "forward",
        "message": f"0 (Linear) failed on input (2, 3): {error}",
        "params": {"type": "Linear", "input_shapes": [[2, 3]], "error": error},
    }
    app = PanelApp()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(FakeResult(status="error", trace_warnings=[failure]))
        await pilot.pause()
        warnings = app.query_one(".trace-warnings", Static).content
        assert "2x3 and 4x5" in str(warnings)
        assert not app.query(DataTable), "an empty table of no events"


class ChinesePanelApp(PanelApp):
    """Just a run panel, in Chinese."""

    lang = "zh"


@pytest.mark.parametrize(("app_class", "note"), [(PanelApp, None), (ChinesePanelApp, "还有")])
async def test_a_value_the_sandbox_clipped_says_so_in_the_learners_language(app_class, note):
    """The sandbox ends a value it cut with an English note of how much it left out; a Chinese
    learner reads it in Chinese, an English one as the sandbox wrote it."""
    value = "tensor([1, 2" + CLIP_NOTE.format(count=12345)
    app = app_class()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(FakeResult(value=value))
        await pilot.pause()
        shown_value = str(app.query_one(".run-value", Static).content)
    if note is None:
        assert shown_value.endswith(value)
    else:
        assert "more characters" not in shown_value and note in shown_value, shown_value
        assert "12345" in shown_value and "tensor([1, 2" in shown_value


async def test_a_value_or_error_never_sends_escape_sequences_to_the_terminal():
    """A ``__repr__`` or an exception message may carry escape sequences (a coloured log line,
    or worse: set the title, clear the screen); drawn as stdout is, none reaches the terminal."""
    nasty = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mred"
    error = FakeError("ValueError", nasty, traceback=f"ValueError: {nasty}\n", line=1)
    app = PanelApp()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(FakeResult(status="error", value=nasty, error=error))
        await pilot.pause()
        for part in ("run-value", "run-error"):
            drawn = app.query_one(f".{part}", Static).content
            text = drawn.plain if isinstance(drawn, Text) else str(drawn)
            assert "\x1b" not in text and "PWNED" not in text and "red" in text, (part, text)
