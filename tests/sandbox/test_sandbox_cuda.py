"""The CUDA worker. Real-GPU tests skip without one; the in-process worker logic is also exercised
on the CPU (``inprocess_device="cpu"``) so CI covers its state reset and fault handling."""

from __future__ import annotations

import textwrap

import pytest
from sandbox_helpers import FORK_WITHOUT_EXIT, KERNEL_MAPPED, pid_gone, requires_cuda

from sandbox import Sandbox, tensor_scan
from sandbox.worker import CPU_RUN_NO_CUDA, refuse_cuda


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
    assert r.error.line in (2, 3) and "stopped at line" in r.error.message  # as the CPU path
    r = inproc.run(
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
        device="cuda",
        timeout=1,
    )
    assert r.status == "timeout" and r.error.line in (3, 4)
    r = inproc.run("while True:\n    print('x' * 200)", device="cuda", timeout=30)
    assert r.status == "error" and r.output_truncated
    r = inproc.run("1/0", device="cuda", check="assert True")
    assert r.status == "error" and r.error.line == 1 and not r.check.passed
    assert inproc.run("2 + 2", device="cuda").value == "4"


# (what a run changes, a later run that sees it if it leaked, what that run must give)
LEAKS = {
    "torch patched": (
        "nn.Linear.forward = lambda self, x: 'PATCHED'\nF.relu = lambda x: 'PATCHED'\n"
        "torch.Tensor.__add__ = lambda a, b: 'PATCHED'",
        "(nn.Linear(2, 2)(torch.ones(2)).shape, F.relu(torch.tensor([-1.0])), torch.ones(1) + 1)",
        "(torch.Size([2]), tensor([0.]), tensor([2.]))",
    ),
    "stdlib patched": (
        "import functools, math, random\nmath.pi = 3\nrandom.random = lambda: 0.5\n"
        "functools.reduce = None\ntorch.jit.script = None",
        "import functools, math, random\n"
        "(math.pi == 3, random.random() == 0.5, functools.reduce is None, torch.jit.script is None)",
        "(False, False, False, False)",
    ),
    "names added": (
        "import builtins, sys\nbuiltins.LEAKED = 1\nsys.modules['leakmod'] = 'x'",
        "import sys\n(hasattr(__builtins__, 'LEAKED'), 'leakmod' in sys.modules)",
        "(False, False)",
    ),
    "environment": (
        "import os\nos.environ['NN_TUTOR_LEAK'] = '1'",
        "import os\n'NN_TUTOR_LEAK' in os.environ",
        "False",
    ),
    "gc callback": (
        "import gc\ndef leaky(phase, info):\n    print('LEAKED')\ngc.callbacks.append(leaky)",
        "import gc\n'leaky' in [getattr(c, '__name__', '') for c in gc.callbacks]",
        "False",
    ),
    "saved tensors hooks": (
        "def pack(t):\n    print('PACKED')\n    return t\n"
        "torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t).__enter__()",
        "import contextlib, io\nseen = io.StringIO()\nwith contextlib.redirect_stdout(seen):\n"
        "    x = torch.ones(2, requires_grad=True)\n    (x * x).sum().backward()\n"
        "'PACKED' in seen.getvalue()",
        "False",
    ),
    "recursion limit": (
        "import sys\nsys.setrecursionlimit(60)",
        "import sys\nsys.getrecursionlimit() > 60",
        "True",
    ),
    "warnings filter": (
        "import warnings\nwarnings.simplefilter('error')",
        "import warnings\nwarnings.warn('only a warning')\n'went on'",
        "'went on'",
    ),
    "default device": (
        "torch.set_default_device('meta')",
        "str(torch.ones(1).device)",
        "'cpu'",
    ),
    "excepthook": ("import sys\nsys.excepthook = None", "'still here'", "'still here'"),
    # tutorials start with logging.basicConfig: the next run's messages keep their own format
    "root logger": (
        "import logging\nlogging.basicConfig(level=logging.DEBUG, format='RUN1 %(message)s')",
        "import logging\nroot = logging.getLogger()\n(logging.getLevelName(root.level), root.handlers)",
        "('WARNING', [])",
    ),
    "logging disabled": (
        "import logging\nlogging.disable(logging.CRITICAL)",
        "import logging\nlogging.getLogger().isEnabledFor(logging.ERROR)",
        "True",
    ),
    "stream encoding": (
        "import sys\nsys.stdout.reconfigure(encoding='ascii', errors='strict')",
        "print('caf\u00e9')\n'printed'",
        "'printed'",
    ),
    "umask": (
        "import os\nos.umask(0o777)",
        "import os\nm = os.umask(0)\nos.umask(m)\nm == 0o777",
        "False",
    ),
    # the import system's lists, changed in place (sys.meta_path.insert is how finders go in)
    "meta path finder": (
        "import sys\nclass Finder:\n    def find_spec(self, name, path, target=None):\n"
        "        print('FOUND', name)\nsys.meta_path.insert(0, Finder())",
        "import sys\n[type(f).__name__ for f in sys.meta_path if type(f).__name__ == 'Finder']",
        "[]",
    ),
    "path hook": (
        "import sys\ndef leaky_hook(path):\n    raise ImportError\nsys.path_hooks.insert(0, leaky_hook)\n"
        "sys.path_importer_cache['/leaked'] = None",
        "import sys\n(any(getattr(h, '__name__', '') == 'leaky_hook' for h in sys.path_hooks),"
        " '/leaked' in sys.path_importer_cache)",
        "(False, False)",
    ),
    # threading's hooks reach every thread started later (a DataLoader's, the worker's own)
    "thread hooks": (
        "import threading\ndef leaky(*args):\n    return None\n"
        "threading.settrace(leaky)\nthreading.setprofile(leaky)\nthreading.excepthook = leaky",
        "import threading\n(threading.gettrace(), threading.getprofile(),"
        " threading.excepthook is threading.__excepthook__)",
        "(None, None, True)",
    ),
    "open-file limit": (
        "import resource\nhard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))",
        "import resource\nresource.getrlimit(resource.RLIMIT_NOFILE)[0] > 64",
        "True",
    ),
    # torch.backends / autograd switches kept in C++ (a transformer tutorial's kernel choice)
    "torch switches": (
        "torch.backends.cuda.enable_flash_sdp(False)\ntorch.backends.cuda.enable_math_sdp(False)\n"
        "torch.backends.mha.set_fastpath_enabled(False)\ntorch.backends.mkldnn.enabled = False\n"
        "torch.backends.cuda.matmul.allow_bf16_reduced_precision_reduction = False\n"
        "torch.autograd.set_multithreading_enabled(False)",
        "b = torch.backends\n(b.cuda.flash_sdp_enabled(), b.cuda.math_sdp_enabled(),"
        " b.mha.get_fastpath_enabled(), b.mkldnn.enabled,"
        " b.cuda.matmul.allow_bf16_reduced_precision_reduction,"
        " torch._C._is_multithreading_enabled())",
        "(True, True, True, True, True, True)",
    ),
    # denormals flushed to zero: Python's own float arithmetic too
    "flush denormal": ("torch.set_flush_denormal(True)", "x = 5e-324\nx * 1.0 > 0", "True"),
    # torch allows it once per process: the next run's call must work as in a fresh one
    "interop threads": (
        "torch.set_num_interop_threads(3)",
        "torch.set_num_interop_threads(3)\n'set'",
        "'set'",
    ),
    "optimizer hook": (
        "from torch.optim.optimizer import register_optimizer_step_pre_hook\n"
        "register_optimizer_step_pre_hook(lambda *args: print('HOOKED'))",
        "import contextlib, io\nseen = io.StringIO()\np = nn.Parameter(torch.ones(1))\n"
        "p.grad = torch.ones(1)\nwith contextlib.redirect_stdout(seen):\n"
        "    torch.optim.SGD([p], lr=0.1).step()\nseen.getvalue()",
        "''",
    ),
    # tutorials seed everything; the next run must not draw the seeded numbers again
    "random seeds": (
        "import random, numpy as np\nrandom.seed(0)\nnp.random.seed(0)",
        "import random, numpy as np\n(random.random() == random.Random(0).random(),"
        " np.random.rand() == np.random.RandomState(0).rand())",
        "(False, False)",
    ),
    # a learner's logger (handlers would double every message) and a library's level
    "loggers": (
        "import logging\nlog = logging.getLogger(__name__)\n"
        "log.addHandler(logging.StreamHandler())\nlog.setLevel(logging.INFO)\n"
        "logging.getLogger('torch').setLevel(logging.DEBUG)",
        "import logging\nlog = logging.getLogger(__name__)\n"
        "(log.handlers, log.level, logging.getLevelName(logging.getLogger('torch').level))",
        "([], 0, 'WARNING')",
    ),
    "torch logs": (
        "import logging\ntorch._logging.set_logs(dynamo=logging.DEBUG, graph_breaks=True)",
        "import logging\nfrom torch._logging import _internal\n"
        "(logging.getLogger('torch._dynamo').level,"
        " _internal.log_state.is_artifact_enabled('graph_breaks'))",
        "(0, False)",
    ),
    # decimal's context, numpy's print options and error handling, torch.compile's config
    "context variables": (
        "import decimal, numpy as np, torch._dynamo\ndecimal.getcontext().prec = 3\n"
        "np.set_printoptions(precision=2)\nnp.seterr(all='raise')\n"
        "torch._dynamo.config.cache_size_limit = 3",
        "import decimal, numpy as np, torch._dynamo\n(decimal.getcontext().prec,"
        " np.get_printoptions()['precision'], np.geterr()['divide'],"
        " torch._dynamo.config.cache_size_limit != 3)",
        "(28, 8, 'warn', True)",
    ),
    # torch's config modules where torch keeps them process-wide (2.11 did): a value set, one
    # deleted (hidden, as mock.patch needs), a config module the run imported first
    "torch config": (
        "import torch._dynamo, torch._inductor.config as ic\nic.max_autotune = True\n"
        "torch._dynamo.config.recompile_limit = 2\ndel torch._dynamo.config.verbose\n"
        "del torch._dynamo.config.cache_size_limit",  # an alias: its hide flag is its own
        "import torch._dynamo, torch._inductor.config as ic\n"
        "(ic.max_autotune, torch._dynamo.config.recompile_limit == 2,"
        " hasattr(torch._dynamo.config, 'verbose'),"
        " hasattr(torch._dynamo.config, 'cache_size_limit'))",
        "(False, False, True, True)",
    ),
    # a config module no run had imported: a fresh import's values in the next run
    "torch config imported": (
        "import torch._inductor.config_comms as cc\n"
        "cc.reorder_sink_verbose_logging = not cc.reorder_sink_verbose_logging",
        "import torch._inductor.config_comms as cc\ncc.reorder_sink_verbose_logging",
        "False",
    ),
    # the same, by a run that also took as many modules out of sys.modules as its import added:
    # sys.modules is put back first, so its size still tells that a module was added
    "torch config imported in a swap": (
        "import sys\nbefore = set(sys.modules)\n"
        "import torch.testing._internal.fake_config_module as f\nf.e_bool = False\n"
        "added = len(set(sys.modules) - before)\n"
        "for name in sorted(n for n in before if n.startswith('encodings.'))[:added]:\n"
        "    del sys.modules[name]",
        "import torch.testing._internal.fake_config_module as f\nf.e_bool",
        "True",
    ),
    # a learner's model.py, changed between runs: the next import must read it again
    "own module": (
        "import os, sys, tempfile\nd = tempfile.mkdtemp()\n"
        "open(os.path.join(d, 'leaky_model.py'), 'w').write('X = 1\\n')\n"
        "sys.path.insert(0, d)\nimport leaky_model\nleaky_model.X",
        "import os, sys, tempfile\nd = tempfile.mkdtemp()\n"
        "open(os.path.join(d, 'leaky_model.py'), 'w').write('X = 22\\n')\n"
        "sys.path.insert(0, d)\nimport leaky_model\nleaky_model.X",
        "22",
    ),
    # the same operator defined again must work, as in a fresh process
    "library op": (
        "torch.library.define('leaky::twice', '(Tensor x) -> Tensor')",
        "torch.library.define('leaky::twice', '(Tensor x) -> Tensor')\n'defined'",
        "'defined'",
    ),
    "process settings": (
        "import gc, multiprocessing, os, socket, threading\nimport torch.multiprocessing as tmp\n"
        "class Saved:\n    pass\ntorch.serialization.add_safe_globals([Saved])\n"
        "multiprocessing.set_start_method('spawn')\ntmp.set_sharing_strategy('file_system')\n"
        "socket.setdefaulttimeout(1.5)\ngc.set_debug(gc.DEBUG_SAVEALL)\n"
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\nthreading.stack_size(1 << 20)",
        "import gc, multiprocessing, os, socket, threading\nimport torch.multiprocessing as tmp\n"
        "saved = torch.serialization.get_safe_globals()\n"
        "(any(getattr(g, '__name__', '') == 'Saved' for g in saved),"
        " multiprocessing.get_start_method(True), tmp.get_sharing_strategy(),"
        " socket.getdefaulttimeout(), gc.get_debug(), threading.stack_size(),"
        " os.sched_getaffinity(0) == os.sched_getaffinity(os.getppid()))",  # the client's
        "(False, None, 'file_descriptor', None, 0, 0, True)",
    ),
    # older asyncio code: get_event_loop(), run, close; the next run must not get the closed loop
    "event loop": (
        "import asyncio, warnings\nwarnings.simplefilter('ignore')\n"
        "loop = asyncio.get_event_loop()\nloop.run_until_complete(asyncio.sleep(0))\nloop.close()",
        "import asyncio, warnings\nwarnings.simplefilter('ignore')\n"
        "asyncio.get_event_loop().is_closed()",
        "False",
    ),
    # a profiler started and never stopped, a forward-AD level entered and never left
    "left running": (
        "import torch.autograd.forward_ad as fwAD\ntorch.profiler.profile().start()\n"
        "fwAD.dual_level().__enter__()",
        "import torch.autograd.forward_ad as fwAD\nwith fwAD.dual_level():\n    pass\n"
        "torch._C._autograd._profiler_enabled()",
        "False",
    ),
}


@pytest.mark.skipif(tensor_scan.find_compiler() is None, reason="needs a C compiler")
def test_inprocess_worker_has_the_stats_kernel_loaded(inproc):
    r = inproc.run(KERNEL_MAPPED, device="cuda")
    assert (r.status, r.value) == ("ok", "True"), r.error


@pytest.mark.parametrize("name", LEAKS)
def test_inprocess_run_starts_clean_after_a_run_changed_process_state(inproc, name):
    change, probe, expected = LEAKS[name]
    assert inproc.run(change, device="cuda").status == "ok"
    r = inproc.run(probe, device="cuda")
    assert r.status == "ok", r.error
    assert r.value == expected


@pytest.mark.parametrize(
    "change",
    ["sys.stdout = open('/dev/null', 'w')", "sys.stdout.close()"],
    ids=["replaced", "closed"],
)
def test_inprocess_print_works_after_a_run_broke_sys_stdout(inproc, change):
    assert inproc.run(f"import sys\n{change}", device="cuda").ok
    assert inproc.run("print('seen')", device="cuda").stdout == "seen\n"


@pytest.mark.parametrize(
    "change", ["os.close(1)", "os.dup2(os.open(os.devnull, os.O_WRONLY), 1)"], ids=["close", "dup2"]
)
def test_inprocess_worker_replaced_after_a_run_broke_fd_1(inproc, change):
    pid = inproc.run("import os\nos.getpid()", device="cuda").value
    r = inproc.run(f"import os\nprint('before', flush=True)\n{change}", device="cuda")
    assert r.status == "ok" and r.stdout == "before\n"  # the end-of-output marker still arrives
    r = inproc.run("import os\nprint('after')\nos.getpid()", device="cuda")
    assert r.stdout == "after\n"
    assert r.value != pid  # a fresh worker: fd 1 cannot be trusted in the old one


def test_inprocess_run_fds_left_open_do_not_reach_the_next_run(inproc):
    """``os.pipe()`` or ``tempfile.mkstemp()`` left open: a later run could read it, and they pile
    up to the open-file limit; closing another's fd is unsafe, so the worker is replaced."""
    change = (
        "import os\nr, w = os.pipe()\nos.write(w, b'secret')\nos.readlink(f'/proc/self/fd/{r}')"
    )
    r = inproc.run(change, device="cuda")
    assert r.status == "ok", r.error
    probe = (
        "import os\nseen = []\nfor fd in os.listdir('/proc/self/fd'):\n    try:\n"
        "        seen.append(os.readlink(f'/proc/self/fd/{fd}'))\n    except OSError:\n"
        "        pass\nseen"
    )
    seen = inproc.run(probe, device="cuda")
    assert seen.status == "ok", seen.error
    assert "pipe:" in seen.value and r.value.strip("'") not in seen.value


def test_inprocess_run_leaves_no_faulthandler_timer(inproc):
    change = "import faulthandler, sys\nfaulthandler.dump_traceback_later(0.2, repeat=True)"
    assert inproc.run(change, device="cuda").status == "ok"
    r = inproc.run("import time\ntime.sleep(0.6)\n'quiet'", device="cuda")
    assert r.value == "'quiet'" and "Thread" not in r.stderr, r.stderr


def test_inprocess_escaped_processes_are_killed(inproc):
    # A double fork with setsid: the sleeper is in no group of the run, and its parent has gone.
    r = inproc.run(
        "import os, time\n"
        "r, w = os.pipe()\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        os.write(w, str(os.getpid()).encode())\n"
        "        time.sleep(120)\n"
        "    os._exit(0)\n"
        "os.close(w)\n"
        "int(os.read(r, 32))",
        device="cuda",
    )
    assert r.status == "ok", r.error
    assert pid_gone(int(r.value)), "the escaped process survived its run"
    r = inproc.run("print('bye', flush=True)\n7", device="cuda", timeout=5)
    assert r.status == "ok" and r.stdout == "bye\n" and r.value == "7"


def test_inprocess_a_process_the_code_forks_does_not_report_the_run(inproc):
    r = inproc.run(FORK_WITHOUT_EXIT, device="cuda", timeout=10)
    assert r.status == "ok" and r.value == "'parent'", r.error
    assert inproc.run("5", device="cuda").value == "5"


@pytest.mark.parametrize("call", ["os._exit(3)", "os._exit(status=3)"])
def test_inprocess_os_exit_is_told_as_the_runs_crash_after_its_output(inproc, call):
    """The run's code runs in the worker's own process: its os._exit is the run's, worded as a
    forked CPU run's (not "the sandbox worker exited"), and what it printed just before reaches
    the client (the threads forwarding it died with the process)."""
    r = inproc.run(
        f"import os, sys\nprint('before')\nsys.stderr.write('warned\\n')\n{call}",
        device="cuda",
    )
    assert (r.status, r.error.code, r.error.params) == ("crashed", "exited", {"exit_code": 3})
    assert r.error.message == "the process exited with code 3 before the run finished (os._exit?)"
    assert (r.stdout, r.stderr) == ("before\n", "warned\n")
    assert inproc.run("3", device="cuda").value == "3"


@pytest.mark.parametrize(
    "change",
    [
        "os.closerange(3, 1000)",  # how daemons shed inherited files: the result pipe too
        "for fd in range(3, 64):\n    try:\n        os.dup2(1, fd)\n    except OSError:\n        pass",
    ],
    ids=["closed", "replaced"],
)
def test_inprocess_run_that_breaks_the_result_pipe_is_reported_as_such(inproc, change):
    r = inproc.run(f"import os\n{change}\n5", device="cuda", timeout=20)
    assert (r.status, r.error.code) == ("crashed", "unreported"), r.error
    assert '"status"' not in r.stdout, "the result went to the learner's output"
    assert inproc.run("3", device="cuda").value == "3"


def test_inprocess_segfault_is_told_as_the_runs_crash(inproc):
    r = inproc.run("import ctypes\nctypes.string_at(0)", device="cuda")
    assert (r.status, r.error.code, r.error.params["name"]) == (
        "crashed",
        "crashed_signal",
        "SIGSEGV",
    )
    assert r.error.message.startswith("the run crashed: ")
    assert inproc.run("3", device="cuda").value == "3"


def test_inprocess_worker_recycles_after_leaked_thread_and_crash(inproc):
    r = inproc.run(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()",
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


BACKWARD = "x = torch.ones(3, requires_grad=True)\n(x * 2).sum().backward()\nx.grad.tolist()"
OPTIMIZER = (
    "model = nn.Linear(2, 1)\nopt = torch.optim.Adam(model.parameters())\n"
    "model(torch.ones(4, 2)).sum().backward()\nopt.step()\n'stepped'"
)


@requires_cuda
def test_cpu_runs_backward_and_step_on_a_machine_with_a_gpu():
    """The CPU worker forks every run: had it run a backward itself, autograd's per-device threads
    would make every forked run's backward raise (torch refuses autograd after such a fork); and
    an optimizer's step asks CUDA whether a graph is being captured, which under a CPU run's
    address-space cap failed with "CUDA error: out of memory". A CPU run sees no GPU."""
    with Sandbox() as sb:
        for code, value in [(BACKWARD, "[2.0, 2.0, 2.0]"), (OPTIMIZER, "'stepped'")] * 2:
            r = sb.run(code, device="cpu")
            assert (r.status, r.value) == ("ok", value), r.error
        assert sb.run("torch.cuda.is_available()", device="cpu").value == "False"
        r = sb.run("torch.ones(1).cuda()", device="cpu")  # it hung there, on the H200
        assert (r.status, r.error.message) == ("error", CPU_RUN_NO_CUDA), r.error
        assert sb.run("torch.cuda.is_available()", device="cuda").value == "True"


@pytest.mark.parametrize(
    "use",
    ["torch.ones(1).cuda()", "torch.ones(1, device='cuda')", "torch.cuda.current_device()"],
)
def test_a_run_refused_cuda_is_told_so_by_every_path_into_it(monkeypatch, use):
    """What a CPU run on a machine with a GPU gets (refuse_cuda): torch's own lazy start of CUDA,
    which the C++ paths call by name too, raises before the driver is reached."""
    import torch

    monkeypatch.setattr(torch.cuda, "_lazy_init", torch.cuda._lazy_init)  # put back afterwards
    refuse_cuda(torch)
    with pytest.raises(RuntimeError) as raised:
        eval(use)
    assert str(raised.value) == CPU_RUN_NO_CUDA


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


def test_inprocess_worker_replaced_after_a_run_added_an_audit_hook(inproc):
    """``sys.addaudithook`` cannot be undone: a run that adds one gets a fresh worker after it,
    so the hook never sees (or prints into) a later run."""
    pid = inproc.run("import os\nos.getpid()", device="cuda").value
    r = inproc.run(
        "import sys\ndef spy(event, args):\n    if event == 'open':\n        print('AUDITED', args[0])\n"
        "sys.addaudithook(spy)\n'added'",
        device="cuda",
    )
    assert r.status == "ok" and r.value == "'added'", r.error
    r = inproc.run("import os\nopen(os.devnull).close()\nos.getpid()", device="cuda")
    assert r.status == "ok" and "AUDITED" not in r.stdout, r.stdout
    assert r.value != pid
