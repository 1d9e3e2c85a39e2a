"""How `nn-tutor run --trace` shows a real trace (QA35): a nested tensor's shape in bounded width,
the ⚠ sign on the row a warning is about, a root's name whole, and the warnings in the learner's
language, spaced as docs/zh-glossary.md asks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from rich.cells import cell_len
from rich.console import Console

from sandbox import Sandbox
from sandbox.tracer import tensor_shape
from tutor.commands.run import render
from tutor.theme_styles import DARK
from tutor.trace_table import TraceTable
from tutor.trace_text import SHAPE_CELLS, shape_text

# A TransformerEncoder's fast path (eval, no_grad, a padding mask) returns nested tensors: one
# component per sequence of the batch of 16, each as long as its sequence.
NESTED = """
torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=128, batch_first=True)
enc = nn.TransformerEncoder(layer, num_layers=2).eval()
lengths = torch.randint(3, 20, (16,))
x = torch.randn(16, 20, 64)
pad = torch.arange(20)[None, :] >= lengths[:, None]
with torch.no_grad():
    y = enc(x, src_key_padding_mask=pad)
"""

# Two roots of one class, both with children "0" and "1": a NaN in the decoder's "0" only.
TWO_ROOTS_NAN = """
torch.manual_seed(0)
encoder = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
decoder = nn.Sequential(nn.Linear(4, 3), nn.Tanh())
with torch.no_grad():
    decoder[0].bias[0] = float("nan")
y = decoder(encoder(torch.randn(2, 3)))
"""

# A dead ReLU: its Linear's gradient vanishes in the backward only.
DEAD_RELU = """
net = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 1))
with torch.no_grad():
    net[0].bias.fill_(-100.0)
net(torch.randn(8, 4)).sum().backward()
"""


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(timeout_s=60) as sandbox:
        yield sandbox


def traced(box: Sandbox, code: str) -> Any:
    result = box.run(code, "cpu", None, True, None)
    assert result.status == "ok", result.error
    return result


def shown(result: Any, lang: str, width: int) -> str:
    """What `run --trace` prints at ``width`` columns, without colours."""
    out = io.StringIO()
    render(result, lang, Console(file=out, width=width, color_system=None))
    return out.getvalue()


def test_a_nested_shape_is_written_compactly_from_a_real_nested_tensor() -> None:
    lengths = [5, 9, 7] * 5 + [6]
    nested = torch.nested.nested_tensor([torch.zeros(n, 64) for n in lengths])
    text = shape_text(tensor_shape(nested))
    assert text == "nested[16](5..9, 64)"
    # a few short components still read side by side
    few = torch.nested.nested_tensor([torch.zeros(2, 4), torch.zeros(3, 4)])
    assert shape_text(tensor_shape(few)) == "(2, 4) (3, 4)"


@pytest.mark.parametrize(
    "shape",
    [
        [[2], [3, 4, 5]] * 9,  # unlike ranks: no range to write, clipped instead
        [123456789, 123456789, 123456789, 123456789],
    ],
)
def test_a_shape_never_takes_more_than_its_cells(shape: list[Any]) -> None:
    text = shape_text(shape)
    assert cell_len(text) <= SHAPE_CELLS
    assert text.endswith("…")


def test_run_trace_keeps_its_stat_columns_beside_a_nested_shape(box: Sandbox) -> None:
    """At 80 columns the ~190-cell shape pushed out #, phase and every stat."""
    result = traced(box, NESTED)
    assert any(isinstance(e["shape"][0], list) for e in result.trace)  # really nested
    lines = shown(result, "en", 80).splitlines()
    header = next(line for line in lines if "shape" in line)
    for column in ("#", "phase", "norm", "zeros"):
        assert column in header.split(), header
    assert any("nested[16](" in line for line in lines)
    assert max(cell_len(line) for line in lines) <= 80


def test_a_root_name_is_whole_where_child_names_are(box: Sandbox) -> None:
    """The root's name is its type's: it was cut to 16 cells ("…nsformerEncoder")."""
    table = TraceTable(traced(box, NESTED).trace, [], "en", styles=DARK)
    layout = table.layout(118)
    module = layout.columns.index("module")
    names = [str(row[module]) for row in table.rows(layout)]
    assert "TransformerEncoder" in names
    assert "layers.0 TransformerEncoderLayer" in names


def flagged_rows(result: Any) -> list[tuple[str, str, int]]:
    """(phase, module, index) of the rows the table marks ⚠ (not NaN/Inf, flagged by value)."""
    table = TraceTable(result.trace, result.trace_warnings, "en", styles=DARK)
    return [
        (event["phase"], event["module"], index)
        for index, (event, cell) in enumerate(zip(result.trace, table.modules, strict=True))
        if cell.flag == " ⚠"
    ]


def test_a_nan_in_one_root_flags_no_row_of_the_other(box: Sandbox) -> None:
    result = traced(box, TWO_ROOTS_NAN)
    assert [w["kind"] for w in result.trace_warnings] == ["nan"]
    table = TraceTable(result.trace, result.trace_warnings, "en", styles=DARK)
    flags = [cell.flag for cell in table.modules]
    # the encoder's Linear "0" (row 0) is healthy; the decoder's (row 3) has the NaN
    assert result.trace[0]["module"] == result.trace[3]["module"] == "0"
    assert flags[0] == ""
    assert flags[3] == " NaN/Inf"


def test_a_backward_warning_flags_its_backward_row_only(box: Sandbox) -> None:
    result = traced(box, DEAD_RELU)
    warned = {(w["kind"], w["phase"], w["module"]) for w in result.trace_warnings}
    assert ("dead_relu_grad", "backward", "0") in warned
    assert ("dead_relu", "forward", "1") in warned
    flagged = flagged_rows(result)
    # each warning's own event, the first of its module and phase: no forward row of "0"
    assert ("forward", "0") not in {(phase, module) for phase, module, _ in flagged}
    assert {(phase, module) for phase, module, _ in flagged} >= {
        ("backward", "0"),
        ("forward", "1"),
    }


def test_run_trace_in_chinese_words_its_warnings_without_raw_ids(box: Sandbox) -> None:
    result = traced(box, TWO_ROOTS_NAN)
    text = shown(result, "zh", 100)
    assert "⚠ nan:" not in text
    assert "  ⚠ NaN 最早出现在 0 号层（Linear）的前向传播中" in text.splitlines()


def test_a_model_named_by_its_type_is_spaced_from_the_chinese_after_it(box: Sandbox) -> None:
    """docs/zh-glossary.md: a space between a Latin word and Chinese, none beside ）."""
    result = traced(box, "m = nn.Linear(2, 2)\nm(torch.tensor([[float('nan'), 1.0]]))\n")
    lines = shown(result, "zh", 100).splitlines()
    assert "  ⚠ Linear 的输入中已经有 NaN" in lines  # the NaN came with the input
    dead = traced(box, DEAD_RELU)
    lines = shown(dead, "zh", 100).splitlines()
    assert any(line.startswith("  ⚠ 1 号层（ReLU）的输出有 100% 为零") for line in lines), lines
    assert any(line.startswith("  ⚠ 0 号层（Linear）的输出收不到梯度") for line in lines), lines


def test_a_forward_that_raised_flags_no_earlier_call(box: Sandbox) -> None:
    """The failing call has no row (it returned nothing): its module's earlier, healthy call
    was flagged by name."""
    result = box.run(
        "m = nn.Linear(4, 2)\nm(torch.ones(1, 4))\nm(torch.ones(1, 3))\n", "cpu", None, True, None
    )
    assert result.status == "error"
    assert [w["kind"] for w in result.trace_warnings] == ["forward_error"]
    assert [e["module"] for e in result.trace] == ["Linear"]
    assert flagged_rows(result) == []
