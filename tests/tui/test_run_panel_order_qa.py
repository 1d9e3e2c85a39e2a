"""QA pass over the run panel's order of stdout and stderr (fx13).

(a) Both streams cut: each gap note says whose it is (two alike notes stacked read as one).
(b) A line one stream left unfinished when the other wrote is broken there, as a terminal shows
it: "epoch 0: " then the warning then "loss 1.100", not "epoch 0: loss 1.100" above the warning;
a ``\\r`` progress bar shows the note after the state it was written after.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App

from tutor.widgets.output_view import OutputView
from tutor.widgets.run_panel import MAX_SHOWN_OUTPUT, RunPanel

from .conftest import FakeResult, PanelApp


def shown_text(app: App[Any]) -> str:
    return app.query_one(".run-stdout", OutputView).text.plain


def result_of(chunks: list[tuple[str, str]]) -> FakeResult:
    return FakeResult(
        stdout="".join(text for stream, text in chunks if stream == "stdout"),
        stderr="".join(text for stream, text in chunks if stream == "stderr"),
    )


async def shown_streamed_final_and_rebuilt(chunks: list[tuple[str, str]]) -> list[str]:
    """The panel's output while streamed, once finished, and in a panel built again from the
    result (a lesson's step after F2)."""
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(RunPanel)
        panel.begin("cpu")
        for stream, text in chunks:
            panel.add_output(stream, text)
        await pilot.pause()
        streamed = shown_text(app)
        result = result_of(chunks)
        panel.finish(result)
        await pilot.pause()
        final = shown_text(app)
        again = RunPanel(result=result)
        await app.mount(again)
        await pilot.pause()
        rebuilt = again.query_one(".run-stdout", OutputView).text.plain
    return [streamed, final, rebuilt]


MSE = [
    ("stdout", "epoch 0: "),
    ("stderr", "mse.py:7: UserWarning: sizes differ\n"),
    ("stdout", "loss 1.100\nepoch 1: loss 1.100\n"),
]


async def test_a_line_left_unfinished_is_broken_where_stderr_wrote(unthrottled):
    """snips/mse.py: a terminal shows "epoch 0: <warning>" then "loss 1.100"."""
    expected = "epoch 0: \nmse.py:7: UserWarning: sizes differ\nloss 1.100\nepoch 1: loss 1.100"
    assert await shown_streamed_final_and_rebuilt(MSE) == [expected] * 3


RBAR = [
    *[("stdout", f"\r[{'#' * i}{'.' * (4 - i)}] {i * 25}%") for i in range(3)],
    ("stderr", "\nhalf-way note\n"),
    *[("stdout", f"\r[{'#' * i}{'.' * (4 - i)}] {i * 25}%") for i in range(3, 5)],
    ("stdout", "\nafter bar\n"),
]


async def test_a_progress_bar_shows_a_note_after_the_state_it_came_after(unthrottled):
    """snips/rbar.py: the bar at 50%, the note (its leading newline is the one that ended the
    bar's row on a terminal: no blank row), the bar at its end."""
    expected = "[##..] 50%\nhalf-way note\n[####] 100%\nafter bar"
    assert await shown_streamed_final_and_rebuilt(RBAR) == [expected] * 3


TQDM = [
    ("stderr", "\repoch 0:  40%|####      |"),
    ("stderr", "\r                          \r"),  # tqdm.write clears the bar for its note
    ("stdout", "  note at step 4\n"),
    ("stderr", "\repoch 0:  40%|####      |"),
    ("stderr", "\repoch 0: 100%|##########|\n"),
    ("stdout", "epoch 0 loss 0.1\n"),
]


async def test_a_bar_cleared_for_a_note_goes_on_below_it(unthrottled):
    """snips/tq2.py: a row left blank is not broken; what the bar draws after the note stands
    after it, as on a terminal."""
    expected = "  note at step 4\nepoch 0: 100%|##########|\nepoch 0 loss 0.1"
    streamed, final, rebuilt = await shown_streamed_final_and_rebuilt(TQDM)
    assert [row.rstrip() for row in final.split("\n")] == expected.split("\n")
    assert streamed == final == rebuilt


async def test_endflush_numbers_and_notes_alternate(unthrottled):
    """snips/endflush.py: each number printed without a newline, then a line on stderr."""
    chunks = [("stdout", "epoch: ")]
    for i in range(3):
        chunks += [("stdout", f"{i} "), ("stderr", f"[err{i}]\n")]
    chunks.append(("stdout", "done\n"))
    expected = "epoch: 0 \n[err0]\n1 \n[err1]\n2 \n[err2]\ndone"
    assert await shown_streamed_final_and_rebuilt(chunks) == [expected] * 3


def interleaved(count: int) -> list[tuple[str, str]]:
    """snips/inter10k.py: a line on stdout, a line on stderr, ``count`` times (long lines, so
    that a few hundred chunks go past the shown maximum)."""
    chunks: list[tuple[str, str]] = []
    pad = "·" * 190
    for i in range(count):
        chunks += [("stdout", f"out {i:04d} {pad}\n"), ("stderr", f"err {i:04d} {pad}\n")]
    return chunks


@pytest.mark.parametrize(
    ("lang", "stdout_note", "stderr_note"),
    [
        ("en", "stdout: ⋯ ", "stderr: ⋯ "),
        ("zh", "标准输出：⋯ 此处省略", "标准错误输出：⋯ 此处省略"),
    ],
)
async def test_each_streams_gap_note_says_whose_it_is(unthrottled, lang, stdout_note, stderr_note):
    """Both streams past the shown maximum: two notes, one naming each stream."""
    count = 2 * MAX_SHOWN_OUTPUT // 200  # each stream's lines: twice what is shown
    chunks = interleaved(count)
    app = PanelApp()
    app.lang = lang
    async with app.run_test() as pilot:
        panel = app.query_one(RunPanel)
        panel.begin("cpu")
        for stream, text in chunks:
            panel.add_output(stream, text)
        await pilot.pause()
        for text in (shown_text(app), None):
            if text is None:
                panel.finish(result_of(chunks))
                await pilot.pause()
                text = shown_text(app)
            notes = [row for row in text.split("\n") if "⋯" in row]
            assert len(notes) == 2, notes
            assert notes[0].startswith(stdout_note), notes
            assert notes[1].startswith(stderr_note), notes


async def test_a_single_streams_gap_note_names_no_stream(unthrottled):
    """Only stdout wrote: its note is as it was, no stream named."""
    app = PanelApp()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(
            FakeResult(stdout="".join(f"line {i}\n" for i in range(MAX_SHOWN_OUTPUT // 4)))
        )
        await pilot.pause()
        notes = [row for row in shown_text(app).split("\n") if "⋯" in row]
    assert len(notes) == 1 and notes[0].startswith("⋯ "), notes


async def test_a_note_shown_before_stderr_wrote_is_worded_again_once_it_did(unthrottled):
    """stdout cut while it alone wrote (its note names no stream); stderr's first line makes
    two streams: stdout's note names it then, though its count did not change."""
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(RunPanel)
        panel.begin("cpu")
        panel.add_output("stdout", "".join(f"line {i}\n" for i in range(MAX_SHOWN_OUTPUT // 4)))
        await pilot.pause()
        assert next(row for row in shown_text(app).split("\n") if "⋯" in row).startswith("⋯ ")
        panel.add_output("stderr", "warned\n")
        await pilot.pause()
        notes = [row for row in shown_text(app).split("\n") if "⋯" in row]
    assert len(notes) == 1 and notes[0].startswith("stdout: ⋯ "), notes
