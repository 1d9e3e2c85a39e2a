"""The trace table fits the width it is given: a transformer's long type names and 4-D shapes
must not push the norm and zeros columns out of an 80-column view, in English or Chinese, and
a terminal resized after the run gets the layout of its new width."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import DataTable

from tests.tui.conftest import (
    TRACE,
    FakeResult,
    FakeSandbox,
    drawn,
    make_app,
    plain,
    traced_in_sandbox,
    wait_for,
)
from tutor.trace_layout import (
    CELL_PADDING,
    COLUMNS,
    LEANER_COLUMNS,
    LEAST_MODULE,
    MODULE_MIN_CELLS,
    TYPED_MODULE,
    ModuleCell,
    TraceLayout,
    fit_layout,
)
from tutor.widgets.trace_view import TraceView

WIDE_MODULES = [
    ("encoder.layers.0.self_attn", "MultiheadAttention", [32, 16, 32, 32]),
    ("encoder.layers.0", "TransformerEncoderLayer", [32, 16, 64]),
    ("features.3", "Conv2d", [32, 64, 28, 28]),
]


def wide_trace() -> list[dict[str, Any]]:
    """A transformer's and a CNN's events, with stats as wide as ``fmt`` writes them."""
    return [
        dict(
            TRACE[0],
            phase=phase,
            module=name,
            type=kind,
            shape=shape,
            mean=-1.234e-05,
            std=12345.6,
            norm=23456.7,
            zero_frac=1.0,
        )
        for name, kind, shape in WIDE_MODULES
        for phase in ("forward", "backward")
    ]


async def run_traced(pilot, app) -> DataTable:
    return (await traced_in_sandbox(pilot)).query_one(DataTable)


def fits(table: DataTable) -> bool:
    return table.virtual_size.width <= table.scrollable_content_region.width


def header(table: DataTable) -> tuple[str, ...]:
    return tuple(column.key.value for column in table.columns.values())


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 100])
async def test_a_transformer_trace_fits_without_scrolling_sideways(tmp_path, lang, width):
    app = make_app(
        tmp_path, lang=lang, sandbox=FakeSandbox(lambda code, **_: FakeResult(trace=wide_trace()))
    )
    async with app.run_test(size=(width, 40)) as pilot:
        table = await run_traced(pilot, app)
        assert fits(table), (table.virtual_size.width, table.scrollable_content_region.width)
        columns = header(table)
        assert {"#", "phase", "module", "shape", "norm", "zero"} <= set(columns), columns
        module = plain(table.get_row_at(0)[columns.index("module")])
        assert "self_attn" in module and "Multi" in module, module  # name's end, type's start


async def test_a_resized_terminal_refits_the_table(tmp_path):
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: FakeResult(trace=wide_trace())))
    async with app.run_test(size=(160, 40)) as pilot:
        table = await run_traced(pilot, app)
        assert header(table) == COLUMNS and fits(table)
        await pilot.resize_terminal(80, 40)
        await wait_for(pilot, lambda: fits(app.screen.query_one(TraceView).query_one(DataTable)))
        table = app.screen.query_one(TraceView).query_one(DataTable)
        assert table.row_count == len(wide_trace())
        await pilot.resize_terminal(160, 40)
        await wait_for(pilot, lambda: header(app.screen.query_one(DataTable)) == COLUMNS)


def test_a_clipped_module_cell_keeps_its_flag_whole() -> None:
    """A NaN/Inf or warning flag is what the learner must not miss: clipping takes the name and
    the type, never the flag."""
    cell = ModuleCell("encoder.layers.0.self_attn", "MultiheadAttention", " NaN/Inf")
    text = cell.render(True, 24)
    assert text.plain.endswith(" NaN/Inf") and text.cell_len <= 24, text.plain
    assert text.plain.startswith("…") and "Mul" in text.plain, text.plain


def test_a_root_module_shows_its_type_alone() -> None:
    """The model called directly is the root ("" name): its cell is its type, clipped at the end."""
    assert ModuleCell("", "TransformerEncoderLayer").render(True, 18).plain == "TransformerEncode…"
    assert ModuleCell("", "Linear").render(True, None).plain == "Linear"


COLUMN_WIDTH = st.integers(min_value=3, max_value=40)


@st.composite
def measured(draw) -> dict[str, int]:
    """Column widths as ``measure_columns`` gives them: the typed module column is the wider."""
    widths = {column: draw(COLUMN_WIDTH) for column in COLUMNS}
    widths[TYPED_MODULE] = widths["module"] + draw(st.integers(min_value=0, max_value=30))
    widths[LEAST_MODULE] = draw(st.integers(min_value=MODULE_MIN_CELLS, max_value=30))
    return widths


def layout_cells(widths: dict[str, int], layout: TraceLayout) -> int:
    module = widths[TYPED_MODULE] if layout.with_type else widths["module"]
    if layout.module_cells is not None:
        module = layout.module_cells + CELL_PADDING
    return sum(widths[c] for c in layout.columns if c != "module") + module


@given(measured(), st.integers(min_value=20, max_value=250))
def test_a_fitted_layout_fits_unless_none_does(widths, width):
    layout = fit_layout(widths, width)
    leanest = TraceLayout(LEANER_COLUMNS[-1], widths[LEAST_MODULE])
    assert layout_cells(widths, layout) <= width or layout == leanest


@given(measured(), st.integers(min_value=20, max_value=249))
def test_a_wider_table_never_shows_less(widths, width):
    narrow, wide = fit_layout(widths, width), fit_layout(widths, width + 1)
    assert len(wide.columns) >= len(narrow.columns)
    if wide.columns == narrow.columns and narrow.module_cells is not None:
        assert wide.module_cells is None or wide.module_cells >= narrow.module_cells


@pytest.mark.parametrize("width", [73, 74, 75, 76, 80])
async def test_a_nan_flag_does_not_push_the_table_past_its_width(tmp_path, width):
    """A flagged module cell is never narrower than its name's and type's least plus the whole
    flag (21 cells with " NaN/Inf"): a layout that counted on 18 overflowed by 1-3 cells."""
    trace = [dict(wide_trace()[0], has_nan=True, mean=None, std=None, norm=None), TRACE[0]]
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: FakeResult(trace=trace)))
    async with app.run_test(size=(width, 40)) as pilot:
        table = await run_traced(pilot, app)
        assert fits(table), (width, table.virtual_size.width, table.scrollable_content_region.width)
        assert "NaN/Inf" in plain(table.get_row_at(0)[header(table).index("module")])


@given(
    st.text(alphabet="abc.0_", max_size=40),
    st.text(alphabet="ABCxyz", min_size=1, max_size=30),
    st.sampled_from(["", " ⚠", " NaN/Inf"]),
    st.integers(min_value=0, max_value=60),
)
def test_a_module_cell_keeps_to_its_width_down_to_its_least(name, kind, flag, cells):
    """What ``fit_layout`` counts on: a cell given ``cells`` takes no more, unless that is less
    than its least (``render(..., 0)``), which ``measure_columns`` reports."""
    cell = ModuleCell(name, kind, flag)
    least = cell.render(True, 0).cell_len
    assert cell.render(True, cells).cell_len <= max(cells, least)
    assert cell.render(True, cells).plain.endswith(flag)


async def test_names_the_learners_code_chose_never_reach_the_terminal_as_escapes(tmp_path):
    """A module's or a type's name and a warning naming them are the learner's words: an escape
    sequence in one (clear the screen, set the title) is dropped, as in a run's output."""
    name, kind = "\x1b[2Jzero", "\x1b]0;PWNED\x07Evil[/]"
    trace = [dict(TRACE[0], module=name, type=kind)]
    warning = {"kind": "inf", "module": name, "message": f"Inf first appeared in {name} ({kind})"}
    result = FakeResult(trace=trace, trace_warnings=[warning])
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: result))
    async with app.run_test(size=(160, 40)) as pilot:
        await run_traced(pilot, app)
        shown = drawn(app)
        assert "zero" in shown and "Evil[/]" in shown and "Inf first appeared in" in shown
        assert "\x1b" not in shown and "PWNED" not in shown
