"""A run's trace as a table's rows, with the columns that fit a width: what the tutor's trace view
and ``nn-tutor run --trace`` both show, each in its own kind of table."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from rich.console import JustifyMethod
from rich.text import Text

from tutor.i18n import tr
from tutor.sandbox_messages import learners_words, warning_message, worded_warning
from tutor.theme_styles import Styles
from tutor.trace_layout import (
    COLUMNS,
    NAN_FLAG,
    ModuleCell,
    TraceLayout,
    fit_layout,
    measure_columns,
)
from tutor.trace_text import shape_text, stat_text

TRACE_WIDE_KINDS = frozenset({"truncated", "trace_failed", "no_modules", "stopped_before_modules"})
"""Warnings about the whole trace, not a module: their empty ``module`` is not the root's."""

NUMBER_COLUMNS = frozenset({"#", "mean", "std", "min", "max", "norm", "zero"})
"""The columns whose cells are numbers, set flush right."""


def justify(column: str) -> JustifyMethod:
    """How ``column``'s header and cells are set, in the TUI's table and ``run --trace``'s
    alike: numbers flush right, so their points and exponents line up; words flush left."""
    return "right" if column in NUMBER_COLUMNS else "left"


def justified(cell: str | Text, column: str) -> Text:
    """``cell`` set as :func:`justify` says (a copy of a Text: never change the caller's)."""
    text = cell.copy() if isinstance(cell, Text) else Text(cell)
    text.justify = justify(column)
    return text


def zero_bar(frac: Any, width: int = 5, *, styles: Styles) -> Text:
    """The share of zeros as a bar and a percentage (a dead ReLU's in ``styles.alarm``).

    Only the bar's filled part is coloured: the rest and the percentage are in the table's own
    colour (a Text's base style would colour, and dim, every piece appended to it)."""
    if not isinstance(frac, (int, float)) or math.isnan(frac):
        return Text("–")
    filled = round(width * max(0.0, min(1.0, float(frac))))
    style = styles.alarm if frac > 0.9 else (styles.caution if frac > 0.5 else styles.healthy)
    text = Text()
    text.append("█" * filled, style=style)
    text.append("░" * (width - filled))  # a sparse glyph: lighter than █ without dimming
    text.append(f" {round(100 * frac):>3}%")
    return text


def flag_style(flag: str, styles: Styles) -> str:
    """The style of a module cell's ``flag`` (see :func:`module_cell`) in
    ``styles``' colours: the NaN/Inf flag bold in the alarm colour, ⚠ in the caution one."""
    if flag == NAN_FLAG:
        return f"bold {styles.alarm}"
    return styles.caution if flag.strip() else ""


WARNED_EVENTS: dict[str, Callable[[Mapping[str, Any]], bool]] = {
    **dict.fromkeys(("nan", "nan_input", "nan_grad"), lambda event: bool(event.get("has_nan"))),
    **dict.fromkeys(("inf", "inf_input", "inf_grad"), lambda event: bool(event.get("has_inf"))),
    "no_stats": lambda event: event.get("mean") is None,
    **dict.fromkeys(("dead_relu_grad", "no_gradient"), lambda event: event.get("norm") == 0),
}
"""What the event a warning of these kinds is about has (its params do not say it)."""


def warned_event(warning: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> int | None:
    """The index of the event ``warning`` is about: the first of its module, phase and type whose
    numbers are those the warning gives (its type, a gradient's norm, a ReLU's zeros) and that
    has what :data:`WARNED_EVENTS` says; ``None`` for a warning about no event (a forward that
    raised, the whole trace).

    The tracer's warnings carry no event index: matched by name alone, two roots of one class
    (an encoder's and a decoder's "0") were flagged together, and a backward's warning flagged
    the module's forward rows too."""
    if warning.get("kind") in TRACE_WIDE_KINDS or warning.get("kind") == "forward_error":
        return None  # a forward that raised returned nothing: it has no row
    params = warning.get("params")
    params = params if isinstance(params, Mapping) else {}
    about = WARNED_EVENTS.get(str(warning.get("kind")), lambda event: True)
    for index, event in enumerate(events):
        if (
            event.get("module") == warning.get("module")
            and event.get("phase") == warning.get("phase")
            and all(event[key] == value for key, value in params.items() if key in event)
            and about(event)
        ):
            return index
    return None


def module_cell(event: Mapping[str, Any], warned: bool) -> ModuleCell:
    """A row's module cell: its name, its type, and what is wrong with it, if anything (a NaN or
    Inf in it, or a warning about it: ``warned``, see :func:`warned_event`)."""
    flag = ""
    if event.get("has_nan") or event.get("has_inf"):
        flag = NAN_FLAG
    elif warned:
        flag = " ⚠"
    name, kind = (learners_words(event.get(key, "")) for key in ("module", "type"))
    return ModuleCell(name, kind, flag)


def warning_line(warning: Mapping[str, Any], lang: Any) -> str:
    """A warning as the trace shows it under its table, in the TUI and in ``run --trace`` alike:
    its message in ``lang`` after a warning sign (its ``kind`` is an id, not words).

    A forward's failure that is the run's error (``is_run_error``) points at that error rather
    than say its message: the run's error line says it, and torch's are long."""
    params = warning.get("params")
    if (
        warning.get("kind") == "forward_error"
        and isinstance(params, Mapping)
        and params.get("is_run_error") is True
    ):
        worded = worded_warning({**warning, "kind": "forward_error.run_error"}, lang)
        if worded is not None:
            return f"⚠ {learners_words(worded)}"
    return f"⚠ {warning_message(warning, lang)}"


def _cells(index: int, event: dict[str, Any], lang: Any, styles: Styles) -> dict[str, Any]:
    """A row's cells by column, all but the module's (its width depends on the layout)."""
    forward = event.get("phase", "") == "forward"
    arrow = Text(
        tr(f"trace.phase.{'forward' if forward else 'backward'}", lang),
        style=styles.forward if forward else styles.backward,
    )
    cells: dict[str, Any] = {
        "#": str(index),
        "phase": arrow,
        "type": Text(learners_words(event.get("type", ""))),  # a Text: never markup
        "shape": shape_text(event.get("shape")),
        "zero": zero_bar(event.get("zero_frac"), styles=styles),
    }
    for stat in ("mean", "std", "min", "max", "norm"):
        cells[stat] = stat_text(event.get(stat))
    return {column: justified(cell, column) for column, cell in cells.items()}


class TraceTable:
    """A trace's rows, measured once; :meth:`layout` picks the columns for a width (see
    :func:`~tutor.trace_layout.fit_layout`) and :meth:`rows` gives their cells."""

    def __init__(
        self,
        events: list[dict[str, Any]],
        warnings: list[dict[str, Any]],
        lang: Any,
        *,
        styles: Styles,
    ) -> None:
        """``styles``: the colours for the background it is drawn on (the TUI's theme's:
        :func:`tutor.theme_styles.app_styles`; a terminal's, as ``run --trace`` prints it)."""
        warned = {warned_event(warning, events) for warning in warnings}
        self.cells = [_cells(i, e, lang, styles) for i, e in enumerate(events, start=1)]
        self.styles = styles
        self.modules = [module_cell(event, i in warned) for i, event in enumerate(events)]
        self.headers = {column: tr(f"trace.col.{column}", lang) for column in COLUMNS}
        self.widths = measure_columns(self.cells, self.modules, self.headers)

    def layout(self, width: int) -> TraceLayout:
        return fit_layout(self.widths, width)

    def header(self, column: str) -> Text:
        """``column``'s header, set as its cells are."""
        return justified(self.headers[column], column)

    def rows(self, layout: TraceLayout) -> Iterator[list[Text]]:
        """Each row's cells, in ``layout``'s columns, each set as :func:`justify` says (once,
        as the cells were made: setting them per layout copied every cell again)."""
        rendered: dict[ModuleCell, Text] = {}  # a trace repeats its modules: render each once
        for row, module in zip(self.cells, self.modules, strict=True):
            if module not in rendered:
                rendered[module] = module.render(
                    layout.with_type, layout.module_cells, flag_style(module.flag, self.styles)
                )
            cells = dict(row, module=rendered[module])
            yield [cells[column] for column in layout.columns]
