"""The sandbox benchmark times each fault only when the run ends as that fault does.

Review: the print flood was checked by its status alone ("error"), so a flood with a typo (a
NameError on its first line) would be timed as the flood stopped at the output cap."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sandbox.result import RunError, RunResult

BENCH = Path(__file__).resolve().parents[1] / "bench"
FLOOD = "print flood (stopped at the output cap)"


def bench_sandbox(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """bench/bench_sandbox.py as a module (it imports its neighbour ``_timing`` by name)."""
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_sandbox", BENCH / "bench_sandbox.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "bench_sandbox", module)
    spec.loader.exec_module(module)
    return module


class EndsAsTold:
    """A sandbox stand-in: each fault's code ends with the status the benchmark expects of it
    (the flood's with ``flood_error``), any other code is ok."""

    def __init__(self, bench: ModuleType, flood_error: RunError) -> None:
        self.statuses = {fault[0]: fault[1] for fault in bench.FAULTS.values()}
        self.flood_code = bench.FAULTS[FLOOD][0]
        self.flood_error = flood_error

    def run(self, code: str, device: str = "cpu", timeout: float | None = None) -> RunResult:
        status = self.statuses.get(code, "ok")
        if code == self.flood_code:
            return RunResult(status=status, error=self.flood_error)
        return RunResult(status=status, error=None if status == "ok" else RunError("E", "e"))


def test_a_flood_that_ends_in_another_error_is_not_timed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bench = bench_sandbox(monkeypatch)
    typo = RunError("NameError", "name 'pritn' is not defined", line=3)
    with pytest.raises(SystemExit, match="output_limit"):
        bench.recovery(EndsAsTold(bench, typo), "cpu", 1)


def test_a_flood_stopped_at_the_output_cap_is_timed(monkeypatch: pytest.MonkeyPatch) -> None:
    bench = bench_sandbox(monkeypatch)
    capped = RunError("OutputLimit", "output limit", code="output_limit")
    assert set(bench.recovery(EndsAsTold(bench, capped), "cpu", 1)) == set(bench.FAULTS)
