"""The hook trace of a run: sparklines of activation and gradient norms, a table, warnings."""

from __future__ import annotations

import math
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Sparkline, Static

from tutor.i18n import tr
from tutor.sandbox_messages import warning_message


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value == 0:
            return "0"
        if abs(value) >= 1e4 or abs(value) < 1e-3:
            return f"{value:.2e}"
        return f"{value:.3f}"
    return str(value)


def shape_text(shape: Any) -> str:
    if shape is None:
        return "–"
    if isinstance(shape, (list, tuple)):
        if shape and isinstance(shape[0], (list, tuple)):
            return " ".join(shape_text(s) for s in shape)
        if len(shape) == 1:
            return f"({shape[0]},)"  # as Python writes a 1-tuple, and the lessons a 1-D shape
        return "(" + ", ".join(str(d) for d in shape) + ")"
    return str(shape)


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


COLUMNS = ("#", "phase", "module", "type", "shape", "mean", "std", "min", "max", "norm", "zero")
COMPACT_COLUMNS = ("#", "phase", "module", "shape", "mean", "std", "norm", "zero")
COMPACT_BELOW = 120
"""Terminal width under which the trace table drops columns (see ``TraceView.on_mount``)."""
MODULE_CELLS = 16
"""The most cells of a module's name the compact table shows (twice that in the full one): a
longer one keeps its end, so a deep name does not push the stats out of an 80-column view."""
TRACE_WIDE_KINDS = frozenset({"truncated", "trace_failed", "no_modules"})
"""Warnings about the whole trace, not a module: their empty ``module`` is not the root's."""


def clip_left(name: str, cells: int) -> str:
    """``name`` in at most ``cells`` cells: its end, after "…", when it is longer (the end of a
    module's dotted name says most: ``…projection.dropout``)."""
    if cell_len(name) <= cells:
        return name
    kept = name
    while kept and cell_len(kept) > cells - 1:
        kept = kept[1:]
    return "…" + kept


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
    TraceView DataTable { height: auto; max-height: 14; }
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
            for warning in self.warnings:
                module = warning.get("module", "?")
                where = f"{module}: " if module else ""
                lines.append(f"⚠ {where}{warning_message(warning, lang)}\n")
            yield Static(lines, classes="trace-warnings")

    def on_mount(self) -> None:
        if not self.events:
            return
        table = self.query_one(DataTable)
        # Every column needs about 95 cells; narrower, keep what matters most so the table fits
        # without scrolling sideways: the module's type goes beside its name, min and max go.
        compact = self.app.size.width < COMPACT_BELOW
        columns = COMPACT_COLUMNS if compact else COLUMNS
        for column in columns:
            table.add_column(tr(f"trace.col.{column}", self.lang), key=column)
        flagged = {w.get("module") for w in self.warnings if w.get("kind") not in TRACE_WIDE_KINDS}
        for index, event in enumerate(self.events, start=1):
            cells = self._cells(index, event, flagged, compact, self.lang)
            table.add_row(*(cells[column] for column in columns))

    @staticmethod
    def _cells(
        index: int, event: dict[str, Any], flagged: set[Any], compact: bool, lang: Any
    ) -> dict:
        forward = event.get("phase", "") == "forward"
        arrow = Text(
            tr(f"trace.phase.{'forward' if forward else 'backward'}", lang),
            style="cyan" if forward else "magenta",
        )
        name, kind = str(event.get("module", "")), str(event.get("type", ""))
        module = Text(clip_left(name, MODULE_CELLS if compact else 2 * MODULE_CELLS))
        if compact and kind != name:
            module.append(f" {kind}" if name else kind, style="dim")
        if event.get("has_nan") or event.get("has_inf"):
            module.append(" NaN/Inf", style="bold red")
        elif event.get("module") in flagged:
            module.append(" ⚠", style="yellow")
        cells: dict[str, Any] = {
            "#": str(index),
            "phase": arrow,
            "module": module,
            "type": kind,
            "shape": shape_text(event.get("shape")),
            "zero": zero_bar(event.get("zero_frac")),
        }
        for stat in ("mean", "std", "min", "max", "norm"):
            cells[stat] = fmt(event.get(stat))
        return cells
