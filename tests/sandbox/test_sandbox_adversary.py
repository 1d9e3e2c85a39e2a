"""An adversarial learner against both workers: snippets a curious or careless learner writes, each
of which must be reported clearly, leave the sandbox alive, and leave nothing to the next run. The
in-process worker is run on the CPU (``inprocess_device="cpu"``), as in test_sandbox_cuda.py."""

from __future__ import annotations

import textwrap

import pytest
from test_inprocess_puts_back import JSON_PATCHES
from test_sandbox_cuda import inproc  # noqa: F401 (a fixture)

from sandbox import Sandbox

DEVICES = ["cpu", "cuda"]


@pytest.fixture(params=DEVICES)
def box(request: pytest.FixtureRequest, sb: Sandbox) -> tuple[Sandbox, str]:
    """(sandbox, device): the CPU worker, and the in-process worker run on the CPU."""
    if request.param == "cpu":
        return sb, "cpu"
    return request.getfixturevalue("inproc"), "cuda"


def _run(box: tuple[Sandbox, str], code: str, **kwargs: object):
    sandbox, device = box
    return sandbox.run(textwrap.dedent(code), device=device, **kwargs)


@pytest.mark.parametrize("setter", ["settrace", "setprofile"])
def test_a_trace_or_profile_function_left_set_does_not_hang_the_run(box, setter):
    """``sys.settrace(f)`` (a learner exploring how debuggers work) left set: the in-process worker
    had cleared a pending async exception with ``PyThreadState_SetAsyncExc(id, NULL)`` after every
    run, which leaves CPython 3.11's eval breaker set for good; with a trace function on, the next
    Python call then spins in C for ever (the run timed out and the worker was replaced)."""
    sandbox, device = box
    assert _run(box, "1").ok  # a run before: the worker has cleaned up after one
    pid = sandbox.worker_pids().get(device)
    r = _run(
        box,
        f"""
        import sys
        sys.{setter}(lambda *args: None)
        def f():
            return 1
        sum(f() for _ in range(100))
        """,
        timeout=5,
    )
    assert (r.status, r.value) == ("ok", "100"), r.error
    assert sandbox.worker_pids().get(device) == pid
    r = _run(box, "import sys\n(sys.gettrace(), sys.getprofile(), 1 + 1)")
    assert (r.status, r.value) == ("ok", "(None, None, 2)"), r.error


def test_a_model_returning_a_dataclass_is_traced(box):
    """A forward returning a dataclass of tensors (a learner's own ``ModelOutput``) was traced as
    if no module had been called."""
    r = _run(
        box,
        """
        from dataclasses import dataclass

        @dataclass
        class Out:
            loss: object
            logits: torch.Tensor

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(3, 2)

            def forward(self, x):
                return Out(loss=None, logits=self.fc(x))

        Net()(torch.ones(4, 3)).logits.sum().backward()
        """,
        trace="shapes",
    )
    assert r.status == "ok", r.error
    assert [(e["phase"], e["module"], e["shape"]) for e in r.trace] == [
        ("forward", "fc", [4, 2]),
        ("forward", "Net", [4, 2]),
        ("backward", "Net", [4, 2]),  # one tensor: the outer module's output first, as the
        ("backward", "fc", [4, 2]),  # gradient reaches it, the forward's order reversed
    ]
    assert not r.trace_warnings


def test_modules_returning_no_tensor_are_not_reported_as_no_module_called(box):
    """A module whose forward returns None (it only prints, or stores its result) was called: the
    trace must not say that no nn.Module was called (there is no event to show either)."""
    r = _run(
        box,
        """
        class Logger(nn.Module):
            def forward(self, x):
                self.seen = x.shape

        Logger()(torch.ones(2))
        """,
        trace=True,
    )
    assert r.status == "ok", r.error
    assert r.trace == []
    assert r.trace_warnings == []


def test_global_hooks_replaced_with_a_plain_dict_do_not_break_later_traces(box):
    """A learner "clearing" torch's global hooks by assigning a new dict: the dict equals torch's
    empty OrderedDict, so the in-process worker's restore took it as unchanged and left it; torch
    weakly references that dict, so every later traced run failed ("cannot create weak
    reference to 'dict' object")."""
    r = _run(
        box,
        """
        import torch.nn.modules.module as m
        m._global_forward_hooks = {}
        m._global_forward_pre_hooks = {}
        """,
    )
    assert r.ok, r.error
    r = _run(box, "nn.Linear(2, 3)(torch.ones(2)).shape", trace="shapes")
    assert (r.status, r.value) == ("ok", "torch.Size([3])"), r.error
    assert [(e["phase"], e["module"]) for e in r.trace] == [("forward", "Linear")]


def test_patches_of_torch_linalg_nn_utils_and_autograd_function_end_with_the_run(box):
    """A learner stubbing out a torch function to see what calls it (``torch.linalg.norm``,
    ``nn.utils.clip_grad_norm_``, ``torch.autograd.Function.apply``): in the in-process worker
    the stub stayed for every later run."""
    r = _run(
        box,
        """
        torch.linalg.norm = lambda *args, **kwargs: "stub"
        nn.utils.clip_grad_norm_ = lambda *args, **kwargs: "stub"
        torch.fft.fft = lambda *args, **kwargs: "stub"
        torch.special.expit = lambda *args, **kwargs: "stub"
        torch.autograd.Function.apply = classmethod(lambda cls, *args: "stub")
        """,
    )
    assert r.ok, r.error
    r = _run(
        box,
        """
        class Twice(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return 2 * x

            @staticmethod
            def backward(ctx, g):
                return 2 * g

        values = [
            torch.linalg.norm(torch.ones(4)),
            nn.utils.clip_grad_norm_(nn.Linear(1, 1).parameters(), 1.0),
            torch.fft.fft(torch.ones(1)),
            torch.special.expit(torch.zeros(1)),
            Twice.apply(torch.ones(1)),
        ]
        [type(v).__name__ for v in values]
        """,
    )
    assert (r.status, r.value) == ("ok", "['Tensor', 'Tensor', 'Tensor', 'Tensor', 'Tensor']")


def test_a_learners_trace_function_sees_only_the_learners_code(box):
    """``sys.settrace`` left set traced the sandbox's own frames after the learner's code (its
    value's display, the result's encoding, the in-process worker's clean-up): they were printed
    as the run's output."""
    r = _run(
        box,
        """
        import sys

        def show(frame, event, arg):
            print(event, frame.f_code.co_name)

        sys.settrace(show)

        def f():
            return 1

        f()
        """,
    )
    assert (r.status, r.value) == ("ok", "1"), r.error
    assert r.stdout == "call <module>\ncall f\n"  # the last expression runs as a code of its own


def test_a_run_that_blocks_imports_still_reports_its_result(box):
    """A learner replacing ``builtins.__import__`` (to see which imports a library makes, or to
    forbid one): the CPU run finished, but the forked child's sending of its result imports
    (``os.fdopen`` does), so the run was reported as a crash that could not send its result."""
    r = _run(
        box,
        """
        import builtins

        def no_imports(name, *args, **kwargs):
            raise ImportError(f"no import of {name} today")

        builtins.__import__ = no_imports
        6 * 7
        """,
    )
    assert (r.status, r.value, r.stderr) == ("ok", "42", ""), r.error
    assert _run(box, "import math\nmath.floor(2.5)").value == "2"


def test_a_run_cannot_raise_torch_threads_past_the_cap_on_either_worker(box):
    """The in-process (CUDA) worker reset the thread count after each run, but during one
    ``torch.set_num_threads(64)`` took every core from the UI; the CPU worker capped it."""
    sandbox, _ = box
    r = _run(box, "torch.set_num_threads(64)\ntorch.get_num_threads()")
    assert r.status == "ok", r.error
    assert r.value == str(sandbox.limits.threads)
    assert f"at most {sandbox.limits.threads} thread" in r.stderr


@pytest.mark.parametrize(
    "setup",
    [
        "sys.setprofile(lambda frame, event, arg: print(event, getattr(arg, '__name__', '')))",
        "sys.settrace(show)\nsys.gettrace = lambda: None",  # hides that a trace is set
        "sys.setprofile(show)\nsys.getprofile = lambda: None",
    ],
    ids=["profile", "gettrace-replaced", "getprofile-replaced"],
)
def test_nothing_of_the_sandboxs_reaches_a_learners_trace_or_profile_function(box, setup):
    """Reviewer's find: the restore asked ``sys.gettrace()`` (which the learner may replace)
    whether to act, and its own calls were reported to a profile function (``c_call
    setprofile``, ``c_call gettrace``) and printed as the run's output."""
    r = _run(
        box,
        "import sys\n\ndef show(frame, event, arg):\n    print(event, frame.f_code.co_name)\n\n"
        + setup
        + "\nx = 1\n",
    )
    assert r.status == "ok", r.error
    shown = r.stdout.splitlines()
    sandboxes = [
        line
        for line in shown
        if any(
            w in line
            for w in (
                "gettrace",
                "getprofile",
                "setprofile",
                "settrace",
                "flush_all",
                "as_main",
                "_safe_repr",
                "exit",
            )
        )
    ]
    assert sandboxes == [], r.stdout


# builtins the run's process calls after the code ran, as it flushes and writes the result
FORK_PATCHES = {
    **JSON_PATCHES,
    "builtins.id": "import builtins\nbuiltins.id = lambda o: 1 / 0",
    "builtins.memoryview": "import builtins\nbuiltins.memoryview = None",
}


@pytest.mark.parametrize("name", FORK_PATCHES)
def test_a_patched_json_encoder_or_write_does_not_lose_a_forked_runs_result(sb: Sandbox, name):
    """test_inprocess_puts_back's patches, on the forked worker: it encodes and writes a run's
    result in the run's own process after the code ran (a patched encoder had the run reported
    as "crashed: the run's result could not be sent back")."""
    r = sb.run(FORK_PATCHES[name] + "\nprint('still here')\n6 * 7", device="cpu", timeout=10)
    assert (r.status, r.stdout, r.value) == ("ok", "still here\n", "42"), r.error
    r = sb.run("print('next')\n'é'", device="cpu", timeout=10)
    assert (r.status, r.stdout, r.value) == ("ok", "next\n", "'é'"), r.error
