"""The CUDA worker runs the learner's code in its own process, forked from the process the app
started (``sandbox.worker.serve_at_arms_length``): ``os.getppid()`` there is no longer the app.
Driven on the CPU through the ``inprocess_device`` hook, as the other in-process tests are."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from sandbox_helpers import pid_gone

from sandbox import Sandbox


def test_a_run_that_kills_its_parent_does_not_stop_the_app():
    # In a process of its own: were the app the run's parent, this test's process would die.
    app = textwrap.dedent(
        """
        from sandbox import Sandbox
        with Sandbox(inprocess_device="cpu", timeout_s=30) as box:
            box.run("1", device="cuda")
            r = box.run("import os, signal\\nos.kill(os.getppid(), signal.SIGKILL)", device="cuda")
            print(r.status, r.error.code, box.run("2 + 2", device="cuda").value, flush=True)
        """
    )
    out = subprocess.run([sys.executable, "-c", app], capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert out.stdout.split() == ["crashed", "crashed_signal", "4"]


def test_the_cuda_worker_dies_with_the_process_the_app_started():
    box = Sandbox(inprocess_device="cpu", timeout_s=30).start()
    try:
        assert box.run("1", device="cuda").status == "ok"
        worker = box._core.workers["cuda"]
        started, serving = worker.pid, worker.serving_pid
        assert serving is not None and serving != started
        os.kill(started, signal.SIGKILL)
        assert pid_gone(serving), "the worker outlived the process the app started"
        assert box.run("3", device="cuda").value == "3"  # and a new one serves
    finally:
        box.close()


def test_a_stopped_parent_is_given_up_at_timeout_plus_grace():
    """A run stops the process the app started (SIGSTOP), and the next run dies: the stopped
    parent keeps the pipes open, so the client hears nothing; it looks for a stop in either
    process, not only the one serving runs, and gives up at timeout + grace."""
    box = Sandbox(inprocess_device="cpu", timeout_s=30).start()
    try:
        box.run("1", device="cuda")
        stop = "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n'stopped'"
        assert box.run(stop, device="cuda").value == "'stopped'"
        began = time.monotonic()
        r = box.run("import ctypes\nctypes.string_at(0)", device="cuda", timeout=1)
        assert r.status == "timeout"
        assert time.monotonic() - began < 1 + box.limits.grace_s + 1.5
        assert box.run("2", device="cuda").value == "2"
    finally:
        began = time.monotonic()
        box.close()
        assert time.monotonic() - began < 2, "close waited for a stopped worker"
