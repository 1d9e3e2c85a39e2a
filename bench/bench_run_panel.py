"""What a streamed chunk of a run's output costs the run panel, the old way against the new.

Run: python bench/bench_run_panel.py [--rounds N] [--chunks N]

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

Last, what drawing the final output costs ``finish`` (ms) for a run that wrote the sandbox's whole
output limit (1 MB): the old way (cut, plain), the new one once the output was streamed (decoded
already), and the new one for a result that was not (a panel rebuilt from its result).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from typing import Any

from _timing import interleaved, median, print_table
from rich.text import Text
from textual.app import App, ComposeResult

from tutor.terminal_text import terminal_text
from tutor.widgets.run_panel import MAX_SHOWN_OUTPUT, RunPanel, StreamedOutput

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
        RunPanel._output(
            terminal_text("".join(raw["stdout"])[:MAX_SHOWN_OUTPUT]),
            terminal_text("".join(raw["stderr"])[:MAX_SHOWN_OUTPUT], "yellow"),
        )


def new_way(chunks: Chunks, *, redraw: bool) -> None:
    streams = RunPanel._new_streams()
    for stream, chunk in chunks:
        streams[stream].feed(chunk)
        if redraw:
            RunPanel._output(streams["stdout"].text(), streams["stderr"].text())


class OldPanel(RunPanel):
    """The run panel with its old ``add_output``."""

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


def per_chunk(samples: dict[str, list[float]], chunks: int) -> dict[str, str]:
    return {name: f"{median(ms) * 1000 / chunks:.1f}" for name, ms in samples.items()}


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--chunks", type=int, default=1000)
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


if __name__ == "__main__":
    main()
