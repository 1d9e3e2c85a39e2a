"""``stat_vector`` (the tracer's reduction for tensors off the CPU) now and as it was, side by side.

Run: python bench/bench_stat_vector.py [--rounds N] [--threads N]
Both run on the same float32 tensors on the CPU, interleaved (``bench/_timing.py``), median of
``--rounds`` calls each. The version before scaled sums (sums of the raw shifted numbers, whose
squares overflow float32 from about 1.8e19, and a ``nansum`` of the numbers for ``has_inf``) is
kept here, copied as it was, only to be timed against.
"""

from __future__ import annotations

import argparse

import torch
from _timing import interleaved, median, print_table

from sandbox.tracer import _NAN, SHIFT_SAMPLE, _float_vector, derive_stats, stat_vector

SHAPES = [(32, 16, 32, 32), (64, 64)]


def stat_vector_before(t: torch.Tensor) -> torch.Tensor:
    """``sandbox.tracer.stat_vector`` before the scaled sums (commit f564b3e), as it was."""
    x = _float_vector(t)
    n = x.numel()
    if n == 0:
        return torch.full((7,), _NAN, dtype=x.dtype, device=x.device)
    shift = x[:: max(1, n // SHIFT_SAMPLE)].median()
    scratch = x - shift
    shifted_sum = scratch.sum()
    shifted_sumsq = torch.dot(scratch, scratch)
    mn, mx = torch.aminmax(x)
    nonzero = torch.ne(x, 0, out=scratch).sum()  # reuses the buffer: kernels run in order
    return torch.stack([shift, shifted_sum, shifted_sumsq, mn, mx, nonzero, x.nansum()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    g = torch.Generator().manual_seed(0)
    rows = []
    for shape in SHAPES:
        x = torch.randn(*shape, generator=g)
        n = x.numel()
        # the same stats from both, before timing them
        before = derive_stats(stat_vector_before(x).tolist(), n)
        after = derive_stats(stat_vector(x).tolist(), n)
        assert all(
            abs(a - b) <= 1e-5 * max(1.0, abs(b)) for a, b in zip(after, before, strict=True)
        ), shape
        samples = interleaved(
            {"before": lambda x=x: stat_vector_before(x), "after": lambda x=x: stat_vector(x)},
            rounds=args.rounds,
            warmup=max(10, args.rounds // 20),
        )
        old, new = median(samples["before"]) * 1000, median(samples["after"]) * 1000
        rows.append(["x".join(map(str, shape)), f"{old:.1f}", f"{new:.1f}", f"{new / old:.2f}"])
    print(f"stat_vector on CPU, float32, {args.threads} thread(s), median of {args.rounds} calls")
    print_table(["shape", "before us", "after us", "after/before"], rows)


if __name__ == "__main__":
    main()
