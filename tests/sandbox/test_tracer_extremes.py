"""The hook tracer on what QA found: stats of extreme integers and large complex
numbers, tensors too large to reduce, traced outputs that ``torch.utils.swap_tensors`` refused,
and outputs a learner's forward hook replaced. Real torch runs, in process through
:class:`HookTracer` and, for the memory limit, end to end through the sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import torch
from torch import nn

from sandbox import Sandbox
from sandbox.tracer import HookTracer
from tutor.sandbox_messages import worded_warning
from tutor.theme_styles import DARK
from tutor.trace_table import TraceTable

Events = list[dict[str, Any]]


def trace(step: Callable[[], object], *, host: bool = True) -> tuple[Events, Events]:
    """``(events, warnings)`` of running ``step`` under a fresh tracer. ``host=False`` sends CPU
    tensors the way other devices' go: reduced on the device in finish, then moved at once."""
    tracer = HookTracer()
    if not host:
        tracer.host_device_types = frozenset()
    with tracer:
        step()
    events, found, _ = tracer.finish()
    return events, found


class Same(nn.Module):
    """Returns its input: the event describes exactly the tensor the test made."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x


def stats_of(t: torch.Tensor, *, host: bool) -> dict[str, Any]:
    events, _ = trace(lambda: Same()(t), host=host)
    return events[0]


# -- 1. stats in a type that holds the numbers --------------------------------------------------

PATHS = pytest.mark.parametrize("host", [True, False], ids=["host", "device-path"])


@PATHS
def test_int64_stats_are_exact_where_float_would_round_or_cancel(host: bool) -> None:
    values = [2**62, -(2**62), 3, 2**62 + 1]
    event = stats_of(torch.tensor(values), host=host)
    n = len(values)
    mean = sum(values) / n  # Python ints: exact
    squares = sum((v - mean) ** 2 for v in values)
    assert event["mean"] == mean
    assert event["min"] == min(values) and event["max"] == max(values)  # exact, as ints
    assert event["std"] == pytest.approx((squares / (n - 1)) ** 0.5, rel=1e-12)
    assert event["norm"] == pytest.approx(sum(v * v for v in values) ** 0.5, rel=1e-12)
    # numbers one apart far from zero, which float64 cannot tell apart
    event = stats_of(torch.tensor([10**18, 10**18 + 1]), host=host)
    assert (event["min"], event["max"]) == (10**18, 10**18 + 1)
    assert event["std"] == pytest.approx(0.5**0.5, rel=1e-12)


@PATHS
@pytest.mark.parametrize("dtype", [torch.uint8, torch.int8, torch.int16, torch.int32])
def test_narrow_integer_stats_match_float64(host: bool, dtype: torch.dtype) -> None:
    info = torch.iinfo(dtype)
    t = torch.tensor([info.min, info.max, 0, 1, info.max - 1], dtype=dtype)
    event = stats_of(t, host=host)
    x = t.double()
    assert event["mean"] == pytest.approx(float(x.mean()), rel=1e-15)
    assert event["std"] == pytest.approx(float(x.std()), rel=1e-12)
    assert event["norm"] == pytest.approx(float(x.norm()), rel=1e-12)
    assert (event["min"], event["max"]) == (info.min, info.max)
    assert event["zero_frac"] == pytest.approx(float((x == 0).double().mean()))


@PATHS
def test_large_finite_complex64_numbers_are_not_reported_as_inf(host: bool) -> None:
    z = torch.tensor([3e38 + 3e38j, 0j, -1 + 0j], dtype=torch.complex64)
    assert not torch.isinf(z).any()
    events, found = trace(lambda: Same()(z), host=host)
    event = events[0]
    magnitudes = z.to(torch.complex128).abs()
    assert event["has_inf"] is False and not found
    assert event["max"] == pytest.approx(float(magnitudes.max()), rel=1e-12)
    assert event["mean"] == pytest.approx(float(magnitudes.mean()), rel=1e-12)
    assert event["norm"] == pytest.approx(
        float(torch.linalg.vector_norm(z.to(torch.complex128))), rel=1e-12
    )
    assert event["zero_frac"] == pytest.approx(1 / 3)
    # an Inf in either part still is one
    inf = torch.tensor([1 + 0j, complex(1, float("inf"))], dtype=torch.complex64)
    events, found = trace(lambda: Same()(inf), host=host)
    assert events[0]["has_inf"] is True
    assert [w["kind"] for w in found] == ["inf"]


# -- 2. a tensor too large to reduce ------------------------------------------------------------


@pytest.fixture(scope="module")
def small_box() -> Iterator[Sandbox]:
    """A sandbox with little memory to spare, so that a copy of a few hundred MB finds none."""
    with Sandbox(timeout_s=60, memory_mb=900) as box:
        yield box


def test_a_tensor_without_memory_for_its_stats_is_named_in_a_warning(small_box: Sandbox) -> None:
    # 250M float16 numbers take 500 MB; their float32 copy would take 1 GB more
    run = small_box.run(
        "class M(nn.Module):\n    def forward(self, x):\n        return x\n"
        "M()(torch.ones(250_000_000, dtype=torch.float16))\n",
        trace=True,
    )
    assert run.status == "ok", run.error
    (event,) = run.trace
    assert event["mean"] is None
    (warning,) = [w for w in run.trace_warnings if w["kind"] == "no_stats"]
    assert (warning["module"], warning["phase"]) == ("M", "forward")
    assert warning["params"] == {
        "type": "M",
        "layer": False,
        "shown_name": "M",
        "numel": 250_000_000,
    }
    assert "250,000,000" in warning["message"]
    assert worded_warning(warning, "en") == warning["message"]  # the catalog words it alike
    assert "250,000,000" in worded_warning(warning, "zh")
    # the trace table marks the event's row, as it marks those of other warnings
    assert TraceTable(run.trace, run.trace_warnings, "en", styles=DARK).modules[0].flag == " ⚠"


def test_a_transposed_tensor_is_reduced_without_a_copy(small_box: Sandbox) -> None:
    # 600 MB of float32 numbers: a contiguous copy (reshape(-1)) would find no memory
    run = small_box.run(
        "class M(nn.Module):\n    def forward(self, x):\n        return x\n"
        "x = torch.arange(150_000_000, dtype=torch.float32).view(10_000, 15_000)\n"
        "M()(x.t())\nM()(x.view(100, 100, 15_000).permute(2, 0, 1))\n(x.mean().item(), x.max().item())",
        trace=True,
    )
    assert run.status == "ok", run.error
    assert not run.trace_warnings
    mean, top = eval(run.value)
    for event in run.trace:
        assert event["mean"] == pytest.approx(mean, rel=1e-6)
        assert event["max"] == top and event["min"] == 0.0


# -- 3. traced tensors can be swapped -----------------------------------------------------------


class Embedding(nn.Module):
    """Returns its own parameter, as a learned positional embedding does."""

    def __init__(self) -> None:
        super().__init__()
        self.pe = nn.Parameter(torch.randn(4, 2))

    def forward(self) -> torch.Tensor:
        return self.pe


@pytest.fixture
def swap_on_conversion() -> Iterator[None]:
    torch.__future__.set_swap_module_params_on_conversion(True)
    try:
        yield
    finally:
        torch.__future__.set_swap_module_params_on_conversion(False)


@pytest.mark.usefixtures("swap_on_conversion")
def test_traced_outputs_and_parameters_can_be_swapped() -> None:
    kept: list[torch.Tensor] = []

    def step() -> None:
        out = nn.Sequential(nn.Linear(2, 2), nn.Flatten())(torch.ones(3, 2))
        torch.utils.swap_tensors(out, torch.zeros(5))
        assert out.shape == (5,)
        model = Embedding()
        model()
        model.to(torch.float64)  # swaps the parameter the trace saw returned
        assert model.pe.dtype == torch.float64
        y = nn.Linear(2, 2)(torch.ones(3, 2))
        y.register_hook(kept.append)  # the learner keeps the gradient the trace saw
        (y * 2).sum().backward()
        torch.utils.swap_tensors(kept[0], torch.zeros(1))
        model().sum().backward()
        model.to(torch.float32)  # the parameter and its gradient
        assert model.pe.grad.dtype == torch.float32

    events, _ = trace(step)
    assert [e["module"] for e in events if e["phase"] == "forward"] == [
        "0",
        "1",
        "Sequential",
        "Embedding",
        "Linear",
        "Embedding",
    ]


def test_stats_are_still_reused_within_a_call() -> None:
    """Forgetting the values keys when a call ends keeps them for the call: a Flatten's view and
    a container returning its last layer's tensor still reuse the stats, in the backward too."""
    tracer = HookTracer()
    with tracer:
        model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Flatten())
        model(torch.ones(4, 2)).sum().backward()
        assert not tracer._reduced  # nothing left on the learner's tensors
    assert set(tracer._same) == {2, 3, 5, 6}  # Flatten, Sequential; and their gradients
    events, _, _ = tracer.finish()
    assert events[3]["mean"] == events[1]["mean"] and events[6]["norm"] == events[4]["norm"]


# -- 4. the output after the learner's forward hooks ----------------------------------------------


def test_the_trace_records_the_output_a_learners_forward_hook_returned() -> None:
    before = nn.Linear(2, 2)
    before.register_forward_hook(lambda module, args, out: out * 0)  # before the trace starts
    after = nn.Linear(2, 2)
    outputs: list[torch.Tensor] = []

    def step() -> None:
        outputs.append(before(torch.ones(1, 2)).detach())
        after.register_forward_hook(lambda module, args, out: out + 100, prepend=True)
        outputs.append(after(torch.ones(1, 2)).detach())
        outputs.append(nn.Sequential(before, after)(torch.ones(1, 2)).detach())

    events, _ = trace(step)
    forward = [e for e in events if e["phase"] == "forward"]
    assert [e["module"] for e in forward] == ["Linear", "Linear", "0", "1", "Sequential"]
    assert (forward[0]["min"], forward[0]["max"]) == (0.0, 0.0)
    for event, output in zip([forward[1], forward[4]], outputs[1:], strict=True):
        assert event["min"] == float(output.min()) >= 90.0
        assert event["max"] == float(output.max())
    # the tracer's hooks came off: the modules hold the learner's alone
    assert len(before._forward_hooks) == len(after._forward_hooks) == 1


def test_a_recursive_or_failing_call_with_a_learners_hook_is_traced_and_cleaned_up() -> None:
    class Countdown(nn.Module):
        def forward(self, n: int) -> torch.Tensor:
            if n == 2:
                raise ValueError("two")
            return torch.zeros(1) if n == 0 else self(n - 1) + n

    model = Countdown()
    model.register_forward_hook(lambda module, args, out: out * 10)

    def step() -> None:
        model(1)  # 0 -> [0.0] * 10, then ([0.0] + 1) * 10
        with pytest.raises(ValueError, match="two"):
            model(3)

    events, found = trace(step)
    # the inner call's output, then the outer's, each as the learner's hook left it
    assert [(e["module"], e["max"]) for e in events] == [("Countdown", 0.0), ("Countdown", 10.0)]
    assert [w["kind"] for w in found] == ["forward_error"]
    assert len(model._forward_hooks) == 1


def test_a_forward_error_whose_str_raises_still_names_the_failing_layer(sb):
    """A learner's exception whose ``__str__`` raises, thrown in a traced forward: building the
    warning's message raised inside torch's hook, which dropped the forward_error warning the
    learner needs (review)."""
    code = (
        "class Odd(Exception):\n"
        "    def __str__(self):\n"
        "        raise RuntimeError('no words')\n"
        "class Bad(nn.Module):\n"
        "    def forward(self, x):\n"
        "        raise Odd()\n"
        "nn.Sequential(nn.Linear(2, 2), Bad())(torch.ones(1, 2))\n"
    )
    r = sb.run(code, trace=True)
    assert r.status == "error"
    failed = [w for w in r.trace_warnings if w["kind"] == "forward_error"]
    assert failed and failed[0]["module"] == "1", r.trace_warnings
