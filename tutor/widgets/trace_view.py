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
from tutor.sandbox_messages import learners_words, warning_message
from tutor.trace_text import shape_text, stat_text
from tutor.widgets.trace_layout import (
    COLUMNS,
    ModuleCell,
    TraceLayout,
    fit_layout,
    measure_columns,
)


def zero_bar(frac: Any, width: int = 5) -> Text:
    if not isinstance(frac, (int, float)) or math.isnan(frac):
        return Text("–")
    filled = round(width * max(0.0, min(1.0, float(frac))))
    style = "red" if frac > 0.9 else ("yellow" if frac > 0.5 else "green")
    text = Text("█" * filled, style=style)
    text.append("░" * (width - filled), style="dim")
    text.append(f" {round(100 * frac):>3}%")
    return text


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
TRACE_WIDE_KINDS = frozenset({"truncated", "trace_failed", "no_modules"})
"""Warnings about the whole trace, not a module: their empty ``module`` is not the root's."""


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
        self._rows: list[dict[str, Any]] = []
        self._modules: list[ModuleCell] = []
        self._headers: dict[str, str] = {}
        self._widths: dict[str, int] = {}
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
                lines.append(f"⚠ {warning_message(warning, lang)}\n")
            yield Static(lines, classes="trace-warnings")

    def on_mount(self) -> None:
        if not self.events:
            return
        flagged = {w.get("module") for w in self.warnings if w.get("kind") not in TRACE_WIDE_KINDS}
        self._rows = [self._cells(i, e, self.lang) for i, e in enumerate(self.events, start=1)]
        self._modules = [self._module(event, flagged) for event in self.events]
        self._headers = {column: tr(f"trace.col.{column}", self.lang) for column in COLUMNS}
        self._widths = measure_columns(self._rows, self._modules, self._headers)
        # Laid out before its first resize: the width it will have is its parent's.
        parent = self.parent
        width = parent.content_region.width if isinstance(parent, Widget) else 0
        self._show(width or self.app.size.width)

    def on_resize(self) -> None:
        if self.events and self.content_region.width:
            self._show(self.content_region.width)

    def _show(self, width: int) -> None:
        """Fills the table with the columns that fit ``width`` cells, if they changed."""
        table = self.query_one(DataTable)
        if len(self.events) > TABLE_ROWS:
            width -= table.styles.scrollbar_size_vertical  # the rows will scroll
        layout = fit_layout(self._widths, width)
        if layout == self._layout:
            return
        self._layout = layout
        table.clear(columns=True)
        for column in layout.columns:
            table.add_column(self._headers[column], key=column)
        rendered: dict[ModuleCell, Text] = {}  # a trace repeats its modules: render each once
        for row, module in zip(self._rows, self._modules, strict=True):
            if module not in rendered:
                rendered[module] = module.render(layout.with_type, layout.module_cells)
            cells = dict(row, module=rendered[module])
            table.add_row(*(cells[column] for column in layout.columns))

    @staticmethod
    def _module(event: dict[str, Any], flagged: set[Any]) -> ModuleCell:
        """A row's module cell: its name, its type, and what is wrong with it, if anything."""
        flag = ""
        if event.get("has_nan") or event.get("has_inf"):
            flag = " NaN/Inf"
        elif event.get("module") in flagged:
            flag = " ⚠"
        name, kind = (learners_words(event.get(key, "")) for key in ("module", "type"))
        return ModuleCell(name, kind, flag)

    @staticmethod
    def _cells(index: int, event: dict[str, Any], lang: Any) -> dict[str, Any]:
        """A row's cells by column, all but the module's (its width depends on the layout)."""
        forward = event.get("phase", "") == "forward"
        arrow = Text(
            tr(f"trace.phase.{'forward' if forward else 'backward'}", lang),
            style="cyan" if forward else "magenta",
        )
        cells: dict[str, Any] = {
            "#": str(index),
            "phase": arrow,
            "type": Text(learners_words(event.get("type", ""))),  # a Text: never markup
            "shape": shape_text(event.get("shape")),
            "zero": zero_bar(event.get("zero_frac")),
        }
        for stat in ("mean", "std", "min", "max", "norm"):
            cells[stat] = stat_text(event.get(stat))
        return cells
