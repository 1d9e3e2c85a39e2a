"""The deferred path for tensors off the CPU: :func:`stat_rows` reduces a run's kept copies in a
fixed number of ops and agrees with :func:`stat_vector` row by row; through :class:`HookTracer`
(made to defer CPU tensors, the only ones here) the events are those of the CPU path, with the
numbers as they were when the hook saw them, also past the memory budget.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sandbox_helpers import requires_cuda
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode

import sandbox.tracer as tracer_module
from sandbox.tracer import (
    HookTracer,
    derive_stats,
    event_stats,
    host_stats,
    stat_rows,
    stat_vector,
)

# sums of up to 300 numbers added in another order: a few hundred ulps at most
RELATIVE = {torch.float32: 1e-5, torch.float64: 1e-12}


@st.composite
def awkward_tensors(draw: st.DrawFn, dtype: torch.dtype) -> torch.Tensor:
    """A flat tensor of 0..300 numbers around some mean, of a spread from tiny (1e-30) to huge
    (1e30), perhaps ReLU-like (many zeros), with NaN, +-Inf, zeros of both signs or huge and
    tiny numbers put anywhere, and perhaps a huge outlier at index 0 (where the shift's first
    sample is)."""
    n = draw(st.sampled_from([0, 1, 2, 127, 128, 129, 300]) | st.integers(0, 300))
    spread = draw(st.sampled_from([1e-30, 1e-3, 1.0, 1e30]))
    mean = spread * draw(st.sampled_from([0.0, 0.5, -3.0, 1000.0]))
    generator = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))
    x = mean + spread * torch.randn(n, generator=generator, dtype=torch.float64)
    if draw(st.booleans()):
        x.clamp_(min=0)
    x = x.to(dtype)
    if n:
        special = st.sampled_from([math.nan, math.inf, -math.inf, 0.0, -0.0, 1e30, -1e-30])
        for index, value in draw(st.lists(st.tuples(st.integers(0, n - 1), special), max_size=5)):
            x[index] = value
        if draw(st.booleans()):
            x[0] = draw(st.sampled_from([1e30, -3e29, 1e7]))
    return x


def exactly(got: float, want: float) -> bool:
    """Equal, or both NaN."""
    return got == want or (math.isnan(got) and math.isnan(want))


def assert_row_agrees(t: torch.Tensor, row: torch.Tensor) -> None:
    """:func:`derive_stats` of ``row`` is that of :func:`stat_vector` of ``t``: flags, min, max,
    zero_frac and the shift exactly, mean/std/norm to rounding (NaN and Inf alike)."""
    n = t.numel()
    want_raw = stat_vector(t).double().tolist()
    got_raw = row.double().tolist()
    assert exactly(got_raw[0], want_raw[0]), ("shift", got_raw[0], want_raw[0])
    got, want = derive_stats(got_raw, n), derive_stats(want_raw, n)
    mean, std, mn, mx, norm, zero_frac, has_nan, has_inf = range(8)
    for field in (mn, mx, zero_frac, has_nan, has_inf):
        assert exactly(got[field], want[field]), (field, got, want)
    relative = RELATIVE[t.dtype]
    # the mean of numbers of both signs may be near 0: its rounding is of the largest of them
    top = max(abs(want[mn]), abs(want[mx])) if math.isfinite(want[mn] + want[mx]) else 0.0
    for field, absolute in ((mean, relative * top), (std, 0.0), (norm, 0.0)):
        if math.isfinite(want[field]):
            assert got[field] == pytest.approx(want[field], rel=relative, abs=absolute), (
                field,
                got,
                want,
            )
        else:
            assert exactly(got[field], want[field]), (field, got, want)


@pytest.mark.parametrize("device", ["cpu", pytest.param("cuda", marks=requires_cuda)])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@settings(deadline=None, max_examples=200)
@given(data=st.data())
def test_each_row_is_the_stat_vector_of_its_tensor(
    device: str, dtype: torch.dtype, data: st.DataObject
):
    tensors = [
        t.to(device) for t in data.draw(st.lists(awkward_tensors(dtype), min_size=1, max_size=6))
    ]
    rows = stat_rows(tensors)
    assert rows.shape == (len(tensors), 8) and rows.dtype == dtype
    for t, row in zip(tensors, rows, strict=True):
        assert_row_agrees(t, row)


class _OpCount(TorchDispatchMode):
    """Counts the aten ops run under it."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.count += 1
        return func(*args, **(kwargs or {}))


def test_the_ops_are_as_many_for_six_tensors_as_for_two() -> None:
    g = torch.Generator().manual_seed(3)
    counts = []
    for sizes in ([5, 300], [5, 300, 0, 1, 70, 4000]):
        tensors = [torch.randn(n, generator=g) for n in sizes]
        ops = _OpCount()
        with ops:
            stat_rows(tensors)
        counts.append(ops.count)
    assert counts[0] == counts[1]


def test_no_number_is_read_back_from_the_device() -> None:
    # a meta tensor has no numbers: reading one (.item(), a data-dependent size) raises
    tensors = [torch.empty(n, device="meta") for n in (3, 0, 200, 129)]
    rows = stat_rows(tensors)
    assert rows.shape == (4, 8) and rows.device.type == "meta"


def conv_bn_relu() -> nn.Module:
    """A small conv-bn-relu-linear model; the in-place ReLU overwrites BatchNorm's output."""
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 4, 3),
        nn.BatchNorm2d(4),
        nn.ReLU(inplace=True),
        nn.Flatten(),
        nn.Linear(4 * 6 * 6, 5),
    )


def deferring(tracer: HookTracer) -> HookTracer:
    """``tracer`` made to defer CPU tensors, as it does CUDA ones."""
    tracer.host_device_types = frozenset()
    return tracer


def trace_step(tracer: HookTracer, model: nn.Module, x: torch.Tensor) -> list[dict[str, Any]]:
    """The events of one forward and backward of ``model`` on ``x``."""
    with tracer:
        model(x).square().sum().backward()
    events, _, _ = tracer.finish()
    return events


def assert_same_events(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    """The same events, their numbers to float32 rounding (different sums, same numbers)."""
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        for key, value in w.items():
            if isinstance(value, float):
                assert g[key] == pytest.approx(value, rel=1e-4, abs=1e-6), (key, g, w)
            else:
                assert g[key] == value, (key, g, w)


def test_deferred_events_are_those_of_the_cpu_path_before_the_inplace_relu() -> None:
    model = conv_bn_relu()
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    captured: list[torch.Tensor] = []
    model[1].register_forward_hook(lambda m, args, out: captured.append(out.detach().clone()))

    want = trace_step(HookTracer(), model, x)
    tracer = deferring(HookTracer())
    with tracer:
        model(x).square().sum().backward()
    assert tracer._deferred and not tracer._pending  # every tensor took the deferred path
    got, _, _ = tracer.finish()

    assert_same_events(got, want)
    bn = next(e for e in got if e["phase"] == "forward" and e["type"] == "BatchNorm2d")
    before_relu = event_stats(host_stats(captured[-1]))
    assert before_relu["min"] < 0  # the ReLU changed these numbers after BatchNorm's hook
    assert_same_events([bn], [{**bn, **before_relu}])


@pytest.mark.parametrize("budget", [0, 4 * 4 * 6 * 6 * 2], ids=["none", "one tensor"])
def test_past_the_budget_events_still_get_their_stats(budget: int) -> None:
    model = conv_bn_relu()
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(2))
    want = trace_step(HookTracer(), model, x)
    tracer = deferring(HookTracer())
    tracer.deferred_bytes = budget  # 4 * 6 * 6 float32 numbers per image, batch of 2
    with tracer:
        model(x).square().sum().backward()
    assert tracer._pending  # some tensors took stat_vector's path
    assert bool(tracer._deferred) == (budget > 0)
    assert sum(copy.numel() * copy.element_size() for _, _, copy in tracer._deferred) <= budget
    got, _, _ = tracer.finish()
    assert_same_events(got, want)


def test_a_tensor_past_the_size_limit_is_reduced_in_its_hook() -> None:
    """Only small tensors are kept for finish: a segmented sum of millions of numbers loses
    digits that stat_vector keeps, and a large tensor's own work dwarfs the launches anyway."""
    model = conv_bn_relu()
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(3))
    want = trace_step(HookTracer(), model, x)
    tracer = deferring(HookTracer())
    tracer.deferred_numel = 4 * 6 * 6  # one image's activations: the batch of two is past it
    with tracer:
        model(x).square().sum().backward()
    assert tracer._pending and tracer._deferred
    assert all(copy.numel() <= tracer.deferred_numel for _, _, copy in tracer._deferred)
    got, _, _ = tracer.finish()
    assert_same_events(got, want)


def test_finish_without_room_for_the_batched_sums_still_gives_every_stat(monkeypatch) -> None:
    def out_of_memory(tensors):
        raise torch.OutOfMemoryError("no room for stat_rows' buffers")

    model = conv_bn_relu()
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(4))
    want = trace_step(HookTracer(), model, x)
    monkeypatch.setattr(tracer_module, "stat_rows", out_of_memory)
    tracer = deferring(HookTracer())
    with tracer:
        model(x).square().sum().backward()
    assert tracer._deferred
    got, _, _ = tracer.finish()
    assert_same_events(got, want)
