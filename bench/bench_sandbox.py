"""Sandbox latency: first run after start, warm round trip, typical snippets, fault recovery.

Run: python bench/bench_sandbox.py [--runs N] [--starts N] [--snippet-runs N] [--faults N]
[--idle-s S]
Prints medians in ms. Goal: warm round trip of a trivial snippet <= 20 ms. "Typical snippets" are
lesson-sized runs: the first one in a sandbox may pay a one-off cost (the first optimizer imports
torch._dynamo, which the worker then keeps). Run back to back, as here, that first run pays it; a
worker left idle a moment imports it beforehand (sandbox.worker.preload_while_idle), which the
"after idle" column measures: fresh sandboxes, one run each, then the snippet once the worker has
been idle. Recovery is the time of the next trivial run after a failed one (a print flood stopped
by the output cap among them). On CUDA (when available) the same figures for device="cuda", whose
worker runs snippets in-process and is replaced after a crash.
"""

from __future__ import annotations

import argparse
import time
from functools import partial

from _timing import median, print_table, rotated, time_ms

from sandbox import Sandbox, cuda_available
from sandbox.worker import PRELOAD_GRACE_S

TRIVIAL = "1 + 1"
ADAM = "Adam, 5 steps of a small MLP"
TYPICAL = {
    ADAM: (
        "model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))\n"
        "opt = torch.optim.Adam(model.parameters(), lr=1e-3)\n"
        "for _ in range(5):\n"
        "    opt.zero_grad()\n"
        "    model(torch.randn(4, 8)).pow(2).mean().backward()\n"
        "    opt.step()\n"
    ),
    "a list of 20k (tensor, label) samples": (
        "data = [(torch.randn(4), i % 2) for i in range(20_000)]\nlen(data)"
    ),
}
# fault -> (code, the status it ends with, its timeout, the error code it ends with: an error
# status alone could be any mistake in the code, timed as the fault it is not)
FAULTS: dict[str, tuple[str, str, float | None, str | None]] = {
    "os._exit(1)": ("import os\nos._exit(1)", "crashed", None, None),
    "segfault (ctypes)": ("import ctypes\nctypes.string_at(0)", "crashed", None, None),
    "timeout (endless loop, 0.5 s)": ("while True:\n    pass", "timeout", 0.5, None),
    "timeout, SIGINT ignored (0.5 s)": (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        "timeout",
        0.5,
        None,
    ),
    # a runaway log: the run is stopped (status "error", code "output_limit") at the 1 MB cap
    "print flood (stopped at the output cap)": (
        "i = 0\nwhile True:\n    print('step', i)\n    i += 1",
        "error",
        None,
        "output_limit",
    ),
    # not the run's process but the worker serving it: its parent
    "the worker killed by its run (SIGKILL)": (
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
        "crashed",
        None,
        None,
    ),
}


def expect(
    sb: Sandbox,
    code: str,
    status: str,
    device: str,
    timeout: float | None = None,
    error_code: str | None = None,
) -> None:
    """Run ``code`` and fail loudly if it does not end with ``status`` and, where given, an
    error of code ``error_code`` (a benchmark of the wrong thing is worse than none)."""
    r = sb.run(code, device=device, timeout=timeout)
    ended_with = r.error.code if r.error is not None else None
    if r.status != status or (error_code is not None and ended_with != error_code):
        raise SystemExit(
            f"expected {status!r}{f' ({error_code})' if error_code else ''} from {code!r} on "
            f"{device}, got {r.status!r}: {r.error}"
        )


def first_run_ms(device: str) -> tuple[float, float]:
    """(Sandbox() to worker ready, Sandbox() to the first result) for a fresh sandbox."""
    started = time.perf_counter()
    sb = Sandbox()
    try:
        sb.start()
        ready = time.perf_counter()
        expect(sb, TRIVIAL, "ok", device)
        done = time.perf_counter()
    finally:
        sb.close()
    return (ready - started) * 1000, (done - started) * 1000


PRELOADED = "import sys\nassert 'torch._dynamo' in sys.modules"
"""Passes once the worker has imported what the first optimizer would (a run sees its modules)."""
PRELOAD_WAIT_S = 60.0


def wait_for_preload(sb: Sandbox, device: str, idle_s: float) -> None:
    """Leave the worker idle ``idle_s``, then, while it has not preloaded, a second more at a time
    (a probe run stops a preload under way until the next idle moment; a loaded machine is slow)."""
    time.sleep(idle_s)
    waited = idle_s
    while sb.run(PRELOADED, device=device).status != "ok":
        if waited > PRELOAD_WAIT_S:
            raise SystemExit(f"the idle {device} worker did not preload in {waited:.0f} s")
        time.sleep(1)
        waited += 1


def first_after_idle_ms(device: str, code: str, idle_s: float) -> float:
    """ms of ``code`` in a fresh sandbox after one trivial run and an idle moment, in which the
    worker preloads what an optimizer imports."""
    with Sandbox() as sb:
        expect(sb, TRIVIAL, "ok", device)
        wait_for_preload(sb, device, idle_s)
        return time_ms(partial(expect, sb, code, "ok", device))


def round_trips(sb: Sandbox, device: str, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock ms per warm trivial run, and the worker's own ``duration_s`` in ms."""
    walls, inside = [], []
    for _ in range(runs):
        started = time.perf_counter()
        r = sb.run(TRIVIAL, device=device)
        walls.append((time.perf_counter() - started) * 1000)
        if r.status != "ok":
            raise SystemExit(f"trivial run failed on {device}: {r.error}")
        inside.append(r.duration_s * 1000)
    return walls, inside


def recovery(sb: Sandbox, device: str, rounds: int) -> dict[str, tuple[float, float]]:
    """fault -> (median ms of the failing run, median ms of the trivial run right after it).

    The faults take turns round by round, so drift on a busy machine hits them alike.
    """
    failing: dict[str, list[float]] = {name: [] for name in FAULTS}
    after: dict[str, list[float]] = {name: [] for name in FAULTS}
    for round_no in range(rounds):
        for name in rotated(list(FAULTS), round_no):
            code, status, timeout, error_code = FAULTS[name]
            failing[name].append(
                time_ms(partial(expect, sb, code, status, device, timeout, error_code))
            )
            after[name].append(time_ms(partial(expect, sb, TRIVIAL, "ok", device)))
    return {name: (median(failing[name]), median(after[name])) for name in FAULTS}


def report_start(device: str, starts: int) -> None:
    samples = [first_run_ms(device) for _ in range(starts)]
    ready = median([s[0] for s in samples])
    first = median([s[1] for s in samples])
    print(
        f"  first run after start: {first:.0f} ms median of {starts} "
        f"(worker ready after {ready:.0f} ms)"
    )


def report_round_trip(sb: Sandbox, device: str, runs: int) -> None:
    walls, inside = round_trips(sb, device, runs)
    verdict = "ok" if median(walls) <= 20 else "MISSES"
    print(
        f"  warm round trip '{TRIVIAL}': {median(walls):.1f} ms median of {runs} "
        f"(min {min(walls):.1f}, max {max(walls):.1f}; in the worker {median(inside):.1f} ms; "
        f"goal <= 20 ms: {verdict})"
    )


def report_snippets(sb: Sandbox, device: str, args: argparse.Namespace) -> None:
    """The first run of each typical snippet in this sandbox, then the median of ``runs`` more;
    for the optimizer, also its first run after an idle moment (median over fresh sandboxes)."""
    runs, starts = args.snippet_runs, args.starts
    rows = []
    for name, code in TYPICAL.items():
        first = time_ms(partial(expect, sb, code, "ok", device))
        again = [time_ms(partial(expect, sb, code, "ok", device)) for _ in range(runs)]
        rows.append([name, f"{first:.0f}", f"{median(again):.0f}"])
    idle = [first_after_idle_ms(device, TYPICAL[ADAM], args.idle_s) for _ in range(starts)]
    for row in rows:
        row.insert(2, f"{median(idle):.0f}" if row[0] == ADAM else "-")
    print(
        f"  typical snippets (the first run in this sandbox, back to back; the first after "
        f"{args.idle_s:g} s idle, median of {starts} fresh sandboxes; then median of {runs}):"
    )
    print_table(["snippet", "first ms", "after idle ms", "warm ms"], rows, indent="    ")


def report_recovery(sb: Sandbox, device: str, rounds: int) -> None:
    rows = [
        [name, f"{fail:.0f}", f"{back:.0f}"]
        for name, (fail, back) in recovery(sb, device, rounds).items()
    ]
    print(f"  recovery, median of {rounds} rounds (faults interleaved):")
    print_table(["fault", "failing run ms", "next ok run ms"], rows, indent="    ")


def report(device: str, args: argparse.Namespace) -> None:
    print(f"{device}:")
    report_start(device, args.starts)
    with Sandbox() as sb:
        for _ in range(5):  # untimed: the first runs after a start are slower
            expect(sb, TRIVIAL, "ok", device)
        report_round_trip(sb, device, args.runs)
        report_snippets(sb, device, args)
        report_recovery(sb, device, args.faults)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50, help="warm round trips")
    parser.add_argument("--starts", type=int, default=3, help="fresh sandboxes for the first run")
    parser.add_argument("--snippet-runs", type=int, default=10, help="warm runs per snippet")
    parser.add_argument("--faults", type=int, default=5, help="rounds of each fault")
    parser.add_argument(
        "--idle-s",
        type=float,
        default=PRELOAD_GRACE_S + 2.5,
        help="idle time before the 'after idle' run (the worker waits "
        f"{PRELOAD_GRACE_S} s, then preloads for ~1 s)",
    )
    args = parser.parse_args()
    if args.idle_s <= PRELOAD_GRACE_S:
        parser.error(f"--idle-s must be over the worker's {PRELOAD_GRACE_S} s grace")
    report("cpu", args)
    if cuda_available():
        report("cuda", args)
    else:
        print("CUDA: not available, skipped")


if __name__ == "__main__":
    main()
