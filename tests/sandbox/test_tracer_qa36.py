"""The hook tracer on the bugs QA round 36 found: backward events out of order where modules share
one output tensor (a model returning its last layer's output), and a failure in a learner's
forward hook blamed on the module's caller. Each runs real torch in process through
:class:`HookTracer`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import torch
from sandbox_helpers import Events, names, trace
from torch import nn

# -- 1: modules sharing one output tensor ----------------------------------------------------------


class Wrapper(nn.Module):
    """A model returning its Linear's output as it is: both modules' output is one tensor."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(x)


class Nested(nn.Module):
    """Three levels returning one tensor: this model, its ``Wrapper``, the Sequential in it (and
    that Sequential's last layer)."""

    def __init__(self) -> None:
        super().__init__()
        self.inner = Wrapper()
        self.inner.fc = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.inner(x)


def shared_output_models() -> dict[str, nn.Module]:
    torch.manual_seed(0)
    return {
        "sequential": nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3)),
        "wrapper": Wrapper(),
        "nested": Nested(),
        "in-place relu": nn.Sequential(nn.Linear(4, 3), nn.ReLU(inplace=True)),
    }


def module_output_grads(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """Autograd's gradient of ``model(x).square().sum()`` with respect to each module's output,
    by the name the trace gives it, computed untraced (each as its module returned it, before any
    later in-place op)."""
    outputs: dict[str, torch.Tensor] = {}
    handles = []
    for name, module in model.named_modules():
        key = name or type(module).__name__

        def keep(_m: nn.Module, _a: Any, out: torch.Tensor, key: str = key) -> torch.Tensor:
            outputs[key] = out
            return out * 1  # a new tensor: an in-place op after it leaves ``out`` as it is

        handles.append(module.register_forward_hook(keep))
    try:
        loss = model(x).square().sum()
        grads = torch.autograd.grad(loss, list(outputs.values()))
    finally:
        for handle in handles:
            handle.remove()
    return dict(zip(outputs, grads, strict=True))


@pytest.mark.parametrize("kind", list(shared_output_models()))
def test_backward_events_are_the_forward_events_reversed_where_modules_share_an_output(
    kind: str,
) -> None:
    """The gradient reaches the outermost module's output first: a model returning its last
    layer's output gets its backward event before that layer's, as the forward's reverse."""
    model = shared_output_models()[kind]
    x = torch.randn(6, 4)
    events, found = trace(lambda: model(x).square().sum().backward())
    forward = names(events, "forward")
    assert names(events, "backward") == forward[::-1]
    assert [e["phase"] for e in events] == ["forward"] * len(forward) + ["backward"] * len(forward)
    assert not [w for w in found if w["kind"] == "forward_error"]


@pytest.mark.parametrize("kind", list(shared_output_models()))
def test_the_reordered_backward_events_hold_autograds_gradients(kind: str) -> None:
    model = shared_output_models()[kind]
    x = torch.randn(6, 4)
    expected = module_output_grads(model, x)
    events, _ = trace(lambda: model(x).square().sum().backward())
    backward = [e for e in events if e["phase"] == "backward"]
    assert {e["module"] for e in backward} == set(expected)
    for event in backward:
        grad = expected[event["module"]]
        assert event["shape"] == list(grad.shape)
        assert event["mean"] == pytest.approx(float(grad.mean()), rel=1e-5, abs=1e-7)
        assert event["norm"] == pytest.approx(float(grad.norm()), rel=1e-5)
        assert event["min"] == pytest.approx(float(grad.min()), rel=1e-6, abs=1e-7)


def test_the_in_place_relus_gradient_is_still_told_from_the_linears() -> None:
    """``ReLU(inplace=True)`` returns the Linear's output tensor changed in place: its gradient
    (before the ReLU's zeros) is not the Linear's, and each module keeps its own."""
    model = shared_output_models()["in-place relu"]
    x = torch.randn(6, 4)
    events, _ = trace(lambda: model(x).square().sum().backward())
    by_module = {e["module"]: e for e in events if e["phase"] == "backward"}
    relu_zeros = by_module["1"]["zero_frac"]
    assert by_module["0"]["zero_frac"] >= relu_zeros
    assert by_module["Sequential"]["norm"] == pytest.approx(by_module["1"]["norm"])


class Table(nn.Module):
    """A module returning its parameter, a leaf: its hooks outlive each backward."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.full((2, 3), 0.5))

    def forward(self) -> torch.Tensor:
        return self.weight


class HoldsTable(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.table = Table()

    def forward(self) -> torch.Tensor:
        return self.table()


def test_a_shared_leaf_output_is_recorded_outer_first_in_every_backward() -> None:
    model = HoldsTable()

    def step() -> None:
        for _ in range(3):
            model().sum().backward()
        model()  # evaluated: no backward follows

    events, _ = trace(step)
    assert [(e["phase"], e["module"]) for e in events] == [
        ("forward", "table"),
        ("forward", "HoldsTable"),
        ("backward", "HoldsTable"),
        ("backward", "table"),
    ] * 3 + [("forward", "table"), ("forward", "HoldsTable")]
    assert not model.table.weight._backward_hooks


# -- 2: a failure in a learner's hook on a module ----------------------------------------------


def forward_errors(found: Events) -> list[tuple[str, str, list[Any]]]:
    return [
        (w["module"], w["params"]["type"], w["params"]["input_shapes"])
        for w in found
        if w["kind"] == "forward_error"
    ]


def raising_call(module: nn.Module, *args: Any, **kwargs: Any) -> Callable[[], None]:
    """A step calling ``module`` and catching its error, as a learner's run ends with it."""

    def step() -> None:
        with pytest.raises(RuntimeError):
            module(*args, **kwargs)

    return step


def bad_hook(_module: nn.Module, _args: Any, out: torch.Tensor) -> torch.Tensor:
    return out.view(-1, 3)  # 16 numbers: no view has rows of 3


def test_a_forward_hook_that_raises_is_its_modules_failure() -> None:
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
    model[0].register_forward_hook(bad_hook)
    events, found = trace(raising_call(model, torch.randn(2, 4)))
    assert forward_errors(found) == [("0", "Linear", [[2, 4]])]
    (warning,) = [w for w in found if w["kind"] == "forward_error"]
    assert warning["message"].startswith(
        "layer 0 (Linear) failed on input (2, 4): RuntimeError: shape"
    )
    # the Linear's forward returned: its output, as the hook got it, is the last event
    assert [(e["module"], e["shape"]) for e in events] == [("0", [2, 8])]


def test_a_root_modules_raising_hook_is_its_failure_and_later_ones_are_still_seen() -> None:
    """A model called alone has no caller to blame; a second call failing the same way is a
    new failure (the first's exception is not left \"unwinding\")."""
    linear = nn.Linear(4, 8)
    linear.register_forward_hook(bad_hook)
    step = raising_call(linear, torch.randn(2, 4))
    _, found = trace(lambda: (step(), step()))
    assert forward_errors(found) == [("Linear", "Linear", [[2, 4]])] * 2


def test_a_forward_hook_on_a_module_returning_none_that_raises_is_its_failure() -> None:
    class Logger(nn.Module):
        def forward(self, x: torch.Tensor) -> None:
            self.seen = x.shape

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.log = Logger()
            self.fc = nn.Linear(4, 2)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            self.log(x)
            return self.fc(x)

    def refuse(_m: nn.Module, _a: Any, _out: None) -> None:
        raise RuntimeError("the log is full")

    model = Net()
    model.log.register_forward_hook(refuse)
    _, found = trace(raising_call(model, torch.randn(3, 4)))
    assert forward_errors(found) == [("log", "Logger", [[3, 4]])]


def test_a_raising_hook_on_a_module_called_with_keywords_names_their_shapes() -> None:
    class Attend(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.mha = nn.MultiheadAttention(4, 1)

        def forward(self, q: torch.Tensor) -> torch.Tensor:
            return self.mha(query=q, key=q, value=q)[0]

    def refuse(_m: nn.Module, _a: Any, _out: Any) -> None:
        raise RuntimeError("no attention today")

    model = Attend()
    model.mha.register_forward_hook(refuse)
    _, found = trace(raising_call(model, torch.randn(5, 1, 4)))
    assert forward_errors(found) == [("mha", "MultiheadAttention", [[5, 1, 4]] * 3)]


def test_a_forward_pre_hook_that_raises_is_its_modules_failure() -> None:
    def refuse(_m: nn.Module, _args: Any) -> None:
        raise RuntimeError("not this input")

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
    model[1].register_forward_pre_hook(refuse)
    events, found = trace(raising_call(model, torch.randn(2, 4)))
    assert forward_errors(found) == [("1", "ReLU", [[2, 8]])]
    assert names(events, "forward") == ["0"]


@pytest.mark.parametrize("hooked", [False, True])
def test_a_forward_shape_error_is_still_the_failing_layers_once(hooked: bool) -> None:
    """The plain failure: a layer whose forward raises. A forward hook of the learner's on it
    (the tracer's own hook runs after it, in torch's except path) makes no second failure."""
    model = nn.Sequential(nn.Linear(4, 8), nn.Linear(3, 2))
    if hooked:
        model[1].register_forward_hook(lambda _m, _a, out: out)
    events, found = trace(raising_call(model, torch.randn(2, 4)))
    assert forward_errors(found) == [("1", "Linear", [[2, 8]])]
    assert names(events, "forward") == ["0"]
