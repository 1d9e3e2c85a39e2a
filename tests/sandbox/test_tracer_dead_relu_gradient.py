"""A zero gradient behind a dead ReLU is the ReLU's doing, not vanishing gradients; layers are
named as layers in the trace's warnings.

QA: ``Sequential(Linear(4, 8), ReLU(), Linear(8, 1))`` with its first bias at -100 warned "100%
of the outputs of 1 (ReLU) are zero" and "gradient norm 0 at the output of 0 (Linear):
vanishing gradients", which sent a learner to look for gradients shrinking with depth; and "1"
read as a count."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from sandbox.tracer import HookTracer, is_layer
from tutor.sandbox_messages import warning_message, worded_warning
from tutor.theme_styles import DARK
from tutor.trace_table import TraceTable, warned_event

Warning = dict[str, Any]


def traced(step: Callable[[], object]) -> tuple[list[dict[str, Any]], list[Warning]]:
    with HookTracer() as tracer:
        step()
    events, found, _ = tracer.finish()
    return events, found


def dead_first_layer(*layers: nn.Module) -> nn.Sequential:
    """``Linear(4, 8)``, whose bias of -100 makes every output negative, then ``layers``."""
    model = nn.Sequential(nn.Linear(4, 8), *layers)
    with torch.no_grad():
        model[0].bias.fill_(-100.0)
    return model


def kinds(found: list[Warning]) -> list[tuple[str, str]]:
    return [(w["kind"], w["module"]) for w in found]


def both(warning: Warning) -> tuple[str, str]:
    """The warning as a learner reads it, in English and in Chinese (the catalogue's English
    is the tracer's own message)."""
    assert worded_warning(warning, "en") == warning["message"]
    return warning_message(warning, "en"), warning_message(warning, "zh")


def test_the_qa_models_zero_gradient_is_put_down_to_its_dead_relu() -> None:
    torch.manual_seed(0)
    model = dead_first_layer(nn.ReLU(), nn.Linear(8, 1))
    events, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    assert kinds(found) == [("dead_relu", "1"), ("dead_relu_grad", "0")]
    assert both(found[0]) == (
        "100% of the outputs of layer 1 (ReLU) are zero: dead ReLU units pass no gradient",
        "1 号层（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度",
    )
    assert both(found[1]) == (
        "no gradient reaches the output of layer 0 (Linear): the dead ReLU after it passes "
        "none back",
        "0 号层（Linear）的输出收不到梯度：它后面死掉的 ReLU 一点梯度也传不回来",
    )
    # the table flags the zero gradient's row, the backward of 0
    flagged = events[warned_event(found[1], events)]
    assert (flagged["phase"], flagged["module"], flagged["norm"]) == ("backward", "0", 0.0)
    table = TraceTable(events, found, "en", styles=DARK)
    assert [m.name for m in table.modules if m.flag] == ["1", "0"]


def test_the_zeros_further_back_are_the_same_dead_relus() -> None:
    """Layer 0 gets the zero gradient layer 1.0 got: no vanishing gradients there either."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 4), dead_first_layer(nn.ReLU()), nn.Linear(8, 1))
    events, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    assert [e["norm"] for e in events if e["phase"] == "backward"][-3:] != [0.0] * 3
    assert [e["norm"] for e in events if e["phase"] == "backward"][-2:] == [0.0, 0.0]
    assert kinds(found) == [("dead_relu", "1.1"), ("dead_relu_grad", "1.0")]
    assert both(found[1])[0].startswith("no gradient reaches the output of layer 1.0 (Linear)")


def test_a_relu_called_twice_is_judged_by_the_call_after_the_layer() -> None:
    """``self.relu`` after fc1 (dead) and after fc2 (alive): fc1's zero gradient is the first
    call's doing."""

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc1, self.fc2, self.fc3 = nn.Linear(4, 8), nn.Linear(8, 8), nn.Linear(8, 1)
            self.relu = nn.ReLU()

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))

    torch.manual_seed(0)
    net = Net()
    with torch.no_grad():
        net.fc1.bias.fill_(-100.0)
        net.fc2.bias.fill_(1.0)  # its ReLU passes the gradient on
    found = traced(lambda: net(torch.randn(5, 4)).sum().backward())[1]
    assert kinds(found) == [("dead_relu", "relu"), ("dead_relu_grad", "fc1")]
    # a path of names is no layer number
    assert both(found[1])[0].startswith("no gradient reaches the output of fc1 (Linear):")
    assert both(found[1])[1].startswith("fc1（Linear）的输出收不到梯度")


def test_a_zero_gradient_with_no_dead_relu_after_it_is_still_vanishing() -> None:
    """The layer after 0 passes nothing back (its weights are zero): no ReLU to blame."""
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    with torch.no_grad():
        model[2].weight.zero_()
    _, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    assert kinds(found) == [("vanishing_grad", "1")]
    assert (
        both(found[0])[0] == "gradient norm 0 at the output of layer 1 (ReLU): vanishing gradients"
    )


def test_a_deep_sigmoid_stack_still_has_vanishing_gradients() -> None:
    torch.manual_seed(0)
    layers = [m for _ in range(40) for m in (nn.Linear(4, 4), nn.Sigmoid())]
    model = nn.Sequential(*layers)
    _, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    assert [w["kind"] for w in found] == ["vanishing_grad"]
    en, zh = both(found[0])
    assert en.endswith("vanishing gradients") and " at the output of layer " in en, en
    assert " 号层（Linear）输出处的梯度范数为 " in zh and zh.endswith("梯度消失"), zh


def test_layers_are_named_as_layers_and_other_names_as_paths() -> None:
    assert [is_layer(n) for n in ("1", "0.2", "3.attn", "encoder.0", "blocks.1.attn", "fc1")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert not is_layer("²")  # a digit to str.isdigit, no index

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = dead_first_layer(nn.ReLU())

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.encoder(x)

    found = traced(lambda: Net()(torch.randn(5, 4)))[1]
    assert [both(w) for w in found] == [
        (
            "100% of the outputs of encoder.1 (ReLU) are zero: dead ReLU units pass no gradient",
            "encoder.1（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度",
        )
    ]
    nested = nn.Sequential(dead_first_layer(nn.ReLU()))
    found = traced(lambda: nested(torch.randn(5, 4)))[1]
    assert [both(w)[1] for w in found] == [
        "0.1 号层（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度"
    ]


def test_a_forward_error_names_its_layer() -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(5, 2))
    found = traced(lambda: _quietly(lambda: model(torch.randn(2, 3))))[1]
    assert [w["kind"] for w in found] == ["forward_error"]
    en, zh = both(found[0])
    assert en.startswith("layer 2 (Linear) failed on input (2, 4): RuntimeError: mat1"), en
    assert zh.startswith("2 号层（Linear）处理输入 (2, 4) 时出错"), zh


def _quietly(step: Callable[[], object]) -> None:
    """``step``, its RuntimeError caught: the trace keeps the warning of the forward that
    raised."""
    with contextlib.suppress(RuntimeError):
        step()
