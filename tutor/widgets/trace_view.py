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
from tutor.theme_styles import Styles, app_styles
from tutor.trace_layout import NAN_FLAG, TraceLayout
from tutor.trace_table import TraceTable, flag_style, warning_line


def _backward_passes(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The backward events, pass by pass: a pass ends where a forward of the root module (the
    last forward event before the first backward: a call records its output after its
    children's) comes before the next backward event, as in a training loop's next step. The
    forwards gradient checkpointing runs again inside a backward are of checkpointed layers, not
    the root: they do not split it. Two backwards with no forward between (``retain_graph``)
    read as one pass."""
    root = None
    for event in events:
        if event.get("phase") == "backward":
            break
        root = event.get("module")
    passes: list[list[dict[str, Any]]] = []
    new_pass = True
    for event in events:
        if event.get("phase") != "backward":
            new_pass = new_pass or event.get("module") == root
            continue
        if new_pass:
            passes.append([])
            new_pass = False
        passes[-1].append(event)
    return passes


def _norm(event: dict[str, Any]) -> float:
    """An event's norm; ``inf`` where it has a NaN or an Inf (its norm then comes as ``None``),
    0 where it has none (no stats)."""
    norm = event.get("norm")
    if event.get("has_nan") or event.get("has_inf"):
        return math.inf
    if isinstance(norm, (int, float)):
        return float(norm) if math.isfinite(norm) else math.inf
    return 0.0


def _has_finite_norm(event: dict[str, Any]) -> bool:
    """Whether ``event`` has a norm to scale by: neither a missing one nor a NaN or Inf."""
    return isinstance(event.get("norm"), (int, float)) and math.isfinite(_norm(event))


def _norms(events: list[dict[str, Any]], phase: str) -> list[float]:
    """The norms of ``phase``'s events in the order they are drawn, left to right: forward ones
    as they came; backward ones pass by pass in time order, each pass reversed so its layers go
    input to output as the forward's do (reversing them all ran a training loop backwards: its
    falling gradients climbed). A NaN or Inf is ``inf``. None at all when not one event has a
    finite norm (a shapes-only trace has no trend to draw)."""
    if phase == "backward":
        ordered = [e for done in _backward_passes(events) for e in reversed(done)]
    else:
        ordered = [e for e in events if e.get("phase") == phase]
    if not any(_has_finite_norm(event) for event in ordered):
        return []
    return [_norm(event) for event in ordered]


def _bars(norms: list[float]) -> list[float]:
    """``norms`` as the sparkline draws them: a NaN or Inf as a bar above the highest finite
    one, the top of the scale, never the bottom (drawn as 0 it read as a vanishing gradient when
    it is one that blew up); the finite ones scaled among themselves."""
    finite = [n for n in norms if math.isfinite(n)]
    top, low = max(finite), min(finite)
    over = top + ((top - low) or abs(top) or 1.0) / 8  # a notch above: the highest finite is not it
    return [n if math.isfinite(n) else over for n in norms]


def _spark_label(key_text: str, norms: list[float], styles: Styles) -> Text:
    """A sparkline's label, and under it the table's NaN/Inf flag when it draws one (in the
    table's colour for it: ``styles``, the theme's)."""
    label = Text(key_text)
    if not all(math.isfinite(n) for n in norms):
        label.append("\n" + NAN_FLAG.strip(), style=flag_style(NAN_FLAG, styles))
    return label


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
    /* the theme's text colour for its panel: the body text read 4.2:1 on tokyo-night's */
    TraceView DataTable > .datatable--header { color: $text; }
    /* A Tab stop (it scrolls): focused, the bar a lesson's step shows down its left edge, a
       glyph that needs no colour (a tint alone is lost under NO_COLOR); the edge is kept
       blank otherwise, so focus does not move the columns. */
    TraceView DataTable { border-left: blank; }
    TraceView DataTable:focus { border-left: outer $accent; }
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
        # walked once: a theme change draws the labels again from them
        self._norms = {phase: _norms(events, phase) for phase in ("forward", "backward")}

    def compose(self) -> ComposeResult:
        lang = self.lang
        title = f"🔬 {tr('trace.title', lang, count=len(self.events))}"
        if self.truncated:
            title += f" · {tr('trace.truncated', lang)}"
        yield Static(title, classes="trace-title")
        styles = app_styles(self.app)
        for phase, norms in self._norms.items():
            if len(norms) > 1:
                with Horizontal(classes="spark-row"):
                    yield Static(
                        self._spark_text(phase, styles), classes=f"spark-label spark-{phase}"
                    )
                    yield Sparkline(_bars(norms), summary_function=max)
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
        self._table = TraceTable(self.events, self.warnings, self.lang, styles=app_styles(self.app))
        # Laid out before its first resize: the width it will have is its parent's.
        parent = self.parent
        width = parent.content_region.width if isinstance(parent, Widget) else 0
        self._show(width or self.app.size.width)

    def on_resize(self) -> None:
        if self.events and self.content_region.width:
            self._show(self.content_region.width)

    def theme_changed(self) -> None:
        """The rows' arrows and flags, and the sparklines' NaN/Inf flags, drawn again in the new
        theme's colours (:mod:`tutor.theme_styles`)."""
        styles = app_styles(self.app)
        for phase in self._norms:
            for label in self.query(f".spark-{phase}").results(Static):
                label.update(self._spark_text(phase, styles))
        if self._table is None:
            return
        self._table = TraceTable(self.events, self.warnings, self.lang, styles=styles)
        self._layout = None
        self._show(self.content_region.width or self.app.size.width)

    def _spark_text(self, phase: str, styles: Styles) -> Text:
        """``phase``'s sparkline's label, in ``styles``' colours."""
        if phase == "forward":
            key_text = tr("trace.forward_norms", self.lang)
        else:
            key_text = tr("trace.backward_norms", self.lang)
        return _spark_label(key_text, self._norms[phase], styles)

    def _show(self, width: int) -> None:
        """Fills the table with the columns that fit ``width`` cells, if they changed."""
        table, trace = self.query_one(DataTable), self._table
        if trace is None:
            return
        width -= table.styles.gutter.width  # its focus edge
        if len(self.events) > TABLE_ROWS:
            width -= table.styles.scrollbar_size_vertical  # the rows will scroll
        layout = trace.layout(width)
        if layout == self._layout:
            return
        self._layout = layout
        table.clear(columns=True)
        for column in layout.columns:
            table.add_column(trace.header(column), key=column)
        for cells in trace.rows(layout):
            table.add_row(*cells)
