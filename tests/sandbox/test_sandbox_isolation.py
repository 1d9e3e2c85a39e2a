"""The calling process never imports torch, and workers never outlive their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from sandbox_helpers import pid_gone

from sandbox import Sandbox


def test_ui_process_never_imports_torch():
    script = textwrap.dedent(
        """
        import sys
        import sandbox
        from sandbox import Sandbox, AsyncSandbox, RunResult, cuda_available
        cuda_available()
        with Sandbox() as sb:
            r = sb.run("x = torch.ones(3)\\nx.sum()", trace=True)
            assert r.status == "ok", r
            sb.cuda_available()
        print("torch" in sys.modules, r.value)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False tensor(3.)"


def test_close_reaps_workers():
    sb = Sandbox().start()
    pid = sb.worker_pids()["cpu"]
    sb.run("1")
    sb.close()
    assert pid_gone(pid)
    sb.close()  # twice is fine


def test_worker_exits_when_parent_dies():
    script = textwrap.dedent(
        """
        import sys, time
        from sandbox import Sandbox
        sb = Sandbox().start()
        print(sb.worker_pids()["cpu"], flush=True)
        time.sleep(120)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        worker = int(parent.stdout.readline())
        assert os.path.exists(f"/proc/{worker}")
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    assert pid_gone(worker, within=20), "worker outlived its parent"
