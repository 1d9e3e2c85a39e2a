"""The sandbox screen's trace view on real traces (QA35): a TransformerEncoder's nested outputs
fit without a sideways scroll, the ⚠ sign marks the row a warning is about, and the warnings
under the table read as `run --trace` prints them."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from tests.test_trace_display_qa35 import DEAD_RELU, NESTED, TWO_ROOTS_NAN
from tests.tui.conftest import make_app, plain, traced_in_sandbox


def column_cells(table: DataTable, key: str) -> list[str]:
    keys = [column.key.value for column in table.columns.values()]
    return [plain(table.get_row_at(i)[keys.index(key)]) for i in range(table.row_count)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_nested_trace_fits_without_scrolling_sideways(tmp_path, real_sandbox, size):
    app = make_app(tmp_path, sandbox=real_sandbox())
    async with app.run_test(size=size) as pilot:
        table = (await traced_in_sandbox(pilot, NESTED)).query_one(DataTable)
        region = table.scrollable_content_region.width
        assert table.virtual_size.width <= region, (table.virtual_size.width, region)
        keys = {column.key.value for column in table.columns.values()}
        assert {"#", "phase", "module", "shape", "norm", "zero"} <= keys, keys
        assert column_cells(table, "shape")[0].startswith("nested[16](")


async def test_a_warning_flags_its_own_row_only(tmp_path, real_sandbox):
    """The encoder's healthy "0" was flagged for the decoder's NaN; a backward warning flagged
    the forward rows of its module too."""
    app = make_app(tmp_path, sandbox=real_sandbox())
    async with app.run_test(size=(120, 40)) as pilot:
        table = (await traced_in_sandbox(pilot, TWO_ROOTS_NAN)).query_one(DataTable)
        modules = column_cells(table, "module")
        assert "⚠" not in modules[0] and "NaN/Inf" in modules[3], modules
    app = make_app(tmp_path, sandbox=real_sandbox())
    async with app.run_test(size=(120, 40)) as pilot:
        view = await traced_in_sandbox(pilot, DEAD_RELU)
        table = view.query_one(DataTable)
        phases, modules = column_cells(table, "phase"), column_cells(table, "module")
        flagged = [
            (phase, module) for phase, module in zip(phases, modules, strict=True) if "⚠" in module
        ]
        assert flagged == [("→ fwd", "1 ⚠"), ("← bwd", "0 ⚠")], flagged  # the type: its column


async def test_chinese_warnings_are_spaced_as_the_glossary_asks(tmp_path, real_sandbox):
    app = make_app(tmp_path, "zh", sandbox=real_sandbox())
    async with app.run_test(size=(120, 40)) as pilot:
        view = await traced_in_sandbox(pilot, "nn.Linear(2, 2)(torch.full((1, 2), float('nan')))")
        warnings = plain(view.query_one(".trace-warnings", Static).content).strip()
        # the NaN came with the input: the warning says so, not that Linear made it
        assert warnings == "⚠ Linear 的输入中已经有 NaN"
