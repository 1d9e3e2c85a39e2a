"""A zero gradient behind a dead ReLU is the ReLU's doing, not vanishing gradients; a zero a
gradient shrinking with depth underflowed to is vanishing gradients, said once; any other zero
gradient is no gradient, not a vanishing one; layers are named as layers in the trace's
warnings, an index path as indexes.

QA: ``Sequential(Linear(4, 8), ReLU(), Linear(8, 1))`` with its first bias at -100 warned "100%
of the outputs of 1 (ReLU) are zero" and "gradient norm 0 at the output of 0 (Linear):
vanishing gradients", which sent a learner to look for gradients shrinking with depth; and "1"
read as a count.

Review of 674e4fb: the ReLU was paired with the layer before it by the order of the events, so
branching code (a gate called between the layer and its ReLU) still read "vanishing gradients",
or had the ReLU blamed for another layer's zeros; and a nested index read as a decimal ("layer
0.2").

Review of e415f80: a gradient that underflowed to 0 (float16 makes that common) was "no gradient
… such as a dead ReLU" in a stack with no ReLU."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import Any

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from sandbox.tracer import HookTracer, named_by_index, shown_name
from tutor.sandbox_messages import warning_message, worded_warning
from tutor.theme_styles import DARK
from tutor.trace_table import TraceTable, warned_event

Warning = dict[str, Any]


def traced(
    step: Callable[[], object], *, stats: bool = True
) -> tuple[list[dict[str, Any]], list[Warning]]:
    with HookTracer(stats=stats) as tracer:
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
    assert both(found[1]) == (
        "no gradient reaches the output of layer [1][0] (Linear): the dead ReLU after it passes "
        "none back",
        "[1][0] 号层（Linear）的输出收不到梯度：它后面死掉的 ReLU 一点梯度也传不回来",
    )


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


NO_GRADIENT = (
    "no gradient reaches the output of {} (its gradient is all zeros): something after it passes "
    "none back, such as a dead ReLU or a multiplication by zero",
    "{}的输出收不到梯度（梯度全为零）：它后面有一步没把任何梯度传回来，比如死掉的 ReLU，或乘以零",
)


def no_gradient_at(en: str, zh: str) -> tuple[str, str]:
    """The no-gradient warning's words at module ``en`` (``zh`` in Chinese, with its space)."""
    return NO_GRADIENT[0].format(en), NO_GRADIENT[1].format(zh)


def test_a_zero_gradient_with_no_dead_relu_after_it_is_no_gradient_not_vanishing() -> None:
    """The layer after 1 passes nothing back (its weights are zero): no ReLU to blame, and a
    gradient of exactly 0 has not shrunk with depth, none came back at all."""
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    with torch.no_grad():
        model[2].weight.zero_()
    events, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    # layer 0's zeros further back are the same ones, passed on: one warning
    assert kinds(found) == [("no_gradient", "1")]
    assert both(found[0]) == no_gradient_at("layer 1 (ReLU)", "1 号层（ReLU）")
    flagged = events[warned_event(found[0], events)]
    assert (flagged["phase"], flagged["module"], flagged["norm"]) == ("backward", "1", 0.0)


class Gated(nn.Module):
    """``fc2(relu(fc1(x))) * sigmoid(gate(x))``: the gate is called between fc1 and its ReLU."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.gate, self.fc2 = nn.Linear(4, 8), nn.Linear(4, 8), nn.Linear(8, 8)
        self.relu = nn.ReLU()
        with torch.no_grad():
            self.fc1.bias.fill_(-100.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc1(x)
        g = self.gate(x)
        return self.fc2(self.relu(h)) * torch.sigmoid(g)


def test_a_gate_called_between_a_layer_and_its_dead_relu_is_no_vanishing() -> None:
    torch.manual_seed(0)
    model = Gated()
    events, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    forward = [e["module"] for e in events if e["phase"] == "forward"]
    assert forward.index("gate") == forward.index("fc1") + 1  # the ReLU's input is not gate's
    assert kinds(found) == [("dead_relu", "relu"), ("dead_relu_grad", "fc1")]
    assert both(found[1])[0] == (
        "no gradient reaches the output of fc1 (Linear): the dead ReLU after it passes none back"
    )


def test_a_dead_relu_is_not_blamed_for_the_zeros_of_the_layer_called_before_it() -> None:
    """fc2 outputs zeros (its bias 0, its input the dead ReLU's zeros), so the gate gets no
    gradient: that is the multiplication's doing, and fc1's zeros are still the ReLU's. The gate's
    zero gradient comes just after the ReLU's backward, and the gate's call just before the
    ReLU's: by order, the gate was blamed on the ReLU and fc1 went unwarned."""
    torch.manual_seed(0)
    model = Gated()
    with torch.no_grad():
        model.fc2.bias.zero_()
    events, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    backward = [(e["module"], e["norm"]) for e in events if e["phase"] == "backward"]
    assert backward[-3:] == [("relu", backward[-3][1]), ("gate", 0.0), ("fc1", 0.0)]
    assert kinds(found) == [
        ("dead_relu", "relu"),
        ("no_gradient", "gate"),
        ("dead_relu_grad", "fc1"),
    ]
    assert both(found[1]) == no_gradient_at("gate (Linear)", "gate（Linear）")


def test_an_in_place_relu_is_not_paired_its_zeros_are_no_gradient() -> None:
    """The in-place op leaves the layer's output hooks with the value before it: the trace does
    not know the ReLU was that output's next step, so it says what it does know."""
    torch.manual_seed(0)
    model = dead_first_layer(nn.ReLU(inplace=True), nn.Linear(8, 1))
    _, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    assert kinds(found) == [("dead_relu", "1"), ("no_gradient", "0")]
    assert both(found[1]) == no_gradient_at("layer 0 (Linear)", "0 号层（Linear）")


def test_shapes_only_mode_pairs_no_relus() -> None:
    """Pairing a ReLU with its input is stats-mode work: the shapes-only mode's overhead is
    measured, and its events have no stats to judge the ReLU by."""
    model = dead_first_layer(nn.ReLU(), nn.Linear(8, 1))
    with HookTracer(stats=False) as tracer:
        model(torch.randn(5, 4)).sum().backward()
        assert tracer._relu_inputs == {}
    assert tracer.finish()[1] == []


def test_a_deep_sigmoid_stack_still_has_vanishing_gradients() -> None:
    torch.manual_seed(0)
    layers = [m for _ in range(40) for m in (nn.Linear(4, 4), nn.Sigmoid())]
    model = nn.Sequential(*layers)
    _, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    assert [w["kind"] for w in found] == ["vanishing_grad"]
    en, zh = both(found[0])
    assert en.endswith("vanishing gradients") and " at the output of layer " in en, en
    assert " 号层（Linear）输出处的梯度范数为 " in zh and zh.endswith("梯度消失"), zh


NORM_PER_RMS = math.sqrt(8 * 16)  # a gradient's norm over its rms in sigmoid_stack: 8 × 16 numbers


def sigmoid_stack(depth: int, dtype: torch.dtype) -> tuple[list[dict[str, Any]], list[Warning]]:
    """The trace of one backward through ``depth`` pairs of ``Linear(16, 16)`` and ``Sigmoid``
    in ``dtype``: no ReLU anywhere, the gradient shrinks with depth until it underflows to 0."""
    torch.manual_seed(0)
    model = nn.Sequential(*[m for _ in range(depth) for m in (nn.Linear(16, 16), nn.Sigmoid())])
    model = model.to(dtype)
    return traced(lambda: model(torch.randn(8, 16, dtype=dtype)).sum().backward())


def backward_norms(events: list[dict[str, Any]]) -> list[tuple[str, float]]:
    return [(e["module"], e["norm"]) for e in events if e["phase"] == "backward"]


def test_a_half_precision_gradient_that_underflows_to_zero_is_vanishing() -> None:
    """Review of e415f80: in float16 the shrinking gradient reaches 0 before it is below the
    vanishing bound (float16 has no numbers that small), and the first zero was "no gradient …
    such as a dead ReLU" where there is none. Its numbers were already below float16's normal
    range: the zero is the vanishing gradient underflowed, said once where it reached 0."""
    events, found = sigmoid_stack(30, torch.float16)
    norms = backward_norms(events)
    first_zero = next(i for i, (_, norm) in enumerate(norms) if norm == 0)
    # none of the gradients before the zero was below the vanishing bound by itself
    assert min(norm for _, norm in norms[:first_zero]) > HookTracer.vanishing_rms * NORM_PER_RMS
    assert all(norm == 0 for _, norm in norms[first_zero:])
    assert kinds(found) == [("vanishing_grad", norms[first_zero][0])]
    assert found[0]["params"]["norm"] == 0
    en, zh = both(found[0])
    assert en.startswith("gradient norm 0 at the output of layer ") and en.endswith(
        "(Linear): vanishing gradients"
    ), en
    assert zh.endswith(" 号层（Linear）输出处的梯度范数为 0：梯度消失"), zh


def test_a_vanishing_gradient_that_underflows_further_back_is_said_once() -> None:
    """Review of e415f80: in float32 the vanishing gradient was warned of, and the 0 it
    underflowed to further back was warned of again as "no gradient … such as a dead ReLU"."""
    events, found = sigmoid_stack(60, torch.float32)
    norms = backward_norms(events)
    assert norms[-1] == ("0", 0.0)  # it underflowed
    assert kinds(found) == [("vanishing_grad", found[0]["module"])]
    assert 0 < found[0]["params"]["norm"] < HookTracer.vanishing_rms * NORM_PER_RMS


def test_a_dead_relu_behind_a_vanishing_gradient_is_still_named() -> None:
    """A zero the trace pairs with a dead ReLU is that ReLU's doing, vanishing gradients or not
    in front of it."""
    torch.manual_seed(0)
    model = dead_first_layer(
        nn.ReLU(), *[m for _ in range(40) for m in (nn.Linear(8, 8), nn.Sigmoid())]
    )
    events, found = traced(lambda: model(torch.randn(5, 4)).sum().backward())
    assert backward_norms(events)[-2:] == [("1", backward_norms(events)[-2][1]), ("0", 0.0)]
    assert 0 < backward_norms(events)[-2][1] < HookTracer.vanishing_rms
    assert [kind for kind, _ in kinds(found)] == ["dead_relu", "vanishing_grad", "dead_relu_grad"]
    assert kinds(found)[2] == ("dead_relu_grad", "0")


class DeadFunctionalRelu(nn.Module):
    """``fc1``, whose bias of -100 makes every output negative, ``F.relu`` (a function: the
    trace pairs no ReLU with fc1) and ``fc2`` to 10000 classes."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(16, 32)
        self.fc2 = nn.Linear(32, 10000)
        with torch.no_grad():
            self.fc1.bias.fill_(-100.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.relu(self.fc1(x)))


def dead_functional_relu(dtype: torch.dtype) -> tuple[list[dict[str, Any]], list[Warning]]:
    """The trace of a mean cross-entropy over 512 rows of ``DeadFunctionalRelu`` in ``dtype``."""
    torch.manual_seed(0)
    model = DeadFunctionalRelu().to(dtype)
    x, y = torch.randn(512, 16, dtype=dtype), torch.randint(0, 10000, (512,))
    return traced(lambda: F.cross_entropy(model(x).float(), y).backward())


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16])
def test_a_zero_after_a_small_first_gradient_is_no_gradient_in_any_dtype(
    dtype: torch.dtype,
) -> None:
    """Review of 7de1f35: a mean over 512 × 10000 numbers starts the pass below float16's
    normal numbers without shrinking; the zero of the dead F.relu after it was "vanishing
    gradients" in float16, "no gradient" in float32. Below the normal range is shrinking only
    where the pass shrank to it."""
    events, found = dead_functional_relu(dtype)
    norms = backward_norms(events)
    assert [module for module, _ in norms] == ["DeadFunctionalRelu", "fc2", "fc1"]
    first_rms = norms[0][1] / math.sqrt(512 * 10000)
    assert HookTracer.vanishing_rms < first_rms
    if dtype == torch.float16:  # the case: a first gradient below float16's normal numbers
        assert first_rms < torch.finfo(torch.float16).tiny
    assert norms[2][1] == 0
    assert kinds(found) == [("no_gradient", "fc1")]
    assert both(found[0]) == no_gradient_at("fc1 (Linear)", "fc1（Linear）")


def test_layers_are_named_as_layers_and_other_names_as_paths() -> None:
    assert [
        named_by_index(n) for n in ("1", "0.2", "3.attn", "encoder.0", "blocks.1.attn", "fc1")
    ] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert not named_by_index("²")  # a digit to str.isdigit, no index
    names = ("1", "0.2", "0.1.2", "3.attn", "3.attn.0", "encoder.0", "fc1", "².0")
    assert [shown_name(n) for n in names] == [
        "1",
        "[0][2]",
        "[0][1][2]",
        "[3].attn",
        "[3].attn[0]",
        "encoder.0",
        "fc1",
        "².0",
    ]

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
    # 0.1 read as a decimal: it is model[0][1]
    assert [both(w) for w in found] == [
        (
            "100% of the outputs of layer [0][1] (ReLU) are zero: dead ReLU units pass no gradient",
            "[0][1] 号层（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度",
        )
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
