"""The hook tracer on edge cases a reviewer found: empty tensors, ``torch.compile``, activation
checkpointing and ``__torch_function__`` subclasses. Each runs real torch code, in process through
:class:`HookTracer` and end to end through the sandbox."""

from __future__ import annotations

import gc
import textwrap
import threading
import warnings
import weakref
from collections.abc import Callable
from typing import Any, ClassVar

import pytest
import torch
from sandbox_helpers import host_stats_by_torch_ops
from torch import nn
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

from sandbox import Sandbox
from sandbox.tracer import (
    MAX_FAILURES,
    HookTracer,
    derive_stats,
    event_stats,
    host_stats,
    stat_vector,
)
from tutor.torch_version import release

# Dynamo inlines global module hooks into the compiled graph from torch 2.5 on. Before, it calls
# them outside the graph: on fake tensors while it traces, around the module it then runs
# eagerly, and (2.2, 2.3) on its own GraphModule, all of which the trace shows. The tests below
# pin the 2.5+ behaviour.
needs_hook_inlining = pytest.mark.skipif(
    release(torch.__version__) < (2, 5, 0),
    reason="torch before 2.5 does not inline global module hooks into compiled graphs",
)


def code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def trace(step: Callable[[], object]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(events, warnings)`` of running ``step`` under a fresh tracer."""
    tracer = HookTracer()
    with tracer:
        step()
    events, found, _ = tracer.finish()
    return events, found


def kinds(found: list[dict[str, Any]]) -> set[str]:
    return {w["kind"] for w in found}


# -- empty tensors ---------------------------------------------------------------------------------

NO_VALUES = {
    "mean": None,
    "std": None,
    "min": None,
    "max": None,
    "norm": None,
    "zero_frac": None,
    "has_nan": False,
    "has_inf": False,
}


def device_path(t: torch.Tensor) -> list[float]:
    """The stats as a non-CPU tensor gets them: raw sums on the device, derived on the host."""
    return derive_stats(stat_vector(t).double().tolist(), t.numel())


@pytest.mark.parametrize(
    "path",
    [host_stats, host_stats_by_torch_ops, device_path],
    ids=["host_stats", "host_stats_by_torch_ops", "device_path"],
)
@pytest.mark.parametrize("shape", [(0,), (0, 4), (3, 0, 2)])
def test_an_empty_tensor_has_no_stats_and_no_nan_or_inf(path, shape: tuple[int, ...]) -> None:
    assert event_stats(path(torch.zeros(shape))) == NO_VALUES


def test_empty_batches_raise_no_nan_or_inf_warning() -> None:
    linear = nn.Linear(4, 2)

    def step() -> None:
        nn.Identity()(torch.zeros(0))
        linear(torch.zeros(0, 4)).sum().backward()

    events, found = trace(step)
    assert [(e["phase"], e["shape"]) for e in events] == [
        ("forward", [0]),
        ("forward", [0, 2]),
        ("backward", [0, 2]),
    ]
    for event in events:
        assert {key: event[key] for key in NO_VALUES} == NO_VALUES
    assert not kinds(found) & {"nan", "inf"}


def test_empty_tensor_in_the_sandbox(sb: Sandbox) -> None:
    r = sb.run(
        code(
            """
            nn.Identity()(torch.zeros(0))
            nn.Linear(4, 2)(torch.zeros(0, 4))
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    assert [e["shape"] for e in r.trace] == [[0], [0, 2]]
    assert all(not e["has_nan"] and not e["has_inf"] for e in r.trace)
    assert r.trace_warnings == []
    r.to_json()


# -- torch.compile ---------------------------------------------------------------------------------


@pytest.fixture
def fresh_dynamo():
    """Compiled code cached by one test must not leak into the next."""
    torch._dynamo.reset()
    with warnings.catch_warnings():
        # torch warns that global hooks fire once more for the OptimizedModule wrapper: expected
        warnings.filterwarnings("ignore", "Using `torch.compile\\(module\\)` when there are global")
        yield
    torch._dynamo.reset()


@needs_hook_inlining
@pytest.mark.usefixtures("fresh_dynamo")
def test_compiled_module_runs_and_eager_modules_are_still_traced() -> None:
    torch.manual_seed(0)
    # fullgraph: the hooks, inlined by Dynamo, must not break the graph either
    compiled = torch.compile(nn.Linear(4, 4), backend="eager", fullgraph=True)
    relu = nn.ReLU()
    x = torch.randn(2, 4)
    outputs = []

    def step() -> None:
        for _ in range(2):  # compile, then the cached graph
            out = relu(compiled(x))
            out.sum().backward()
            outputs.append(out)

    events, found = trace(step)
    torch.testing.assert_close(outputs[0], relu(compiled._orig_mod(x)))
    assert "forward_error" not in kinds(found)
    forward = [(e["module"], e["type"]) for e in events if e["phase"] == "forward"]
    # the wrapper's call runs eagerly; the Linear inside runs as compiled code, untraced
    assert forward == [("OptimizedModule", "OptimizedModule"), ("ReLU", "ReLU")] * 2
    backward = [e["module"] for e in events if e["phase"] == "backward"]
    assert backward == ["ReLU", "OptimizedModule"] * 2
    relu_event = events[1]
    assert relu_event["shape"] == [2, 4]
    assert relu_event["mean"] == pytest.approx(float(outputs[0].detach().mean()))


@needs_hook_inlining
def test_compiled_module_in_the_sandbox(sb: Sandbox) -> None:
    r = sb.run(
        code(
            """
            import warnings
            cm = torch.compile(nn.Linear(4, 4), backend="eager")
            warnings.warn("the learner's own warning")
            cm(torch.randn(2, 4)).sum()
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    assert [e["type"] for e in r.trace] == ["OptimizedModule"]
    assert r.trace_warnings == []
    # torch's warning about global hooks is about the tracer's, not the learner's: not shown
    assert "global hooks" not in r.stderr
    assert "the learner's own warning" in r.stderr


# -- activation checkpointing ----------------------------------------------------------------------


def test_checkpoint_recomputation_is_not_a_forward_error() -> None:
    from torch.utils.checkpoint import checkpoint

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
    x = torch.randn(3, 4, requires_grad=True)

    def step() -> None:
        checkpoint(model, x, use_reentrant=False).sum().backward()

    events, found = trace(step)
    assert "forward_error" not in kinds(found), found
    assert x.grad is not None
    forward = [e["module"] for e in events if e["phase"] == "forward"]
    # the forward, then the recomputation during backward (stopped once it has what it needs)
    assert forward[:4] == ["0", "1", "2", "Sequential"]
    assert set(forward[4:]) <= {"0", "1", "2", "Sequential"}


def test_a_real_error_after_a_checkpoint_is_still_reported() -> None:
    from torch.utils.checkpoint import checkpoint

    model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
    broken = nn.Linear(5, 1)
    x = torch.randn(3, 4, requires_grad=True)

    def step() -> None:
        checkpoint(model, x, use_reentrant=False).sum().backward()
        with pytest.raises(RuntimeError):
            broken(x)

    _, found = trace(step)
    (failure,) = [w for w in found if w["kind"] == "forward_error"]
    assert failure["module"] == "Linear" and "(3, 4)" in failure["message"]


def test_a_caught_error_does_not_hide_a_later_one() -> None:
    """Each exception is one failure, named by the innermost module it left; passing up through
    the outer modules does not make it a new one."""
    model = nn.Sequential(nn.Linear(4, 3), nn.Sequential(nn.Linear(2, 1)))
    head = nn.Linear(6, 2)

    def step() -> None:
        with pytest.raises(RuntimeError):
            model(torch.randn(5, 4))  # the inner Linear(2, 1) gets 3 features: caught
        with pytest.raises(RuntimeError):
            head(torch.randn(5, 4))  # another mistake, in another module

    _, found = trace(step)
    failures = [
        (w["module"], w["params"]["input_shapes"]) for w in found if w["kind"] == "forward_error"
    ]
    assert failures == [("1.0", [[5, 3]]), ("Linear", [[5, 4]])]


def test_a_caught_failure_lets_go_of_its_tensors() -> None:
    """Catch an OOM, halve the batch, retry: the failed call's tensors must be freed when the
    learner's code lets go of the error, not kept by the tracer until the run ends."""
    kept: list[weakref.ref[torch.Tensor]] = []

    class Greedy(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            scratch = torch.ones(1000)
            kept.append(weakref.ref(scratch))
            raise MemoryError("pretend")

    model = nn.Sequential(Greedy())
    alive_after_except: list[bool] = []

    def step() -> None:
        with pytest.raises(MemoryError):
            model(torch.randn(2))
        gc.collect()
        alive_after_except.append(kept[0]() is not None)

    _, found = trace(step)
    assert alive_after_except == [False]
    assert [w["module"] for w in found if w["kind"] == "forward_error"] == ["0"]


def test_a_module_returning_none_in_an_except_block_did_not_fail() -> None:
    """``sys.exc_info()`` there is the learner's handled error, not the module's."""

    class Logger(nn.Module):
        def forward(self, x: torch.Tensor) -> None:
            return None

    def step() -> None:
        try:
            raise ValueError("the learner's own")
        except ValueError:
            Logger()(torch.randn(2))

    _, found = trace(step)
    assert "forward_error" not in kinds(found), found


def test_failures_are_capped() -> None:
    layer = nn.Linear(3, 1)

    def step() -> None:
        for _ in range(MAX_FAILURES + 3):
            with pytest.raises(RuntimeError):
                layer(torch.randn(2, 5))

    _, found = trace(step)
    assert sum(w["kind"] == "forward_error" for w in found) == MAX_FAILURES


def test_the_tracer_takes_back_only_its_own_warnings_filter() -> None:
    """The filter hiding torch's compile warning goes at the end; the learner's stay (an
    exercise's check runs after the tracer finishes, under the learner's filters)."""
    with warnings.catch_warnings():
        before = list(warnings.filters)
        tracer = HookTracer()
        with tracer:
            assert len(warnings.filters) == len(before) + 1
            warnings.simplefilter("error", DeprecationWarning)  # the learner's code
            learners = warnings.filters[0]
        tracer.finish()
        assert warnings.filters == [learners, *before]


def test_checkpoint_in_the_sandbox(sb: Sandbox) -> None:
    r = sb.run(
        code(
            """
            from torch.utils.checkpoint import checkpoint
            model = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
            x = torch.randn(3, 4, requires_grad=True)
            checkpoint(model, x, use_reentrant=False).sum().backward()
            """
        ),
        trace=True,
    )
    assert r.status == "ok", r.error
    assert all(w["kind"] != "forward_error" for w in r.trace_warnings), r.trace_warnings


# -- __torch_function__ subclasses ----------------------------------------------------------------


class Logged(torch.Tensor):
    """A learner's subclass that logs every torch op it sees."""

    seen: ClassVar[list[str]] = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        cls.seen.append(getattr(func, "__name__", str(func)))
        return super().__torch_function__(func, types, args, kwargs or {})


def logged_ops(traced: bool) -> tuple[list[str], list[dict[str, Any]]]:
    """The ops the subclass sees in a forward and backward step, and the trace's events."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())
    x = torch.randn(2, 4).as_subclass(Logged)
    Logged.seen = []

    def step() -> None:
        model(x).sum().backward()

    if not traced:
        step()
        return Logged.seen, []
    events, _ = trace(step)
    return Logged.seen, events


def test_a_torch_function_subclass_sees_only_the_learners_ops() -> None:
    untraced, _ = logged_ops(traced=False)
    traced, events = logged_ops(traced=True)
    assert traced == untraced
    # the subclass tensors are still traced, shapes and stats
    forward = [e for e in events if e["phase"] == "forward"]
    assert [e["module"] for e in forward] == ["0", "1", "Sequential"]
    assert all(e["shape"] == [2, 3] and e["mean"] is not None for e in forward)
    assert forward[1]["min"] == 0.0
    assert {e["module"] for e in events if e["phase"] == "backward"} >= {"0", "1"}


def test_a_subclass_gradient_is_traced_without_its_torch_function() -> None:
    tracer = HookTracer()
    with tracer:
        Logged.seen = []
        tracer._gradient((("0", "Linear"),), torch.ones(2, 3).as_subclass(Logged))
    assert Logged.seen == []
    (event,), _, _ = tracer.finish()
    assert event["shape"] == [2, 3] and event["mean"] == 1.0


def test_calls_on_fake_tensors_are_not_traced() -> None:
    """A compiler traces a model on fake tensors (torch before 2.5 calls global hooks then): those
    calls have no data and are not the learner's, so the trace shows only the real call."""
    from torch._subclasses.fake_tensor import FakeTensorMode

    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU())

    def step() -> None:
        with FakeTensorMode(allow_non_fake_inputs=True):
            model(torch.randn(2, 4))
        model(torch.randn(2, 4))

    events, found = trace(step)
    assert [(e["module"], e["shape"]) for e in events] == [
        ("0", [2, 3]),
        ("1", [2, 3]),
        ("Sequential", [2, 3]),
    ]
    assert found == []


class Hookless(torch.Tensor):
    """A learner's subclass that refuses gradient hooks."""

    def register_hook(self, hook):
        raise RuntimeError("no hooks on this tensor")


def test_a_subclass_refusing_hooks_is_traced_without_failing_the_run() -> None:
    linear = nn.Linear(4, 3)

    class Wrap(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return linear(x).as_subclass(Hookless)

    x = torch.randn(2, 4)
    events, _ = trace(lambda: Wrap()(x).sum().backward())
    assert [(e["phase"], e["type"]) for e in events] == [
        ("forward", "Linear"),
        ("forward", "Wrap"),
        ("backward", "Wrap"),  # torch's own register_hook, not the subclass's
        ("backward", "Linear"),
    ]
    assert linear.weight.grad is not None


# -- models called from several threads ---------------------------------------------------------


def test_threads_recording_at_once_keep_the_cap_and_their_own_stats() -> None:
    """Each thread calls its own module, whose output is all one number: an event's mean must be
    its module's number, and the cap must hold exactly, however the threads interleave."""

    class Constant(nn.Module):
        value = 0.0

        def forward(self) -> torch.Tensor:
            return torch.full((4096,), self.value)

    modules = [type(f"Constant{k}", (Constant,), {"value": float(k)})() for k in range(4)]
    cap = 600
    tracer = HookTracer(max_events=cap)
    start = threading.Barrier(len(modules))

    def calls(module: nn.Module) -> None:
        start.wait()
        for _ in range(250):
            module()

    with tracer:
        threads = [threading.Thread(target=calls, args=(m,)) for m in modules]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    events, _, truncated = tracer.finish()
    assert truncated and len(events) == cap
    for event in events:
        assert event["mean"] == float(event["type"].removeprefix("Constant")), event


def test_threads_calling_different_models_keep_their_own_module_names() -> None:
    """Two threads each run a model whose inner layer waits for the other thread's: their calls
    interleave. Each module is named from its own thread's root, and each root by its class."""

    class Meet(nn.Module):
        """Waits (twice) for the other thread's Meet: the models' calls overlap."""

        def __init__(self, barrier: threading.Barrier) -> None:
            super().__init__()
            self.barrier = barrier

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            self.barrier.wait()
            self.barrier.wait()
            return x + 1

    class Pair(nn.Module):
        def __init__(self, meet: str, barrier: threading.Barrier) -> None:
            super().__init__()
            self.first = nn.Identity()
            self.meet = meet
            self.add_module(meet, Meet(barrier))
            self.last = nn.Identity()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.last(self.get_submodule(self.meet)(self.first(x)))

    class Left(Pair):
        pass

    class Right(Pair):
        pass

    barrier = threading.Barrier(2, timeout=10)
    left, right = Left("left_meet", barrier), Right("right_meet", barrier)
    with HookTracer(stats=False) as tracer:
        threads = [threading.Thread(target=m, args=(torch.ones(2),)) for m in (left, right)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    events, _, _ = tracer.finish()
    named = sorted((e["module"], e["type"]) for e in events)
    assert named == sorted(
        [
            ("first", "Identity"),
            ("left_meet", "Meet"),
            ("last", "Identity"),
            ("Left", "Left"),
            ("first", "Identity"),
            ("right_meet", "Meet"),
            ("last", "Identity"),
            ("Right", "Right"),
        ]
    )


# -- modes the learner enters ---------------------------------------------------------------------


class CountingDispatch(TorchDispatchMode):
    """A learner's dispatch mode listing every aten op it sees."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.seen.append(str(func))
        return func(*args, **(kwargs or {}))


class CountingFunction(TorchFunctionMode):
    """A learner's function mode listing every torch function it sees."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.seen.append(getattr(func, "__name__", str(func)))
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("mode_type", [CountingDispatch, CountingFunction])
@pytest.mark.parametrize("stats", [True, False], ids=["stats", "shapes"])
def test_a_mode_the_learner_entered_sees_the_same_ops_traced_or_not(mode_type, stats) -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))
    x = torch.randn(5, 4)

    def step() -> list[str]:
        model.zero_grad(set_to_none=True)  # the same ops each time: no gradient to add to
        with mode_type() as mode:
            model(x).sum().backward()
        return mode.seen

    untraced = step()
    tracer = HookTracer(stats=stats)
    with tracer:
        traced = step()
    events, _, _ = tracer.finish()
    assert traced == untraced
    assert len(events) == 8 and all((e["mean"] is not None) == stats for e in events)


# A learner's wrapper subclass: no memory of its own, its numbers in .inner
WRAPPER = code(
    """
    from torch.utils._pytree import tree_map

    class Wrapper(torch.Tensor):
        @staticmethod
        def __new__(cls, inner):
            return torch.Tensor._make_wrapper_subclass(
                cls, inner.shape, dtype=inner.dtype, device=inner.device
            )

        def __init__(self, inner):
            self.inner = inner

        @classmethod
        def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
            unwrap = lambda t: t.inner if isinstance(t, Wrapper) else t
            wrap = lambda t: Wrapper(t) if isinstance(t, torch.Tensor) else t
            return tree_map(wrap, func(*tree_map(unwrap, args), **tree_map(unwrap, kwargs or {})))

    inner = torch.arange(6.0).reshape(2, 3)
    nn.Identity()(Wrapper(inner))
    """
)


def test_a_wrapper_subclass_is_traced_from_its_numbers_not_its_missing_memory(
    sb: Sandbox,
) -> None:
    # its memory address is 0: the one-pass kernel read it and the run crashed (SIGSEGV)
    r = sb.run(WRAPPER, trace=True)
    assert r.status == "ok", r.error
    (event,) = r.trace
    assert (event["shape"], event["mean"], event["max"]) == ([2, 3], 2.5, 5.0)


def test_a_tensor_whose_memory_was_freed_is_traced_without_reading_it(sb: Sandbox) -> None:
    # resize_(0) frees a tensor's memory and keeps its shape (FSDP does it): torch's own sum of
    # such a tensor segfaults, so the traced run crashed where the untraced one did not
    freed = code(
        """
        class Free(nn.Module):
            def forward(self, t):
                t.untyped_storage().resize_(0)
                return t

        Free()(torch.randn(1000))
        'survived'
        """
    )
    r = sb.run(freed, trace=True)
    assert (r.status, r.value) == ("ok", "'survived'"), r.error
    (event,) = r.trace
    assert event["shape"] == [1000] and event["mean"] is None


def test_a_negative_view_has_its_own_stats_not_its_bases() -> None:
    z = torch.complex(torch.randn(3000), torch.randn(3000) + 1)

    class Imag(nn.Module):
        def forward(self, z: torch.Tensor) -> torch.Tensor:
            return z.imag

    class NegImag(nn.Module):
        def forward(self, z: torch.Tensor) -> torch.Tensor:
            return z.conj().imag  # the same memory and version, read negated

    events, _ = trace(lambda: (Imag()(z), NegImag()(z)))
    want = float(z.imag.mean())
    assert events[0]["mean"] == pytest.approx(want, rel=1e-5)
    assert events[1]["mean"] == pytest.approx(-want, rel=1e-5)
    assert events[1]["max"] == pytest.approx(-float(z.imag.min()))


# -- modules returning their parameter ------------------------------------------------------------


class Embedding(nn.Module):
    """Returns its parameter itself, as a learned positional embedding does: a leaf output."""

    def __init__(self) -> None:
        super().__init__()
        self.table = nn.Parameter(torch.randn(6, generator=torch.Generator().manual_seed(3)))

    def forward(self) -> torch.Tensor:
        return self.table


def test_calls_that_no_backward_follows_add_no_events_to_a_later_backward() -> None:
    """An evaluation without ``no_grad`` (printing the embedding, a validation pass) gets the
    leaf's one-shot hook too, and no backward fires it. The training step's backward after it
    has one gradient to show for the module, not one more copy for each evaluation before it."""
    model = Embedding()

    def step() -> None:
        for _ in range(3):
            model()  # evaluated: no backward follows
        model().sum().backward()

    events, _ = trace(step)
    assert [e["phase"] for e in events] == ["forward"] * 4 + ["backward"]
    assert not model.table._backward_hooks
    assert torch.equal(model.table.grad, torch.ones(6))  # the learner's gradient, untouched


def test_every_backward_through_a_leaf_output_records_it() -> None:
    """A module's output that is a leaf takes part in every backward that uses it, as a graph
    output does in each backward through a retained graph: each gets its backward event."""
    model = Embedding()
    weights = torch.arange(6.0, requires_grad=True)

    def step() -> None:
        loss = (model() * weights).sum()
        loss.backward(retain_graph=True)
        loss.backward()

    events, _ = trace(step)
    backward = [(e["module"], e["mean"]) for e in events if e["phase"] == "backward"]
    assert backward == [("Embedding", 2.5), ("Embedding", 2.5)]
    assert not model.table._backward_hooks
