"""``bench/bench_tracer.py --count-calls``: the tracer's cost counted in calls per CPU step, where
wall-clock timing on a shared machine is too noisy to tell one function's part of it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_count_calls_reports_each_variant_and_the_tracers_largest_additions() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_tracer.py"), "--count-calls", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    blocks = re.split(r"^(?=\S.*: calls per step)", done.stdout, flags=re.M)[1:]
    assert [block.split(":")[0].split(" (")[0] for block in blocks] == ["cnn", "transformer"]
    for block in blocks:
        calls = {
            variant: (int(py), int(c))
            for variant, py, c in re.findall(r"^  (\w+) +Python +(\d+) +C +(\d+)$", block, re.M)
        }
        assert list(calls) == ["untraced", "shapes", "stats"], block
        # the tracer adds calls, and stats mode more than shapes-only
        assert all(u < s < t for u, s, t in zip(*calls.values(), strict=True)), block
        added = re.findall(r"^    shapes \+ *(\d+) (py|c) +(\S+)$", block, re.M)
        assert len(added) == 3, block
        counts = [int(n) for n, _, _ in added]
        assert counts == sorted(counts, reverse=True) and counts[-1] > 0, block
