"""Every benchmark under ``bench/`` still runs: each script once, with the smallest settings.

The figures themselves are read by people (closing notes, README); these runs only prove that a
script starts, measures every variant it names and prints its table, so a change elsewhere cannot
quietly break a benchmark until the next time someone needs the numbers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

RUNS = {
    "bench_code_view.py": (["--rounds", "1", "--lines", "5"], ["once per width", "bare Syntax"]),
    "bench_decks.py": (["--repeat", "1"], ["shipped"]),
    "bench_kept_code.py": (["--runs", "1"], ["autosave", "write_text", "unlink"]),
    "bench_learning.py": (["--cards", "2000", "--repeat", "1"], ["due queue", "rating"]),
    "bench_tracer.py": (
        ["--steps", "1", "--warmup", "0", "--threads", "1"],
        ["untraced", "stats", "shapes", "naive, 4 stats", "naive, all fields", "transformer"],
    ),
    "bench_sandbox.py": (
        ["--runs", "2", "--starts", "1", "--snippet-runs", "1", "--faults", "1"],
        ["round trip", "segfault", "timeout"],
    ),
    "bench_run_panel.py": (
        ["--rounds", "1", "--chunks", "20", "--frames", "1", "--chars", "2000"],
        [
            "tqdm bar",
            "log lines",
            "new, throttled",
            "not streamed",
            "Static (before)",
            "OutputView",
        ],
    ),
    "bench_stat_vector.py": (["--rounds", "3"], ["32x16x32x32", "64x64"]),
    "bench_startup.py": (["--runs", "1"], ["nn-tutor"]),
    "bench_trace_table.py": (
        ["--rounds", "1", "--events", "12"],
        ["mount, 80", "mount, 140", "resize 140→80"],
    ),
    "bench_wrap.py": (["--rounds", "1"], ["en wrap", "zh wrap", "zh parse"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(RUNS))
def test_benchmark_runs_and_reports_every_variant(script: str) -> None:
    args, expected = RUNS[script]
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for label in expected:
        assert label in done.stdout, f"{script} printed no {label!r}:\n{done.stdout}"
