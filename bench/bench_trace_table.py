"""What showing a run's hook trace costs: a ``TraceView`` of N events mounted in a headless app
and the app left to lay out and paint; then the terminal resized from 140 to 80 columns (where
the table is refilled with the columns that fit the new width).

Run: python bench/bench_trace_table.py [--rounds N] [--events N ...]

Prints median wall-clock ms of ``--rounds`` tries per event count (a transformer's trace: long
type names and 4-D shapes): the mount at 80 and at 140 columns, and the resize.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from _timing import median, print_table
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from tutor.widgets.trace_view import TraceView

MODULES = [
    ("encoder.layers.0.self_attn", "MultiheadAttention", [32, 16, 32, 32]),
    ("encoder.layers.0.linear1", "Linear", [32, 16, 256]),
    ("encoder.layers.0", "TransformerEncoderLayer", [32, 16, 64]),
]


def events(count: int) -> list[dict[str, Any]]:
    """``count`` forward and backward events cycling over ``MODULES``."""
    out = []
    for i in range(count):
        name, kind, shape = MODULES[i % len(MODULES)]
        out.append(
            {
                "phase": "forward" if i % 2 else "backward",
                "module": name,
                "type": kind,
                "shape": shape,
                "mean": -1.2e-05 * i,
                "std": 0.5 + i,
                "min": -3.0,
                "max": 3.5,
                "norm": 10.0 + i,
                "zero_frac": 0.25,
                "has_nan": False,
                "has_inf": False,
            }
        )
    return out


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield VerticalScroll()


async def mount_ms(trace: list[dict[str, Any]], width: int, resize_to: int = 0) -> float:
    """Ms from mounting a trace view to the app's next idle moment; with ``resize_to``, from
    resizing the terminal to that width (after the mount) to the next idle moment."""
    app = Host()
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await app.query_one(VerticalScroll).mount(TraceView(trace))
        await pilot.pause()
        if resize_to:
            started = time.perf_counter()
            await pilot.resize_terminal(resize_to, 40)
            await pilot.pause()
        return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--events", type=int, nargs="*", default=[12, 200, 2000])
    args = parser.parse_args()
    rows = []
    for count in args.events:
        trace = events(count)
        for label, width, resize_to in (
            ("mount, 80", 80, 0),
            ("mount, 140", 140, 0),
            ("resize 140→80", 140, 80),
        ):
            samples = [asyncio.run(mount_ms(trace, width, resize_to)) for _ in range(args.rounds)]
            rows.append((f"{count} events, {label} cols", f"{median(samples):.1f}"))
    print_table(("trace view", "ms (median)"), rows)


if __name__ == "__main__":
    main()
