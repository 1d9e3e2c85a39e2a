"""Lesson 06's diagrams, redrawn to fit 80 columns, read in line: a header sits over its column,
the rest of a wrapped call starts after its bracket, a wrapped note under the text it continues.

:mod:`tests.content.test_diagrams_fit_80_columns` measures the width and
:mod:`tests.content.test_diagrams` the boxes; neither sees a line that starts a cell off its
column (and so reads as a new entry). Columns are terminal cells, as Rich draws them.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.content.test_diagrams import grid
from tests.content.test_redrawn_diagrams_read_in_line import LANGS, column, diagram
from tutor.decks import DeckLibrary


def starts(lines: list[str], text: str) -> int:
    """The cell where the line that starts with ``text`` (after its indent) begins."""
    line = next(line for line in lines if line.lstrip().startswith(text))
    return cell_len(line) - cell_len(line.lstrip())


def columns_of(lines: list[str], text: str) -> set[int]:
    """The cells where ``text`` starts, on every line that has it."""
    return {cell_len(line[: line.index(text)]) for line in lines if text in line}


@pytest.mark.parametrize("lang", LANGS)
def test_twins_wrapped_calls_go_on_after_their_bracket(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l06.twins", lang)
    header = {"en": "functional twin", "zh": "函数式"}[lang]
    assert column(lines, header) == column(lines, "F.linear(")
    for call, rest in [
        ("F.conv2d(", "padding, dilation"),
        ("F.batch_norm(", "running_var, weight"),
        ("F.batch_norm(", "training, momentum"),
        ("F.layer_norm(", "weight, bias, eps)"),
    ]:
        assert starts(lines, rest) == column(lines, call) + len(call), rest


@pytest.mark.parametrize("lang", LANGS)
def test_training_flags_table_reads_in_columns(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l06.training-flags", lang)
    default, result, uses, updates = {
        "en": ("default", "eval mode gives", "uses rm/rv", "updates nothing"),
        "zh": ("默认值", "eval 模式下得到", "用 rm/rv", "不更新"),
    }[lang]
    assert column(lines, default) == column(lines, "training=True")
    assert column(lines, result) == column(lines, "x ") == column(lines, uses)
    assert starts(lines, updates) == column(lines, uses)
    # the wrapped dropout call stays in the call column, indented under its start
    assert starts(lines, "training=self.training)") == column(lines, "F.dropout(x, p,") + 2
    assert starts(lines, "training=self.training)") < column(lines, default)


@pytest.mark.parametrize("lang", LANGS)
def test_hook_map_signatures_and_returns_share_columns(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l06.hook-map", lang)
    signatures = columns_of(lines, "hook(module") | columns_of(lines, "fn(grad)")
    assert len(signatures) == 1, signatures
    assert len(columns_of(lines, "→ None |")) == 1
    assert starts(lines, "grad_output)") == column(lines, "module, grad_input")


@pytest.mark.parametrize("lang", LANGS)
def test_hook_returns_arrows_and_note_line_up(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l06.hook-returns", lang)
    note = {"en": "(a lone value", "zh": "（若只返回"}[lang]
    assert len(columns_of(lines, "→")) == 1
    assert columns_of(lines, "return new") == {starts(lines, note)}


@pytest.mark.parametrize("lang", LANGS)
def test_grad_input_note_sits_under_its_entry(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l06.backward-hooks", lang)
    entry, output, note = {
        "en": ("one entry per positional", "one entry per tensor", "(None if"),
        "zh": ("每个位置参数", "每个张量", "（不是张量"),
    }[lang]
    assert column(lines, entry) == column(lines, output) == starts(lines, note)


@pytest.mark.parametrize("lang", LANGS)
def test_tensor_hook_arrow_points_at_y(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l06.tensor-hooks", lang)
    assert column(lines, "▲") == column(lines, "y ──(sum)")


@pytest.mark.parametrize("lang", LANGS)
def test_inplace_pitfalls_text_keeps_one_column(library: DeckLibrary, lang: str) -> None:
    """Every line of the three pitfalls goes on in the column after their labels."""
    lines = diagram(library, "l06.inplace", lang)
    text = column(lines, "Linear ─out─▶")
    for line in filter(str.strip, lines):
        cells = grid(line)
        assert cells.get(text - 1) == " " and cells.get(text, " ") != " ", line
