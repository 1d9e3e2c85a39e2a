"""The CPU worker serves from a fork of itself and replaces that fork in place when it is killed
(``sandbox.worker.supervise``): a run that kills the process serving it costs the next run
milliseconds, not a fresh worker importing torch."""

from __future__ import annotations

import os
import signal
import time

from sandbox_helpers import pid_gone

from sandbox import Sandbox
from sandbox.process import WorkerProcess

KILL_MY_SERVER = "import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(5)"


def cpu_worker(box: Sandbox) -> WorkerProcess:
    return box._core.workers["cpu"]


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat", "rb") as f:
        return int(f.read().rsplit(b")", 1)[1].split()[1])


def new_server(worker: WorkerProcess, old: int | None, within: float = 10.0) -> int:
    """The serving pid once it is no longer ``old`` (the worker's ``ready`` is read in a thread)."""
    end = time.monotonic() + within
    while worker.serving_pid in (None, old) and time.monotonic() < end:
        time.sleep(0.01)
    assert worker.serving_pid not in (None, old), "no new server came"
    return worker.serving_pid


def test_a_run_that_kills_its_server_is_told_so_and_the_same_worker_serves_on():
    with Sandbox(timeout_s=30) as box:
        box.run("1")
        worker = cpu_worker(box)
        pid, server = worker.pid, worker.serving_pid
        assert server is not None and server != pid and parent_of(server) == pid
        r = box.run(KILL_MY_SERVER)
        assert r.status == "crashed"
        assert r.error is not None and r.error.code == "worker_signal"
        assert "SIGKILL" in r.error.message
        assert box.run("1 + 1").value == "2"
        assert box.worker_pids()["cpu"] == pid, "the worker was replaced, torch imported again"
        replacement = new_server(worker, server)
        assert parent_of(replacement) == pid and pid_gone(server)


def test_a_server_killed_between_runs_costs_no_run_anything():
    with Sandbox(timeout_s=30) as box:
        box.run("1")
        worker = cpu_worker(box)
        server = worker.serving_pid
        os.kill(server, signal.SIGKILL)
        new_server(worker, server)
        r = box.run("2 + 2")  # the old server's death is in its mailbox: not this run's
        assert (r.status, r.value) == ("ok", "4"), r.error
        assert box.worker_pids()["cpu"] == worker.pid


def test_what_a_killed_server_left_running_is_killed():
    """A process a run started in a session of its own outlives the run's own death; once the
    server that inherited it dies, it comes back to the worker, which kills it."""
    escape = (
        "import subprocess, time\n"
        "p = subprocess.Popen(['sleep', '60'], start_new_session=True)\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(0.2)\n"
    )
    with Sandbox(timeout_s=30) as box:
        box.run("1")
        worker = cpu_worker(box)
        killed: list[int] = []

        def kill_server(_stream: str, text: str) -> None:
            if text.strip().isdigit() and not killed:
                killed.append(int(text))
                os.kill(worker.serving_pid, signal.SIGKILL)  # as the escaped process lives

        r = box.run(escape, on_output=kill_server)
        assert r.status == "crashed" and killed
        assert pid_gone(killed[0]), "the escaped process outlived the server that inherited it"
        assert box.run("3").value == "3"


def test_the_server_dies_with_its_worker():
    box = Sandbox(timeout_s=30).start()
    try:
        box.run("1")
        worker = cpu_worker(box)
        server = worker.serving_pid
        os.kill(worker.pid, signal.SIGKILL)
        assert pid_gone(server), "the server outlived the worker that forked it"
    finally:
        box.close()
