"""Timing helpers shared by the bench scripts: wall-clock samples, interleaving, a plain table.

On a busy machine (two cores, tests running beside the benchmark) single timings drift a lot, so
variants that are compared are run round-robin, one sample each per round, in a rotating order, and
compared by their medians from the same run.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def time_ms(fn: Callable[[], object]) -> float:
    """Wall-clock milliseconds of one call of ``fn``."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def rotated(names: Sequence[str], round_no: int) -> list[str]:
    """``names`` starting at position ``round_no`` (mod len): round r's order in an interleaving."""
    shift = round_no % len(names)
    return [*names[shift:], *names[:shift]]


def interleaved(
    variants: dict[str, Callable[[], object]], rounds: int, warmup: int = 0
) -> dict[str, list[float]]:
    """Time every variant once per round, ``rounds`` times; samples in ms per variant.

    The order rotates each round so no variant always runs right after the same neighbour (caches,
    allocator state, a noisy neighbour process). ``warmup`` untimed rounds come first.
    """
    names = list(variants)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(warmup + rounds):
        for name in rotated(names, r):
            ms = time_ms(variants[name])
            if r >= warmup:
                samples[name].append(ms)
    return samples


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> None:
    """Left-aligned first column, right-aligned others, columns as wide as their widest cell."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return indent + "  ".join(parts).rstrip()

    print(line(headers))
    for row in rows:
        print(line(row))
