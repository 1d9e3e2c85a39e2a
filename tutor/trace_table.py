"""A run's trace as a table's rows, with the columns that fit a width: what the tutor's trace view
and ``nn-tutor run --trace`` both show, each in its own kind of table."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from rich.text import Text

from tutor.i18n import tr
from tutor.sandbox_messages import learners_words
from tutor.trace_layout import COLUMNS, ModuleCell, TraceLayout, fit_layout, measure_columns
from tutor.trace_text import shape_text, stat_text

TRACE_WIDE_KINDS = frozenset({"truncated", "trace_failed", "no_modules"})
"""Warnings about the whole trace, not a module: their empty ``module`` is not the root's."""

NUMBER_COLUMNS = frozenset({"#", "mean", "std", "min", "max", "norm", "zero"})
"""The columns whose cells are numbers, set flush right."""


def zero_bar(frac: Any, width: int = 5) -> Text:
    """The share of zeros as a bar and a percentage (a dead ReLU's is red)."""
    if not isinstance(frac, (int, float)) or math.isnan(frac):
        return Text("–")
    filled = round(width * max(0.0, min(1.0, float(frac))))
    style = "red" if frac > 0.9 else ("yellow" if frac > 0.5 else "green")
    text = Text("█" * filled, style=style)
    text.append("░" * (width - filled), style="dim")
    text.append(f" {round(100 * frac):>3}%")
    return text


def module_cell(event: dict[str, Any], flagged: set[Any]) -> ModuleCell:
    """A row's module cell: its name, its type, and what is wrong with it, if anything (a NaN or
    Inf in it, or a warning naming its module, of those ``flagged``)."""
    flag = ""
    if event.get("has_nan") or event.get("has_inf"):
        flag = " NaN/Inf"
    elif event.get("module") in flagged:
        flag = " ⚠"
    name, kind = (learners_words(event.get(key, "")) for key in ("module", "type"))
    return ModuleCell(name, kind, flag)


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


class TraceTable:
    """A trace's rows, measured once; :meth:`layout` picks the columns for a width (see
    :func:`~tutor.trace_layout.fit_layout`) and :meth:`rows` gives their cells."""

    def __init__(
        self, events: list[dict[str, Any]], warnings: list[dict[str, Any]], lang: Any
    ) -> None:
        flagged = {w.get("module") for w in warnings if w.get("kind") not in TRACE_WIDE_KINDS}
        self.cells = [_cells(i, e, lang) for i, e in enumerate(events, start=1)]
        self.modules = [module_cell(event, flagged) for event in events]
        self.headers = {column: tr(f"trace.col.{column}", lang) for column in COLUMNS}
        self.widths = measure_columns(self.cells, self.modules, self.headers)

    def layout(self, width: int) -> TraceLayout:
        return fit_layout(self.widths, width)

    def rows(self, layout: TraceLayout) -> Iterator[list[str | Text]]:
        """Each row's cells, in ``layout``'s columns."""
        rendered: dict[ModuleCell, Text] = {}  # a trace repeats its modules: render each once
        for row, module in zip(self.cells, self.modules, strict=True):
            if module not in rendered:
                rendered[module] = module.render(layout.with_type, layout.module_cells)
            cells = dict(row, module=rendered[module])
            yield [cells[column] for column in layout.columns]
