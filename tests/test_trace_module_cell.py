"""How a trace table draws a row's module cell (pinned before lr3 item 1 moved the styling into
``ModuleCell.render``): the type beside the name in italic, never dim (dimmed, it read 2.7:1 on
solarized-light), and the flag in the table's own alarm or caution colour."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text

from tutor.theme_styles import DARK, LIGHT, Styles
from tutor.trace_layout import COMPACT_COLUMNS, TraceLayout
from tutor.trace_table import TraceTable

EVENTS: list[dict[str, Any]] = [
    {"phase": "forward", "module": "0", "type": "Linear", "shape": [2, 4], "mean": 0.5},
    {"phase": "forward", "module": "1", "type": "ReLU", "shape": [2, 4], "mean": 0.1},
    {"phase": "forward", "module": "2", "type": "Tanh", "shape": [2, 4], "has_nan": True},
]
WARNINGS: list[dict[str, Any]] = [{"kind": "dead_relu", "phase": "forward", "module": "1"}]


def styles_of(text: Text) -> list[Style]:
    """The style each character of ``text`` is drawn in, its spans combined as Rich does."""
    console = Console()
    return [text.get_style_at_offset(console, offset) for offset in range(len(text))]


@pytest.mark.parametrize("styles", [DARK, LIGHT])
def test_a_module_cell_is_drawn_in_the_tables_colours(styles: Styles) -> None:
    table = TraceTable(EVENTS, WARNINGS, "en", styles=styles)
    layout = TraceLayout(COMPACT_COLUMNS)  # the type beside the name
    assert layout.with_type
    module = layout.columns.index("module")
    cells = [row[module] for row in table.rows(layout)]
    assert [cell.plain for cell in cells] == ["0 Linear", "1 ReLU ⚠", "2 Tanh NaN/Inf"]
    for cell in cells:
        drawn = styles_of(cell)
        assert drawn[0] == Style()  # the name: the table's own colour
        assert all(not style.dim for style in drawn)
    kind = styles_of(cells[0])[2:]
    assert kind == [Style(italic=True)] * len("Linear")
    warned = styles_of(cells[1])
    assert warned[2:6] == [Style(italic=True)] * 4
    assert warned[-1] == Style.parse(styles.caution)
    nan = styles_of(cells[2])
    assert nan[-len("NaN/Inf") :] == [Style.parse(f"bold {styles.alarm}")] * len("NaN/Inf")
