"""The shapes-only trace (``HookTracer(stats=False)``) records what the stats trace does, less the
numbers: the same events (phase, module, type, shape, dtype, device) in the same order, and the same
warnings that numbers do not raise. The shapes mode takes shortcuts of its own for speed (issue 3);
these tests pin it to the stats mode on the cases those shortcuts touch: outputs several modules
return, leaf outputs, in-place layers, the learner's own tensor and forward hooks, tuple outputs,
retained graphs, checkpointing, failures."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint

from sandbox.tracer import STAT_FIELDS, HookTracer

EVENT_FIELDS = ("phase", "module", "type", "shape", "dtype", "device")
# the warnings that no event's numbers raise: the shapes mode gives these too
STRUCTURE_WARNINGS = frozenset({"forward_error", "no_modules", "truncated"})


def transformer_step() -> None:
    """A training step of a small transformer encoder with a linear head."""
    layer = nn.TransformerEncoderLayer(16, 2, dim_feedforward=32, batch_first=True)
    encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    head = nn.Linear(16, 3)
    tokens = torch.randn(4, 5, 16)
    loss = nn.functional.cross_entropy(head(encoder(tokens).mean(1)), torch.tensor([0, 1, 2, 0]))
    loss.backward()


class Net(nn.Module):
    """Returns its container's output, which is its in-place ReLU's: three modules, one tensor."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


def shared_outputs_step() -> None:
    Net()(torch.randn(2, 3)).sum().backward()


class Weight(nn.Linear):
    """Returns its weight: a leaf output, whose hooks outlive the backward."""

    def forward(self) -> torch.Tensor:  # type: ignore[override]
        return self.weight


def leaf_output_steps() -> None:
    model = Weight(2, 3)
    model().sum().backward()
    model()  # an evaluation: its hook replaces the first one
    (model() * 2).sum().backward()


def learner_tensor_hooks_step() -> None:
    """The learner's hooks on traced outputs: one added and removed, one changing the gradient
    (after the tracer's, which sees the gradient before it), and a container returning that
    output after the learner's hook (its own tracer hook, after the learner's)."""
    linear = nn.Linear(3, 3)
    y = linear(torch.randn(2, 3))
    handle = y.register_hook(lambda grad: grad * 3)
    handle.remove()
    y.register_hook(lambda grad: grad * 2)
    z = nn.Sequential(nn.Linear(3, 3))(y)
    z.register_hook(lambda grad: grad + 1)
    nn.Identity()(z).sum().backward()


def learner_forward_hook_step() -> None:
    """A forward hook of the learner's replaces a module's output."""
    linear = nn.Linear(2, 3)
    linear.register_forward_hook(lambda module, args, output: output.unsqueeze(0))
    nn.Sequential(linear, nn.Tanh())(torch.randn(4, 2)).sum().backward()


def tuple_outputs_step() -> None:
    """LSTM and MultiheadAttention return tuples: their first tensor is recorded."""
    lstm = nn.LSTM(3, 4, batch_first=True)
    attention = nn.MultiheadAttention(4, 2, batch_first=True)
    h, _ = lstm(torch.randn(2, 5, 3))
    out, _ = attention(h, h, h)
    out.sum().backward()


def retained_graph_steps() -> None:
    """Two backwards through one graph: each output's hook fires in both."""
    y = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid())(torch.randn(3, 2)).sum()
    y.backward(retain_graph=True)
    y.backward()


def checkpointed_step() -> None:
    """A checkpointed block is called again in the backward, with no module running."""
    block = nn.Sequential(nn.Linear(2, 4), nn.GELU())
    head = nn.Linear(4, 1)
    head(
        checkpoint(block, torch.randn(3, 2, requires_grad=True), use_reentrant=False)
    ).sum().backward()


def no_grad_and_failure_steps() -> None:
    """Calls without autograd, then a call that fails on a wrong shape."""
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1))
    with torch.no_grad():
        model[0](torch.randn(2, 2))
    with pytest.raises(RuntimeError):
        model(torch.randn(2, 2))


def functions_only_step() -> None:
    """No module called: the trace is empty and says why."""
    torch.relu(torch.randn(3)).sum()


STEPS: dict[str, Callable[[], None]] = {
    "transformer": transformer_step,
    "shared outputs": shared_outputs_step,
    "leaf output": leaf_output_steps,
    "learner tensor hooks": learner_tensor_hooks_step,
    "learner forward hook": learner_forward_hook_step,
    "tuple outputs": tuple_outputs_step,
    "retained graph": retained_graph_steps,
    "checkpoint": checkpointed_step,
    "no grad, failure": no_grad_and_failure_steps,
    "functions only": functions_only_step,
}


def traced(
    step: Callable[[], None], *, stats: bool, max_events: int = 2000
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    torch.manual_seed(0)
    tracer = HookTracer(stats=stats, max_events=max_events)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's about nested tensors and the like
        with tracer:
            step()
    return tracer.finish()


@pytest.mark.parametrize("name", list(STEPS))
def test_the_shapes_trace_is_the_stats_trace_without_numbers(name: str) -> None:
    stats_events, stats_warnings, stats_truncated = traced(STEPS[name], stats=True)
    events, found, truncated = traced(STEPS[name], stats=False)
    assert stats_events or stats_warnings  # every case records something, or says why not
    assert [[e[f] for f in EVENT_FIELDS] for e in events] == [
        [e[f] for f in EVENT_FIELDS] for e in stats_events
    ]
    assert all(e[f] is None for e in events for f in STAT_FIELDS)
    assert [set(e) for e in events] == [set(e) for e in stats_events]
    assert found == [w for w in stats_warnings if w["kind"] in STRUCTURE_WARNINGS]
    assert truncated == stats_truncated


def test_the_shapes_trace_stops_at_its_cap_as_the_stats_trace_does() -> None:
    stats_events, stats_warnings, _ = traced(transformer_step, stats=True, max_events=7)
    events, found, truncated = traced(transformer_step, stats=False, max_events=7)
    assert truncated and len(events) == 7
    assert [[e[f] for f in EVENT_FIELDS] for e in events] == [
        [e[f] for f in EVENT_FIELDS] for e in stats_events
    ]
    assert found == [w for w in stats_warnings if w["kind"] in STRUCTURE_WARNINGS]


@pytest.mark.parametrize("stats", [True, False], ids=["stats", "shapes"])
@pytest.mark.parametrize(
    ("step", "expected"),
    [
        pytest.param(
            shared_outputs_step,
            [
                ("forward", "body.0"),
                ("forward", "body.1"),
                ("forward", "body"),
                ("forward", "Net"),
                ("backward", "Net"),
                ("backward", "body"),
                ("backward", "body.1"),
                ("backward", "body.0"),  # its hook stayed with the value before the in-place ReLU
            ],
            id="one tensor returned by three modules",
        ),
        pytest.param(
            learner_tensor_hooks_step,
            [
                ("forward", "Linear"),
                ("forward", "0"),
                ("forward", "Sequential"),
                ("forward", "Identity"),
                ("backward", "Sequential"),  # z's first hook: its modules, outermost first
                ("backward", "0"),
                ("backward", "Identity"),  # after the learner's hook on z
                ("backward", "Linear"),  # its hook outlived the learner's removed one
            ],
            id="beside the learner's tensor hooks",
        ),
    ],
)
def test_each_module_gets_its_gradient_event_in_the_order_autograd_reaches_it(
    step: Callable[[], None], expected: list[tuple[str, str]], stats: bool
) -> None:
    """The tracer's hooks share a tensor's hooks with the learner's: a learner's hook removed by
    its handle leaves the tracer's in place, and a module returning a tensor after a learner's
    hook was added gets a hook of its own, after the learner's."""
    events, _, _ = traced(step, stats=stats)
    assert [(e["phase"], e["module"]) for e in events] == expected
