"""The hook tracer on the bugs QA round 35 found: failures on nested-tensor and keyword inputs,
root models kept alive, names gone stale after model surgery or in a checkpoint's recompute, and
"exploding gradients" read off a large tensor's norm. Each runs real torch in process through
:class:`HookTracer`."""

from __future__ import annotations

import gc
import json
import warnings
import weakref
from collections.abc import Callable
from typing import Any

import pytest
import torch
from sandbox_helpers import names, trace
from torch import nn
from torch.utils.checkpoint import checkpoint

from sandbox.tracer import HookTracer


class Fails(nn.Module):
    """A module whose forward raises whatever its input: the failure the trace must report."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise ValueError("boom")


def failing_call(module: nn.Module, *args: Any, **kwargs: Any) -> Callable[[], None]:
    """A step calling ``module`` and catching its error, as a learner's run ends with it."""

    def step() -> None:
        with pytest.raises((ValueError, RuntimeError, AssertionError)):
            module(*args, **kwargs)

    return step


# -- 1: a failure on a nested-tensor input ---------------------------------------------------------


@pytest.mark.parametrize("layout", [torch.jagged, torch.strided])
def test_a_failure_on_a_nested_input_is_reported_with_its_components_shapes(
    layout: torch.layout,
) -> None:
    nt = torch.nested.nested_tensor([torch.randn(2, 3), torch.randn(4, 3)], layout=layout)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a tracer hook that raises is turned into a warning
        _, found = trace(failing_call(Fails(), nt))
    (failure,) = [w for w in found if w["kind"] == "forward_error"]
    assert failure["params"]["input_shapes"] == [[[2, 3], [4, 3]]]
    assert "ValueError: boom" in failure["message"]
    json.dumps(found)  # the run's result goes back as JSON: a SymInt in it crashed the run


# -- 6: a failure on keyword inputs ---------------------------------------------------------------


def test_a_failure_on_keyword_inputs_names_their_shapes() -> None:
    mha = nn.MultiheadAttention(8, 2, batch_first=True)
    q, k = torch.randn(2, 3, 8), torch.randn(2, 5, 6)
    _, found = trace(failing_call(mha, query=q, key=k, value=k))
    (failure,) = [w for w in found if w["kind"] == "forward_error"]
    assert failure["params"]["input_shapes"] == [[2, 3, 8], [2, 5, 6], [2, 5, 6]]
    assert "no tensor inputs" not in failure["message"]


def test_a_failure_mixing_positional_and_keyword_inputs_lists_both() -> None:
    mha = nn.MultiheadAttention(8, 2, batch_first=True)
    q, k = torch.randn(2, 3, 8), torch.randn(2, 5, 6)
    _, found = trace(failing_call(mha, q, k, value=k))
    (failure,) = [w for w in found if w["kind"] == "forward_error"]
    assert failure["params"]["input_shapes"] == [[2, 3, 8], [2, 5, 6], [2, 5, 6]]


# -- 2: root models are not kept alive ------------------------------------------------------------


def test_a_root_model_the_learner_dropped_is_freed_while_tracing() -> None:
    tracer = HookTracer()
    with tracer:
        model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
        model(torch.randn(1, 2))
        dropped = weakref.ref(model)
        del model
        gc.collect()
        freed = dropped() is None
        nn.Linear(2, 2)(torch.randn(1, 2))  # the tracer goes on after it
    events, _, _ = tracer.finish()
    assert freed
    assert names(events, "forward") == ["0", "1", "Sequential", "Linear"]


# -- 3: names after model surgery ------------------------------------------------------------------


def test_names_follow_layers_replaced_added_and_swapped_between_calls() -> None:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    x = torch.randn(2, 3)

    def step() -> None:
        model(x)
        model[2] = nn.Linear(4, 5)
        model.append(nn.Softmax(-1))
        model.add_module("extra", nn.Tanh())
        model(x)

    events, _ = trace(step)
    forward = names(events, "forward")
    assert forward[:4] == ["0", "1", "2", "Sequential"]
    assert forward[4:] == ["0", "1", "2", "3", "extra", "Sequential"]


def test_names_follow_swapped_layers() -> None:
    model = nn.Sequential(nn.Linear(3, 3), nn.Tanh(), nn.Linear(3, 3))
    first, last = model[0], model[2]

    def step() -> None:
        model[0], model[2] = last, first
        model(torch.randn(2, 3))

    model(torch.randn(2, 3))  # untraced: the tracer starts on the swapped model
    tracer = HookTracer()
    with tracer:
        model(torch.randn(2, 3))
        step()
    events, _, _ = tracer.finish()
    assert names(events, "forward") == ["0", "1", "2", "Sequential"] * 2
    # the second call's "0" is the layer that was "2": its output has the shape it gives
    assert [e["type"] for e in events if e["phase"] == "forward"][4] == "Linear"


# -- 4: activation checkpointing of a child module ---------------------------------------------------


class CheckpointedBlock(nn.Module):
    def __init__(self, reentrant: bool) -> None:
        super().__init__()
        self.reentrant = reentrant
        self.stem = nn.Linear(4, 4)
        self.block = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4))
        self.head = nn.Linear(4, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        x = checkpoint(self.block, x, use_reentrant=self.reentrant)
        return self.head(x)


@pytest.mark.parametrize("reentrant", [False, True])
def test_a_checkpointed_child_keeps_its_qualified_names_in_the_recompute(reentrant: bool) -> None:
    torch.manual_seed(0)
    x = torch.randn(2, 4, requires_grad=True)
    # the model is a temporary, as in `Net()(x).sum().backward()`: freed before the recompute
    events, found = trace(lambda: CheckpointedBlock(reentrant)(x).sum().backward())
    assert not [w for w in found if w["kind"] == "forward_error"]
    known = {"stem", "block", "block.0", "block.1", "block.2", "head", "CheckpointedBlock"}
    assert set(names(events, "forward")) <= known
    assert set(names(events, "backward")) <= known
    assert "block.0" in names(events, "backward")


def test_a_models_part_called_on_its_own_is_a_root_named_by_its_class() -> None:
    """Only a backward's recompute keeps a part's qualified name: ``model[0](x)`` in the
    learner's code is a root call of its own, named ``Linear`` as the contract says."""
    model = nn.Sequential(nn.Linear(3, 3), nn.ReLU())
    x = torch.randn(2, 3)
    events, _ = trace(lambda: (model(x), model[0](x)))
    assert names(events, "forward") == ["0", "1", "Sequential", "Linear"]


# -- 5: exploding and vanishing gradients judged per number ---------------------------------------


def test_a_large_tensors_gradient_of_ones_is_not_exploding() -> None:
    torch.manual_seed(0)
    conv = nn.Conv2d(3, 64, 3, padding=1)
    x = torch.randn(4, 3, 64, 64)
    events, found = trace(lambda: conv(x).sum().backward())
    (grad,) = [e for e in events if e["phase"] == "backward"]
    assert grad["norm"] == pytest.approx(1024.0)  # over the old absolute threshold of 1e3
    assert not [w for w in found if w["kind"] in ("exploding_grad", "vanishing_grad")]


def test_a_small_gradient_spread_over_many_numbers_is_not_vanishing() -> None:
    # a mean over 1M numbers: each gradient 1e-6, the norm 1e-3; over few numbers, each 1e-12
    big, small = nn.Linear(1000, 1000), nn.Linear(2, 2)

    def step() -> None:
        big(torch.randn(1000, 1000)).mean().backward()
        (small(torch.randn(1, 2)) * 1e-12).sum().backward()

    _, found = trace(step)
    assert [(w["kind"], w["module"]) for w in found] == [("vanishing_grad", "Linear")]
    assert found[0]["params"]["norm"] < 1e-11
