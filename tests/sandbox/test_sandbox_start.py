"""A run's timeout counts from the moment the learner's code begins, not from the run's start (a
fork, set-up, compiling the code), which a loaded machine can stall; a start that never reaches the
learner's code is still stopped. A cancel while the worker is still starting cancels the run."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest

from sandbox import AsyncSandbox, RunResult, Sandbox
from sandbox.limits import Limits
from sandbox.protocol import run_request
from sandbox.session import WATCHDOG_SLACK_S, RunSession

LINES = 100_000
# Compiling this takes well over a second here (~0.5 s on a fast machine): a start slower than
# the short timeouts below, with no sleep and nothing of the machine's load involved.
SLOW_TO_COMPILE = "x = 1\n" * LINES + "while True:\n    pass\n"
LOOP_LINES = (LINES + 1, LINES + 2)
DEVICES = ["cpu", "cuda"]  # "cuda": the in-process worker, run on the CPU


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(inprocess_device="cpu", timeout_s=30) as sandbox:
        yield sandbox


@pytest.mark.parametrize("device", DEVICES)
def test_the_timeout_counts_from_the_learners_code_not_the_start(box, device):
    r = box.run(SLOW_TO_COMPILE, device=device, timeout=0.5)
    assert r.status == "timeout", r.error
    assert r.error.line in LOOP_LINES, r.error
    assert r.error.message.endswith(f"(stopped at line {r.error.line})")
    assert box.run("1 + 1", device=device).value == "2"


@pytest.fixture(scope="module")
def hasty() -> Iterator[Sandbox]:
    """A sandbox whose runs must begin within 0.05 s more than their timeout."""
    with Sandbox(inprocess_device="cpu", start_allowance_s=0.05) as sandbox:
        yield sandbox


@pytest.mark.parametrize("device", DEVICES)
def test_a_run_that_never_reaches_the_learners_code_is_still_stopped(hasty, device):
    # Given 0.1 s + 0.05 s to begin, the run is stopped while its code still compiles: a timeout
    # that names no line of the learner's, and the worker lives on.
    assert hasty.run("1", device=device).status == "ok"  # its worker is up
    pids = hasty.worker_pids()
    r = hasty.run(SLOW_TO_COMPILE, device=device, timeout=0.1)
    assert r.status == "timeout", r.error
    assert r.error.code == "not_begun" and r.error.line is None, r.error
    assert r.error.params == {"seconds": 0.15}
    assert r.error.message == (
        "the run had not begun after 0.15 s (is the machine very busy?), "
        "so it was stopped before any of its code ran"
    )
    assert r.error.traceback == ""
    assert hasty.run("1 + 1", device=device).value == "2"
    assert hasty.worker_pids() == pids, "a worker was replaced"


def test_the_clients_watchdog_allows_for_the_start_until_the_code_begins():
    limits = Limits()
    session = RunSession(
        1,
        "cpu",
        run_request(1, "1", device="cpu", timeout=5.0, trace=False, check=None),
        limits,
        None,
    )
    session.started_at = time.monotonic()
    # the worker stops a run that has not begun only after timeout + start allowance (+ grace)
    left = session.time_left()
    assert left is not None and left > 5.0 + limits.start_allowance_s + limits.grace_s
    assert not session.feed({"type": "began", "id": 1})
    left = session.time_left()
    assert left is not None and left <= 5.0 + limits.grace_s + WATCHDOG_SLACK_S
    assert not session.feed({"type": "began", "id": 2}), "another run's news"


def _assert_cancelled_without_running(r: RunResult) -> None:
    assert r.status == "cancelled" and r.error.code == "cancelled", r.error
    assert r.stdout == "" and r.value is None
    assert r.check is not None and not r.check.passed  # its check did not run either


def test_a_cancel_while_the_worker_starts_cancels_the_run():
    box = Sandbox()
    try:
        results: list[RunResult] = []
        runner = threading.Thread(
            target=lambda: results.append(box.run("print('ran')\n1", check="assert True"))
        )
        runner.start()
        end = time.monotonic() + 30
        while not box.worker_pids() and time.monotonic() < end:
            time.sleep(0.01)
        assert box.worker_pids(), "the worker was never spawned"
        assert box.cancel()  # torch is still importing: the run is pending
        runner.join(30)
        assert results, "the cancelled run did not come back"
        _assert_cancelled_without_running(results[0])
        assert box.run("1 + 1").value == "2"  # the worker went on starting, and serves
        assert not box.cancel(), "no run is in flight"
    finally:
        box.close()


async def test_an_async_cancel_while_the_worker_starts_cancels_the_run():
    asb = AsyncSandbox()
    try:
        task = asyncio.ensure_future(asb.run("print('ran')\n1", check="assert True"))
        end = time.monotonic() + 30
        while not asb.worker_pids() and time.monotonic() < end:
            await asyncio.sleep(0.01)
        assert asb.worker_pids(), "the worker was never spawned"
        assert asb.cancel()
        _assert_cancelled_without_running(await asyncio.wait_for(task, 30))
        assert (await asb.run("1 + 1")).value == "2"
    finally:
        await asb.aclose()
