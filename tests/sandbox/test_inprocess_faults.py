"""An adversarial pass on the in-process (CUDA) worker's cancel, timeout and fault paths, run on
the CPU (``inprocess_device="cpu"``) as in test_sandbox_cuda.py: each fault is reported clearly,
the worker is not replaced for it, and the next run works."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sandbox_helpers import pid_gone, result_of, send_at_once
from test_sandbox_cuda import inproc  # noqa: F401 (a fixture)

from sandbox import AsyncSandbox, Sandbox
from sandbox.process import WorkerProcess
from sandbox.protocol import Message, run_request
from sandbox.result import RunResult

ENDLESS = "while True:\n    pass"
WAIT_S = 30.0  # a bound that only a hang reaches: every wait below ends in well under a second


@pytest.fixture
def same_worker(inproc: Sandbox) -> Iterator[int]:  # noqa: F811
    """The in-process worker's pid; the test fails if that worker was replaced meanwhile (on a
    GPU a restart costs seconds, and a cancelled run must not need one)."""
    assert inproc.run("0", device="cuda").ok
    pid = inproc.worker_pids()["cuda"]
    yield pid
    assert inproc.worker_pids().get("cuda") == pid, "the in-process worker was replaced"


def assert_recovers(box: Sandbox) -> None:
    r = box.run("1 + 1", device="cuda")
    assert (r.status, r.value) == ("ok", "2"), r.error


def _worker(box: Sandbox) -> WorkerProcess:
    return box._core.workers["cuda"]


def _run(run_id: int, code: str, timeout: float = 20) -> Message:
    return run_request(run_id, code, device="cuda", timeout=timeout, trace=False, check=None)


def _wait_until(condition: Callable[[], bool]) -> None:
    end = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < end, "timed out waiting"
        time.sleep(0.0005)


def _run_in_thread(box: Sandbox, code: str, **kwargs: object) -> tuple[threading.Thread, list]:
    results: list[RunResult] = []
    thread = threading.Thread(
        target=lambda: results.append(box.run(code, device="cuda", **kwargs)), daemon=True
    )
    thread.start()
    return thread, results


# -- a cancel that comes before its run has begun (task 1) ------------------------------------


def test_a_cancel_read_together_with_its_run_request_stops_the_run(inproc, same_worker):  # noqa: F811
    run_id = 10**9
    send_at_once(inproc, "cuda", _run(run_id, ENDLESS), {"op": "cancel", "id": run_id})
    result = result_of(inproc, "cuda", run_id, within=10)  # not after the run's own 20 s
    assert result["status"] == "cancelled", result["error"]
    assert_recovers(inproc)


def test_a_cancel_of_a_run_waiting_behind_another_stops_it_before_it_begins(inproc, same_worker):  # noqa: F811
    first, waiting = 10**9 + 1, 10**9 + 2
    send_at_once(
        inproc,
        "cuda",
        _run(first, "import time\ntime.sleep(0.3)\n'first'"),
        _run(waiting, "print('began')\n" + ENDLESS),
        {"op": "cancel", "id": waiting},
    )
    assert result_of(inproc, "cuda", first, WAIT_S)["value"] == "'first'"
    result = result_of(inproc, "cuda", waiting, within=10)
    assert result["status"] == "cancelled", result["error"]
    assert_recovers(inproc)


def test_stop_pressed_before_the_worker_read_the_run_needs_no_restart(inproc, same_worker):  # noqa: F811
    # Frozen, the worker reads the run request and its cancel together, as when Stop is pressed
    # while it is still busy: the run must end as cancelled from the worker, not after the
    # client's CANCEL_WAIT_S by a kill and a fresh worker.
    os.kill(same_worker, signal.SIGSTOP)
    try:
        thread, results = _run_in_thread(inproc, ENDLESS, timeout=20)
        _wait_until(lambda: inproc._core.current is not None)
        assert inproc.cancel()
    finally:
        os.kill(same_worker, signal.SIGCONT)
    thread.join(WAIT_S)
    assert results and results[0].status == "cancelled", results and results[0].error
    assert inproc.worker_pids()["cuda"] == same_worker, "the worker was killed and replaced"
    assert_recovers(inproc)


def test_a_late_cancel_never_stops_a_later_run(inproc, same_worker):  # noqa: F811
    # A cancel that crossed its run's result reaches the worker after that run: it must not stop
    # the run after it, whether that one is waiting or already going.
    done, going, waiting = 10**9 + 3, 10**9 + 4, 10**9 + 5
    send_at_once(inproc, "cuda", _run(done, "'done'"))
    assert result_of(inproc, "cuda", done, WAIT_S)["value"] == "'done'"
    send_at_once(
        inproc,
        "cuda",
        _run(going, "import time\ntime.sleep(0.3)\n'going'"),
        _run(waiting, "'waiting'"),
        {"op": "cancel", "id": done},
    )
    assert result_of(inproc, "cuda", going, WAIT_S)["value"] == "'going'"
    assert result_of(inproc, "cuda", waiting, WAIT_S)["value"] == "'waiting'"


# -- a cancel as the run begins ------------------------------------------------------------------


def test_a_cancel_as_the_run_begins_never_takes_the_worker_down(inproc, same_worker):  # noqa: F811
    # The interrupt used to land in the worker's own code before the run's (starting its
    # watchdog): the worker died ("the sandbox worker stopped (KeyboardInterrupt)").
    for _ in range(10):
        thread, results = _run_in_thread(inproc, ENDLESS, timeout=20)
        _wait_until(lambda: inproc._core.current is not None)
        inproc.cancel()
        thread.join(WAIT_S)
        assert results and results[0].status == "cancelled", results and results[0].error
        assert inproc.worker_pids()["cuda"] == same_worker, "the worker was replaced"
    assert_recovers(inproc)


async def test_async_cancels_at_start_up_and_as_the_run_is_sent():
    async with AsyncSandbox(inprocess_device="cpu", timeout_s=30) as asb:
        # while the in-process worker is still starting: nothing runs, the next run works
        task = asyncio.ensure_future(asb.run(ENDLESS, device="cuda", timeout=20))
        await asyncio.sleep(0.1)
        assert asb._core.current is None and "cuda" in asb._core.workers
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        r = await asb.run("6", device="cuda")
        assert (r.status, r.value) == ("ok", "6"), r.error
        pid = asb.worker_pids()["cuda"]
        # as soon as the run is sent: cancelled by the worker, not by a restart
        for _ in range(3):
            task = asyncio.ensure_future(asb.run(ENDLESS, device="cuda", timeout=20))
            end = time.monotonic() + WAIT_S
            while asb._core.current is None and time.monotonic() < end:
                await asyncio.sleep(0)
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=WAIT_S)
            assert done and task.cancelled()
            assert asb.last_result is not None and asb.last_result.status == "cancelled"
            assert asb.worker_pids()["cuda"] == pid, "the worker was replaced"
        r = await asb.run("7", device="cuda")
        assert (r.status, r.value) == ("ok", "7"), r.error


def test_runs_still_queued_when_the_app_leaves_never_run(tmp_path):
    """The app quits (shutdown) while a run goes on and another waits behind it: the worker
    stops the one going and leaves, instead of running what nobody will read."""
    marker = tmp_path / "ran"
    with Sandbox(inprocess_device="cpu", timeout_s=30) as box:
        assert box.run("0", device="cuda").ok
        pid = box.worker_pids()["cuda"]
        send_at_once(
            box,
            "cuda",
            _run(10**9 + 11, "import time\ntime.sleep(0.5)"),
            _run(10**9 + 12, f"open({str(marker)!r}, 'w').close()"),
            {"op": "shutdown"},
        )
        assert pid_gone(pid, within=WAIT_S), "the worker did not leave"
    assert not marker.exists(), "a queued run ran after the shutdown"
