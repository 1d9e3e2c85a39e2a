"""The hook tracer's NaN/Inf warnings on the bugs QA round 38 found: an Inf that a module's
backward made was blamed on the module before it (a backward event is the gradient at a module's
output), and a NaN in the input data on the first layer it passed through. Each runs real torch
in process through :class:`HookTracer`, with CPU tensors read in the hooks (``host``) and sent
the way other devices' go (reduced and read at finish, no sync in a hook)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from sandbox.tracer import HookTracer
from tutor.sandbox_messages import warning_message, worded_warning

Warning = dict[str, Any]
PATHS = pytest.mark.parametrize("host", [True, False], ids=["host", "device-path"])


def warnings_of(step: Callable[[], object], *, host: bool) -> list[Warning]:
    """The warnings of running ``step`` under a fresh tracer; ``host=False`` sends CPU tensors
    the way other devices' go (their input checks too)."""
    tracer = HookTracer()
    if not host:
        tracer.host_device_types = frozenset()
    with tracer:
        step()
    return tracer.finish()[1]


def nonfinite(found: list[Warning]) -> list[tuple[str, str, str, str]]:
    """The NaN/Inf warnings: (kind, module, phase, message)."""
    return [
        (w["kind"], w["module"], w["phase"], w["message"])
        for w in found
        if w["kind"].startswith(("nan", "inf"))
    ]


def zh(w: Warning) -> str:
    """``w`` in Chinese, checking its English is the catalogue's English word for word."""
    assert worded_warning(w, "en") == w["message"]
    return warning_message(w, "zh")


class Sqrt(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sqrt(x)


class Log(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.log(x)


class SqrtInPlace(nn.Module):
    """Makes its NaN in its input's memory and returns that very tensor."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.sqrt_()


class LogBetween(nn.Module):
    """A function (no module) makes the NaN between two layers."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(4, 8), nn.Linear(8, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.log(self.fc1(x)))


# -- 1: a backward's Inf is in the gradient at the output of the module before ---------------------


@PATHS
def test_an_inf_made_by_a_backward_is_placed_at_the_output_it_is_the_gradient_of(host):
    """sqrt(0)'s gradient is infinite: Sqrt's backward puts it in the gradient at ReLU's output.
    The warning said "Inf first appeared in the backward of 1 (ReLU)"."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), Sqrt(), nn.Linear(8, 1))
    found = warnings_of(lambda: net(torch.randn(3, 4)).sum().backward(), host=host)
    message = "Inf first appeared in the gradient at the output of layer 1 (ReLU)"
    assert nonfinite(found)[0] == ("inf_grad", "1", "backward", message), found
    inf = next(w for w in found if w["kind"] == "inf_grad")
    assert zh(inf) == "Inf 最早出现在 1 号层（ReLU）输出处的梯度中"


@PATHS
def test_a_nan_in_the_loss_gradient_is_at_the_last_modules_output(host):
    lin = nn.Linear(2, 1)
    found = warnings_of(lambda: (lin(torch.ones(1, 2)) * float("nan")).sum().backward(), host=host)
    message = "NaN first appeared in the gradient at the output of Linear"
    assert nonfinite(found) == [("nan_grad", "Linear", "backward", message)], found
    assert zh(found[0]) == "NaN 最早出现在 Linear 输出处的梯度中"


# -- 2: a NaN the data brought is in the first layer's input -------------------------------------


@PATHS
def test_a_nan_in_the_input_data_is_said_to_be_in_the_first_layers_input(host):
    """It said "NaN first appeared in the forward of 0 (Linear)", sending the learner to Linear."""
    torch.manual_seed(0)
    x = torch.randn(4, 3)
    x[1, 2] = float("nan")
    net = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 1))
    found = warnings_of(lambda: net(x), host=host)
    message = "NaN was already in the input of layer 0 (Linear)"
    assert nonfinite(found) == [("nan_input", "0", "forward", message)], found
    assert zh(found[0]) == "0 号层（Linear）的输入中已经有 NaN"


@PATHS
def test_an_inf_in_the_input_data_of_a_view_module_is_in_its_input(host):
    """Flatten's output is a view of its input: the same numbers."""
    x = torch.ones(2, 1, 3)
    x[0, 0, 1] = float("inf")
    net = nn.Sequential(nn.Flatten(), nn.Linear(3, 2))
    found = warnings_of(lambda: net(x), host=host)
    assert nonfinite(found)[0] == (
        "inf_input",
        "0",
        "forward",
        "Inf was already in the input of layer 0 (Flatten)",
    ), found


@PATHS
def test_a_nan_a_function_made_between_layers_is_in_the_next_layers_input(host):
    torch.manual_seed(0)
    net = LogBetween()
    with torch.no_grad():
        net.fc1.bias.fill_(-100.0)  # every log(x) of x < 0 is NaN
    found = warnings_of(lambda: net(torch.randn(3, 4)), host=host)
    message = "NaN was already in the input of fc2 (Linear)"
    assert nonfinite(found) == [("nan_input", "fc2", "forward", message)], found


@PATHS
def test_a_nan_a_module_makes_is_still_its_own(host):
    """No NaN in the input: the module made it, and the old words are true."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 8), Log(), nn.Linear(8, 2))
    with torch.no_grad():
        net[0].bias.fill_(-100.0)
    found = warnings_of(lambda: net(torch.randn(3, 4)).sum().backward(), host=host)
    assert nonfinite(found)[0] == (
        "nan",
        "1",
        "forward",
        "NaN first appeared in the forward of layer 1 (Log)",
    ), found
    assert (
        zh(next(w for w in found if w["kind"] == "nan"))
        == "NaN 最早出现在 1 号层（Log）的前向传播中"
    )


@PATHS
def test_an_in_place_module_is_not_said_to_have_got_the_nan_it_made(host):
    """Its input is its output: what it got is gone, so nothing is said of it."""
    net = nn.Sequential(nn.Linear(2, 2), SqrtInPlace())
    with torch.no_grad():
        net[0].weight.fill_(-1.0)
        net[0].bias.zero_()
    found = warnings_of(lambda: net(torch.ones(1, 2)), host=host)
    assert [k[:2] for k in nonfinite(found)] == [("nan", "1")], found


@PATHS
def test_one_warning_for_the_first_nan_whatever_its_words(host):
    """A NaN in the data, then in every gradient: one NaN warning, for the first event."""
    x = torch.full((2, 3), float("nan"))
    net = nn.Sequential(nn.Linear(3, 2), nn.Tanh())
    found = warnings_of(lambda: net(x).sum().backward(), host=host)
    assert [k[0] for k in nonfinite(found)] == ["nan_input"], found


def test_the_input_checks_cost_no_sync_in_a_hook():
    """On the device path an input's check is a (min, max) pair kept on its device, read in
    finish: the hooks hold tensors, never a Python number."""
    tracer = HookTracer()
    tracer.host_device_types = frozenset()
    x = torch.randn(2, 3)
    with tracer:
        F.relu(nn.Linear(3, 2)(x))
    kept = tracer._input_flags
    assert kept and all(isinstance(v, torch.Tensor) for _, pair in kept for v in pair)
    tracer.finish()
    assert tracer._input_flags == []


class LogInPlaceBetween(nn.Module):
    """Code between two layers turns the first one's output to NaN in place."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(4, 8), nn.Linear(8, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc1(x)
        h.log_()
        return self.fc2(h)


@PATHS
def test_a_nan_made_in_place_between_layers_is_in_the_next_layers_input(host):
    """The device path linked fc2's input to fc1's event by identity, whose numbers (no NaN)
    were read before ``log_`` changed them: it blamed fc2 (review of the change)."""
    torch.manual_seed(0)
    net = LogInPlaceBetween()
    with torch.no_grad():
        net.fc1.bias.fill_(-100.0)
    found = warnings_of(lambda: net(torch.randn(3, 4)), host=host)
    message = "NaN was already in the input of fc2 (Linear)"
    assert nonfinite(found) == [("nan_input", "fc2", "forward", message)], found


class Seen(torch.Tensor):
    """A ``__torch_dispatch__`` subclass that counts the ops run on it."""

    ops: ClassVar[list[str]] = []

    @staticmethod
    def __new__(cls, elem: torch.Tensor) -> Seen:
        made = torch.Tensor._make_wrapper_subclass(
            cls, elem.shape, dtype=elem.dtype, device=elem.device
        )
        made.elem = elem
        return made

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):  # type: ignore[override]
        cls.ops.append(str(func))
        tree_map = torch.utils._pytree.tree_map
        unwrap = lambda t: t.elem if isinstance(t, Seen) else t  # noqa: E731
        wrap = lambda t: Seen(t) if isinstance(t, torch.Tensor) else t  # noqa: E731
        return tree_map(wrap, func(*tree_map(unwrap, args), **tree_map(unwrap, kwargs or {})))


class Constant(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ones(2)


def test_a_subclass_input_is_not_read_at_finish_on_the_device_path():
    """Its min and max, taken on the device path, stayed a subclass: finish failed to read
    them (the whole trace lost) and ran the learner's ``__torch_dispatch__`` outside the
    tracer's guard."""
    tracer = HookTracer()
    tracer.host_device_types = frozenset()
    with tracer:
        Constant()(Seen(torch.tensor([1.0, float("nan")])))
    Seen.ops.clear()
    events, _, _ = tracer.finish()
    assert len(events) == 1 and Seen.ops == []
