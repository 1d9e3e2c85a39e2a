"""A run's output: its end shown however long it is (a training loop's last losses), and read by
keys once Tab reaches it (QA pass 36)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.tui.conftest import FakeResult, FakeSandbox, PanelApp, make_app, ready, wait_for
from tutor.screens.lesson import LessonScreen
from tutor.widgets.output_view import OutputView
from tutor.widgets.run_panel import MAX_SHOWN_OUTPUT, TAIL_SHOWN, RunPanel, StreamedOutput

STEPS = 3000
TRAINING = "".join(f"step {i:5d} loss {1 / (i + 1):.4f}\n" for i in range(STEPS))
TRAINING += "final loss 0.0003\n"  # the line a learner runs it for


class ChinesePanelApp(PanelApp):
    lang = "zh"


LONG = "".join(f"line {i}\n" for i in range(200))


async def long_output_of_a_code_step(pilot: Any) -> OutputView:
    """The output of the fixture lesson's code step once run (the sandbox prints ``LONG``)."""
    app = pilot.app
    await ready(pilot)
    app.open_lesson("tui-basics", step=1)
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "run")
    await pilot.press("r")
    view = app.screen.query_one(OutputView)
    await wait_for(pilot, lambda: view.max_scroll_y > 0)
    return view


def shown(app: Any) -> list[str]:
    return app.query_one(OutputView).text.plain.split("\n")


def gap_count(lines: list[str], words: str) -> int:
    """The number of lines the note between the start and the end says were left out."""
    notes = [line for line in lines if words in line]
    assert len(notes) == 1, lines[:3]
    return int(re.search(r"\d+", notes[0]).group())  # type: ignore[union-attr]


async def test_a_long_runs_start_and_end_show_with_what_was_left_out_between() -> None:
    app = PanelApp()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(FakeResult(stdout=TRAINING))
        await pilot.pause()
        lines = shown(app)
        assert lines[0] == "step     0 loss 1.0000"
        assert lines[-1] == "final loss 0.0003"
        assert lines[-2] == f"step {STEPS - 1:5d} loss {1 / STEPS:.4f}"
        kept = [line for line in lines if "left out" not in line]
        assert len("\n".join(kept)) <= MAX_SHOWN_OUTPUT
        # the note counts the lines not shown: all of them, shown or counted, once
        assert len(kept) + gap_count(lines, "left out") == STEPS + 1


async def test_the_note_between_is_in_the_learners_language() -> None:
    app = ChinesePanelApp()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(FakeResult(stdout=TRAINING))
        await pilot.pause()
        lines = shown(app)
        assert lines[-1] == "final loss 0.0003"
        assert gap_count(lines, "省略") > 0


async def test_streamed_output_shows_its_latest_lines_past_the_maximum(unthrottled: None) -> None:
    app = PanelApp()
    async with app.run_test() as pilot:
        panel = app.query_one(RunPanel)
        panel.begin("cpu")
        written = TRAINING.splitlines(keepends=True)
        for at in range(0, len(written), 50):
            panel.add_output("stdout", "".join(written[at : at + 50]))
            lines = shown(app)
            assert lines[-1] == written[min(at + 50, len(written)) - 1].rstrip("\n")
        assert lines[0] == "step     0 loss 1.0000" and any("left out" in line for line in lines)
        panel.finish(FakeResult(stdout=TRAINING))
        await pilot.pause()
        final = shown(app)
        assert final[0] == lines[0] and final[-100:] == lines[-100:]  # drawn as it streamed
        kept = [line for line in final if "left out" not in line]
        assert MAX_SHOWN_OUTPUT - 100 < len("\n".join(kept)) <= MAX_SHOWN_OUTPUT


async def test_tab_reaches_long_output_and_its_keys_scroll_it() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(OutputView)
        app.query_one(RunPanel).finish(FakeResult(stdout="".join(f"{i}\n" for i in range(200))))
        await pilot.pause()
        assert view.max_scroll_y > 0
        await pilot.press("tab")
        assert app.focused is view
        assert view.styles.border_left[0] != ""  # the focus shows
        await pilot.press("end")
        await wait_for(pilot, lambda: view.scroll_y == view.max_scroll_y)
        await pilot.press("pageup")
        await wait_for(pilot, lambda: view.scroll_y < view.max_scroll_y)
        await pilot.press("home")
        await wait_for(pilot, lambda: view.scroll_y == 0)
        await pilot.press("down")
        await wait_for(pilot, lambda: view.scroll_y == 1)


async def test_at_either_end_of_the_output_a_key_goes_on_to_the_step_around_it(
    tmp_path: Path,
) -> None:
    """The review: at the output's end ↓ and End scrolled nothing, and the step below it (the
    rest of a long lesson step) could not be read by keys until Tab moved on."""
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: FakeResult(stdout=LONG)))
    async with app.run_test(size=(100, 24)) as pilot:
        view = await long_output_of_a_code_step(pilot)
        view.focus()
        await pilot.press("end")
        await wait_for(pilot, lambda: view.scroll_y == view.max_scroll_y)
        scroll = app.screen.query_one("#step-scroll")
        assert scroll.max_scroll_y > 0
        scroll.scroll_to(y=0, animate=False)
        await pilot.pause()
        await pilot.press("down")
        await wait_for(pilot, lambda: scroll.scroll_y > 0)
        assert app.focused is view and view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        await wait_for(pilot, lambda: view.scroll_y == 0)
        scroll.scroll_to(y=scroll.max_scroll_y, animate=False)
        await pilot.pause()
        await pilot.press("up")
        await wait_for(pilot, lambda: scroll.scroll_y < scroll.max_scroll_y)
        assert view.scroll_y == 0


async def test_output_that_fits_is_no_tab_stop() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(RunPanel).finish(FakeResult(stdout="one\ntwo\n"))
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is None


async def test_a_code_steps_long_output_scrolls_by_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: FakeResult(stdout=LONG)))
    async with app.run_test(size=(100, 40)) as pilot:
        view = await long_output_of_a_code_step(pilot)
        for _ in range(8):
            if app.focused is view:
                break
            await pilot.press("tab")
        assert app.focused is view
        await pilot.press("end")
        await wait_for(pilot, lambda: view.scroll_y == view.max_scroll_y)


def test_a_very_long_stream_ends_as_its_whole_output_would() -> None:
    """Streamed far past the maximum (its end begun again several times on the way), a stream
    shows what the run's whole output shown at once does: the same start, end and count."""
    written = "".join(
        f"epoch {i:6d} loss \x1b[32m{1 / (i + 1):.6f}\x1b[0m\n" for i in range(20_000)
    )
    streamed = StreamedOutput()
    for at in range(0, len(written), 700):
        streamed.feed(written[at : at + 700])
        if at % 7_000 == 0:
            streamed.lines()
    assert streamed.lines()[-1].plain == f"epoch {19_999:6d} loss {1 / 20_000:.6f}"
    shown = [line.plain for line in streamed.final(written)]  # the run over
    whole = StreamedOutput()
    assert [line.plain for line in whole.final(written)] == shown
    assert shown[-1] == f"epoch {19_999:6d} loss {1 / 20_000:.6f}"
    assert streamed.left_out == whole.left_out == 20_000 - (len(shown) - 1)


async def test_a_line_longer_than_the_output_shown_is_said_cut_not_zero_lines() -> None:
    """The review: one 50,000-character line, cut between its start and its end, was noted as
    "0 lines left out"."""
    app = PanelApp()
    async with app.run_test() as pilot:
        app.query_one(RunPanel).finish(FakeResult(stdout="x" * 50_000 + "\nfinal loss 0.1\n"))
        await pilot.pause()
        lines = shown(app)
        assert lines[-1] == "final loss 0.1"
        assert any("part of a long line left out" in line for line in lines)
        assert not any("0 lines left out" in line for line in lines)


def test_lines_rewritten_many_times_still_fill_the_end_shown() -> None:
    """A progress bar redrawn twenty times per epoch (``\\r``) writes twenty times what it shows:
    the end is decoded from a window grown to hold TAIL_SHOWN characters as shown, not from a
    fixed count of characters written (that showed under half of what the end may)."""

    def epoch(number: int) -> str:
        bar = "".join(f"\repoch {number:4d} [{'#' * (k // 5):<20}] {k}%" for k in range(0, 101, 5))
        return f"{bar}\repoch {number:4d} done, loss {1 / (number + 1):.5f}\n"

    written = "".join(epoch(number) for number in range(3000))
    streamed = StreamedOutput()
    for at in range(0, len(written), 4_000):
        streamed.feed(written[at : at + 4_000])
        streamed.lines()
    whole = StreamedOutput()
    for output in (streamed, whole):
        lines = [line.plain for line in output.final(written)]
        assert lines[-1].startswith("epoch 2999 done, loss 0.00033")
        note = lines.index(f"⋯ {output.left_out} ⋯")  # the note between the start and the end
        end = lines[note + 1 :]
        assert sum(len(line) + 1 for line in end) >= TAIL_SHOWN * 3 // 4
        assert note + output.left_out + len(end) == 3000  # every line shown or counted
