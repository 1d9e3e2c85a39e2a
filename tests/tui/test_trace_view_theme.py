"""A trace view drawn again for a new theme (pinned before lr3 item 7 shared the sparklines'
labels between ``compose`` and ``theme_changed``): the labels' NaN/Inf flag, and the table's,
take the new theme's colours; the labels' words and norms stay."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable, Static

from tests.tui.conftest import TRACE
from tests.tui.test_sandbox_screen_qa import TraceHost
from tutor.theme_styles import DARK, LIGHT, Styles
from tutor.trace_layout import NAN_FLAG
from tutor.trace_table import flag_style
from tutor.widgets.trace_view import TraceView


def event(phase: str, module: str, norm: float | None, **more: Any) -> dict[str, Any]:
    return dict(TRACE[0], phase=phase, module=module, type="Linear", norm=norm, **more)


EVENTS = [
    event("forward", "0", 3.0),
    event("forward", "1", 5.0),
    event("backward", "1", None, has_nan=True),
    event("backward", "0", 0.5),
]


def labels(view: TraceView) -> list[Text]:
    found = [label.content for label in view.query(".spark-label").results(Static)]
    assert all(isinstance(label, Text) for label in found), found
    return found  # type: ignore[return-value]


def nan_styles(view: TraceView) -> tuple[list[str], str]:
    """The style of each label's NaN/Inf span, and of the table's NaN/Inf flag."""
    spans = [str(span.style) for label in labels(view) for span in label.spans]
    table = view.query_one(DataTable)
    cell = next(
        table.get_row_at(row)[table.get_column_index("module")]
        for row in range(table.row_count)
        if str(table.get_row_at(row)[table.get_column_index("module")]).endswith("NaN/Inf")
    )
    return spans, str(cell.spans[-1].style)


def expected(styles: Styles) -> tuple[list[str], str]:
    return [flag_style(NAN_FLAG, styles)], flag_style(NAN_FLAG, styles)


async def test_a_theme_change_draws_the_nan_flags_in_its_colours() -> None:
    app = TraceHost(TraceView(EVENTS, lang="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "textual-dark"
        await pilot.pause()
        view = app.view
        words = [label.plain for label in labels(view)]
        assert words == ["activation norm ‖y‖", "gradient norm ‖∂L/∂y‖\nNaN/Inf"], words
        assert nan_styles(view) == expected(DARK)
        app.theme = "textual-light"
        view.theme_changed()
        await pilot.pause()
        assert [label.plain for label in labels(view)] == words
        assert nan_styles(view) == expected(LIGHT)
        app.theme = "textual-dark"
        view.theme_changed()
        await pilot.pause()
        assert nan_styles(view) == expected(DARK)
