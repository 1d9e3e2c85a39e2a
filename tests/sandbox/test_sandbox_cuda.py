"""The CUDA worker. Real-GPU tests skip without one; the in-process worker logic is also exercised
on the CPU (``inprocess_device="cpu"``) so CI covers its state reset and fault handling."""

from __future__ import annotations

import textwrap

import pytest
from sandbox_helpers import requires_cuda

from sandbox import Sandbox


@pytest.fixture(scope="module")
def inproc():
    with Sandbox(inprocess_device="cpu", timeout_s=30) as box:
        yield box


def test_inprocess_worker_runs_resets_and_recovers(inproc):
    r = inproc.run(
        "print('hi')\ntorch.set_default_dtype(torch.float64)\nSECRET = 1\nstr(device)",
        device="cuda",
    )
    assert r.status == "ok", r.error
    assert r.stdout == "hi\n" and r.value == "'cpu'"
    r = inproc.run(
        "(str(torch.get_default_dtype()), 'SECRET' in globals(), torch.is_grad_enabled())",
        device="cuda",
    )
    assert r.value == "('torch.float32', False, True)"
    r = inproc.run("x = 0\nwhile True:\n    x += 1", device="cuda", timeout=1)
    assert r.status == "timeout"
    r = inproc.run(
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        device="cuda",
        timeout=1,
    )
    assert r.status == "timeout"
    r = inproc.run("while True:\n    print('x' * 200)", device="cuda", timeout=30)
    assert r.status == "error" and r.output_truncated
    r = inproc.run("1/0", device="cuda", check="assert True")
    assert r.status == "error" and r.error.line == 1 and not r.check.passed
    assert inproc.run("2 + 2", device="cuda").value == "4"


def test_inprocess_worker_recycles_after_leaked_thread_and_crash(inproc):
    r = inproc.run(
        "import threading, time\nthreading.Thread(target=time.sleep, args=(60,)).start()",
        device="cuda",
    )
    assert r.status == "ok"
    r = inproc.run("import threading\nlen(threading.enumerate())", device="cuda")
    assert r.status == "ok", r.error  # a fresh worker: the learner thread is gone
    r = inproc.run("import os\nos._exit(1)", device="cuda")
    assert r.status == "crashed"
    assert inproc.run("3", device="cuda").value == "3"


@requires_cuda
def test_cuda_run_trace_and_auto():
    with Sandbox() as sb:
        assert sb.cuda_available()
        r = sb.run(
            "x = torch.randn(4, 3, device=device)\nm = nn.Linear(3, 2).to(device)\nm(x).sum().backward()\nstr(device)",
            trace=True,
        )
        assert r.status == "ok", r.error
        assert r.device == "cuda" and r.value == "'cuda'"
        assert all(e["device"].startswith("cuda") for e in r.trace)
        assert {e["phase"] for e in r.trace} == {"forward", "backward"}
        assert sb.run("str(device)", device="cpu").value == "'cpu'"


@requires_cuda
def test_cuda_oom_is_reported_and_recovers():
    with Sandbox() as sb:
        r = sb.run("x = torch.empty(1 << 40, device='cuda')", device="cuda")
        assert r.status == "oom"
        assert sb.run("torch.ones(2, device='cuda').sum().item()", device="cuda").value == "2.0"


@requires_cuda
def test_tracer_never_syncs_the_device():
    code = textwrap.dedent(
        """
        model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1)).to(device)
        x = torch.randn(32, 8, device=device)
        torch.cuda.synchronize()
        torch.cuda.set_sync_debug_mode("error")
        loss = model(x).sum()
        loss.backward()
        torch.cuda.set_sync_debug_mode(0)
        'no sync'
        """
    )
    with Sandbox() as sb:
        r = sb.run(code, device="cuda", trace=True)
        assert r.status == "ok", r.error
        assert r.value == "'no sync'"
