"""What a streamed chunk of a run's output costs the run panel, the old way against the new.

Run: python bench/bench_run_panel.py [--rounds N] [--chunks N] [--frames N] [--chars N]

Two floods, each chunk as the sandbox would send it: a tqdm-like bar redrawn with ``\\r`` on
stderr, and coloured log lines on stdout.

Decoding, per chunk (µs, median of interleaved rounds):
  old           the old ``add_output``: join the raw chunks, cut at MAX_SHOWN_OUTPUT, plain Text
                (it stops at MAX_SHOWN_OUTPUT raw characters: a long bar froze early)
  re-decode     the old way through the decoder: the raw chunks so far (at most MAX_SHOWN_OUTPUT
                characters, as before) through ``terminal_text`` on every chunk
  new redraw    feed the chunk to the stream's TerminalText and draw both streams' Text
  new feed      feed the chunk only: what a chunk costs between two throttled redraws

The panel in a headless app, per chunk (µs, chunks pushed one per event-loop turn, then the app
left to settle): the old ``add_output``, the new one redrawing every chunk, the new one throttled
(at most one redraw per OUTPUT_REFRESH_S).

Then what drawing the final output costs ``finish`` (ms) for a run that wrote the sandbox's whole
output limit (1 MB): the old way (cut, plain), the new one once the output was streamed (decoded
already), and the new one for a result that was not (a panel rebuilt from its result).

Last, one frame of a panel that holds ~20,000 characters of coloured log lines (about what
MAX_SHOWN_OUTPUT lets it show) while a progress line below them is rewritten with ``\\r``: the
output's lines given to the panel and the app left to lay out and paint (CPU ms, as the wall clock
counts the loop's waits; median of the frames, the two panels taking turns in one app): the output
in one ``Static`` (as before OutputView, which re-wraps and redraws all of it each frame) against
the ``OutputView`` (the changed line re-wrapped, the visible rows drawn), and a frame with nothing
changed (what the app's own loop costs, in both).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from typing import Any

from _timing import interleaved, median, print_table, rotated
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from tutor.terminal_text import terminal_text
from tutor.theme_styles import DARK
from tutor.widgets.output_view import OutputView
from tutor.widgets.run_panel import MAX_SHOWN_OUTPUT, RunPanel, StreamedOutput
from tutor.widgets.spinner import Spinner

Chunks = list[tuple[str, str]]


def tqdm_flood(n: int) -> Chunks:
    return [
        ("stderr", f"\r{i:6d}/{n} |{'#' * (i * 40 // n):<40}| {i / 7:.1f} it/s")
        for i in range(n + 1)
    ]


def log_flood(n: int) -> Chunks:
    return [("stdout", f"epoch {i}: loss \x1b[32m{1 / (i + 1):.4f}\x1b[0m ok\n") for i in range(n)]


def old_way(chunks: Chunks) -> None:
    """The old ``add_output``, less drawing the Text."""
    raw: list[str] = []
    length = 0
    for _, chunk in chunks:
        if length > MAX_SHOWN_OUTPUT:
            continue
        raw.append(chunk)
        length += len(chunk)
        Text("".join(raw)[:MAX_SHOWN_OUTPUT].rstrip("\n"))


def re_decode(chunks: Chunks) -> None:
    raw: dict[str, list[str]] = {"stdout": [], "stderr": []}
    length = 0
    for stream, chunk in chunks:
        if length > MAX_SHOWN_OUTPUT:
            continue
        raw[stream].append(chunk)
        length += len(chunk)
        stdout = terminal_text("".join(raw["stdout"])[:MAX_SHOWN_OUTPUT])
        stderr = terminal_text("".join(raw["stderr"])[:MAX_SHOWN_OUTPUT], "yellow")
        RunPanel._output(list(stdout.split()), list(stderr.split()))


def new_way(chunks: Chunks, *, redraw: bool) -> None:
    streams = {"stdout": StreamedOutput(), "stderr": StreamedOutput(style=DARK.stderr)}
    for stream, chunk in chunks:
        streams[stream].feed(chunk)
        if redraw:
            RunPanel._output(streams["stdout"].lines(), streams["stderr"].lines())


class StaticPanel(RunPanel):
    """The run panel as it was before OutputView: its output in one ``Static``, given the lines
    joined in one ``Text``, which Textual wraps and draws whole on every change."""

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            yield Static(classes="run-stdout -empty") if isinstance(widget, OutputView) else widget

    def _show_output(self, lines: list[Text] | None) -> None:
        self._set("run-stdout", Text("\n").join(lines) if lines else None)


class OldPanel(StaticPanel):
    """The run panel with its old ``add_output`` (and its output in a ``Static``)."""

    def begin(self, device: str, *, starting: bool = False) -> None:
        super().begin(device, starting=starting)
        self._raw: list[str] = []

    def add_output(self, stream: str, text: str) -> None:
        if sum(map(len, self._raw)) > MAX_SHOWN_OUTPUT:
            return
        self._raw.append(text)
        self._set("run-stdout", Text("".join(self._raw)[:MAX_SHOWN_OUTPUT].rstrip("\n")))


class EveryChunkPanel(RunPanel):
    OUTPUT_REFRESH_S = 0


class PanelsApp(App[None]):
    lang = "en"

    def compose(self) -> ComposeResult:
        yield OldPanel(id="old")
        yield EveryChunkPanel(id="every")
        yield RunPanel(id="throttled")


async def panel_samples(flood: Chunks, rounds: int) -> dict[str, list[float]]:
    """ms per run of the whole flood, per panel, interleaved; the app settles before and after."""
    app = PanelsApp()
    names = {"old": "old panel", "every": "new, every chunk", "throttled": "new, throttled"}
    samples: dict[str, list[float]] = {label: [] for label in names.values()}
    async with app.run_test(size=(100, 60)) as pilot:
        for r in range(rounds + 1):  # round 0 warms up
            order = list(names)[r % 3 :] + list(names)[: r % 3]
            for panel_id in order:
                panel = app.query_one(f"#{panel_id}", RunPanel)
                panel.begin("cpu")
                await pilot.pause()
                loop = asyncio.get_running_loop()
                started = loop.time()
                for stream, chunk in flood:
                    panel.add_output(stream, chunk)
                    await asyncio.sleep(0)  # the next chunk comes in its own turn of the loop
                panel.finish(_Result(flood))
                await pilot.pause()
                if r:
                    samples[names[panel_id]].append((loop.time() - started) * 1000)
                panel.display = False
    return samples


class _Result:
    """What ``RunPanel.finish`` reads of a RunResult."""

    def __init__(self, flood: Chunks) -> None:
        self.stdout = "".join(c for s, c in flood if s == "stdout")
        self.stderr = "".join(c for s, c in flood if s == "stderr")
        self.status, self.device, self.duration_s = "ok", "cpu", 1.0
        self.value = self.error = self.check = None
        self.trace: list[Any] = []
        self.trace_warnings: list[Any] = []
        self.trace_truncated = self.output_truncated = False


def log_lines(chars: int) -> str:
    """Coloured log lines, about ``chars`` characters of them as shown."""
    lines, shown = [], 0
    for i in range(chars):
        line = f"step {i:5d} loss \x1b[32m{1 / (i + 1):.6f}\x1b[0m lr \x1b[33m3e-4\x1b[0m ok"
        shown += len(f"step {i:5d} loss {1 / (i + 1):.6f} lr 3e-4 ok") + 1
        if shown > chars:
            break
        lines.append(line)
    return "\n".join(lines) + "\n"


class FramesApp(App[None]):
    lang = "en"

    def compose(self) -> ComposeResult:
        yield StaticPanel(id="static")
        yield RunPanel(id="view")


async def frame_samples(chars: int, frames: int) -> tuple[dict[str, list[float]], int]:
    """ms per frame, per panel, the panels taking turns; and the characters shown."""
    app = FramesApp()
    names = {"static": "Static (before)", "view": "OutputView", "idle": "nothing changed"}
    samples: dict[str, list[float]] = {label: [] for label in names.values()}
    logs = log_lines(chars)
    async with app.run_test(size=(100, 50)) as pilot:
        panels = {name: app.query_one(f"#{name}", RunPanel) for name in ("static", "view")}
        for panel in panels.values():
            panel.begin("cpu")
            panel._streams["stdout"].feed(logs)
            panel._show_streamed()
            panel.query_one(Spinner)._timer.pause()  # its ticks would land in random frames
        await pilot.pause()
        for frame in range(frames + 1):  # frame 0 warms up
            for name in rotated(list(names), frame):
                if name != "idle":
                    bar = "#" * (frame % 40)
                    panels[name]._streams["stdout"].feed(f"\rtraining {frame:5d} |{bar:<40}|")
                await pilot.pause()  # settled: no frame pays for the one before
                started = time.process_time()  # CPU: the wall clock counts the loop's waits
                if name != "idle":
                    panels[name]._show_streamed()
                await pilot.pause()
                await pilot.pause()  # whatever the first pass left to the next (a layout's paint)
                if frame:
                    samples[names[name]].append((time.process_time() - started) * 1000)
        shown = len(panels["view"].query_one(OutputView).text.plain)
    return samples, shown


def per_chunk(samples: dict[str, list[float]], chunks: int) -> dict[str, str]:
    return {name: f"{median(ms) * 1000 / chunks:.1f}" for name, ms in samples.items()}


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--chunks", type=int, default=1000)
    options.add_argument("--frames", type=int, default=30)
    options.add_argument("--chars", type=int, default=MAX_SHOWN_OUTPUT - 100)
    args = options.parse_args()
    floods = {
        "tqdm bar": tqdm_flood(args.chunks),
        "log lines": log_flood(args.chunks),
    }

    decode_rows, panel_rows = [], []
    for name, flood in floods.items():
        variants: dict[str, Callable[[], object]] = {
            "old": lambda f=flood: old_way(f),
            "re-decode": lambda f=flood: re_decode(f),
            "new redraw": lambda f=flood: new_way(f, redraw=True),
            "new feed": lambda f=flood: new_way(f, redraw=False),
        }
        costs = per_chunk(interleaved(variants, args.rounds, warmup=1), len(flood))
        raw = sum(len(c) for _, c in flood)
        decode_rows.append([name, f"{len(flood)} chunks, {raw:,} chars", *costs.values()])
        costs = per_chunk(asyncio.run(panel_samples(flood, args.rounds)), len(flood))
        panel_rows.append([name, *costs.values()])

    print(f"decoding, µs per chunk, median of {args.rounds} interleaved rounds")
    print_table(["flood", "output", "old", "re-decode", "new redraw", "new feed"], decode_rows)
    print()
    print(f"the panel in a headless app, µs per chunk (median of {args.rounds}), finish included")
    print_table(["flood", "old panel", "new, every chunk", "new, throttled"], panel_rows)
    print()
    megabyte = "".join(c for _, c in log_flood(40_000))[: 1 << 20]
    chunks = [megabyte[i : i + 65536] for i in range(0, len(megabyte), 65536)]  # READ_SIZE

    def streamed() -> StreamedOutput:
        stream = StreamedOutput()
        for chunk in chunks:
            stream.feed(chunk)
        return stream

    ready = [streamed() for _ in range(args.rounds)]
    samples = interleaved(
        {
            "old": lambda: Text(megabyte[:MAX_SHOWN_OUTPUT].rstrip("\n")),
            "new, streamed": lambda: ready.pop().final(megabyte),
            "new, not streamed": lambda: StreamedOutput().final(megabyte),
        },
        args.rounds,
    )
    print(f"finish, 1 MB of log lines, ms (median of {args.rounds})")
    print_table(list(samples), [[f"{median(ms):.1f}" for ms in samples.values()]])
    print()
    frames, shown = asyncio.run(frame_samples(args.chars, args.frames))
    print(f"one frame, {shown:,} characters of log lines shown, CPU ms (median of {args.frames})")
    print_table(list(frames), [[f"{median(ms):.2f}" for ms in frames.values()]])


if __name__ == "__main__":
    main()
