"""The hook trace of a run: sparklines of activation and gradient norms, a table, warnings."""

from __future__ import annotations

import math
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Sparkline, Static

from tutor.i18n import tr
from tutor.trace_layout import TraceLayout
from tutor.trace_table import TraceTable, warning_line


def _norms(events: list[dict[str, Any]], phase: str) -> list[float]:
    """The norms of ``phase``'s events, a missing one as 0 (a NaN or Inf comes as ``None``);
    none at all when not one event has a norm (a shapes-only trace has no trend to draw)."""
    norms = [event.get("norm") for event in events if event.get("phase") == phase]
    if not any(isinstance(norm, (int, float)) for norm in norms):
        return []
    return [
        float(norm) if isinstance(norm, (int, float)) and math.isfinite(norm) else 0.0
        for norm in norms
    ]


TABLE_ROWS = 13
"""The rows the table shows before it scrolls (its ``max-height`` less the header)."""


class TraceView(Vertical):
    """Shows ``RunResult.trace`` (a list of event dicts) and ``trace_warnings``."""

    DEFAULT_CSS = """
    TraceView {
        height: auto;
        margin-top: 1;
    }
    TraceView .trace-title { text-style: bold; }
    TraceView .spark-row { height: 3; }
    TraceView .spark-label { width: 22; color: $text-muted; }
    TraceView Sparkline { width: 1fr; height: 3; }
    TraceView DataTable { height: auto; max-height: 14; }  /* TABLE_ROWS and a header */
    TraceView .trace-warnings { color: $warning; height: auto; }
    """

    def __init__(
        self,
        events: list[dict[str, Any]],
        warnings: list[dict[str, Any]] | None = None,
        truncated: bool = False,
        lang: Any = "en",
    ) -> None:
        super().__init__(classes="trace")
        self.events = events
        self.warnings = warnings or []
        self.truncated = truncated
        self.lang = lang
        self._table: TraceTable | None = None
        self._layout: TraceLayout | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        title = f"🔬 {tr('trace.title', lang, count=len(self.events))}"
        if self.truncated:
            title += f" · {tr('trace.truncated', lang)}"
        yield Static(title, classes="trace-title")
        forward, backward = _norms(self.events, "forward"), _norms(self.events, "backward")
        if len(forward) > 1:
            with Horizontal(classes="spark-row"):
                yield Static(tr("trace.forward_norms", lang), classes="spark-label")
                yield Sparkline(forward, summary_function=max)
        if len(backward) > 1:
            with Horizontal(classes="spark-row"):
                yield Static(tr("trace.backward_norms", lang), classes="spark-label")
                yield Sparkline(list(reversed(backward)), summary_function=max)
        if self.events:  # without any, the warnings say why (a forward failed, no module)
            yield DataTable(zebra_stripes=True, cursor_type="row", show_cursor=False)
        if self.warnings:
            lines = Text()
            for warning in self.warnings:  # each names its module itself, if it has one
                lines.append(warning_line(warning, lang) + "\n")
            yield Static(lines, classes="trace-warnings")

    def on_mount(self) -> None:
        if not self.events:
            return
        self._table = TraceTable(self.events, self.warnings, self.lang)
        # Laid out before its first resize: the width it will have is its parent's.
        parent = self.parent
        width = parent.content_region.width if isinstance(parent, Widget) else 0
        self._show(width or self.app.size.width)

    def on_resize(self) -> None:
        if self.events and self.content_region.width:
            self._show(self.content_region.width)

    def _show(self, width: int) -> None:
        """Fills the table with the columns that fit ``width`` cells, if they changed."""
        table, trace = self.query_one(DataTable), self._table
        if trace is None:
            return
        if len(self.events) > TABLE_ROWS:
            width -= table.styles.scrollbar_size_vertical  # the rows will scroll
        layout = trace.layout(width)
        if layout == self._layout:
            return
        self._layout = layout
        table.clear(columns=True)
        for column in layout.columns:
            table.add_column(trace.headers[column], key=column)
        for cells in trace.rows(layout):
            table.add_row(*cells)
