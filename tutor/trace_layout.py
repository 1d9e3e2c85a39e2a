"""Which of the trace table's columns fit a width, and how many cells its module cells get.

The table should never need a sideways scroll: the columns a learner reads first (where the
event is, its shape, its norm and zeros) stay, and what gives way, in order, is min and max,
then the module's type as a column of its own (it goes beside the name), then the module's
name and type themselves (clipped), then mean, then std.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from rich.cells import cell_len
from rich.text import Text

COLUMNS = ("#", "phase", "module", "type", "shape", "mean", "std", "min", "max", "norm", "zero")
COMPACT_COLUMNS = ("#", "phase", "module", "shape", "mean", "std", "norm", "zero")
LEANER_COLUMNS = (
    COMPACT_COLUMNS,
    tuple(c for c in COMPACT_COLUMNS if c != "mean"),
    tuple(c for c in COMPACT_COLUMNS if c not in ("mean", "std")),
)
"""The compact layouts, richest first."""
MODULE_CELLS = 16
"""The most cells of a module's name the compact table shows beside its type (twice that in the
full one, or alone): a longer one keeps its end, so a deep name does not push the stats out of
an 80-column view."""
MODULE_MIN_CELLS = 18
"""The fewest cells a clipped module cell gets: below that, a stats column goes instead."""
PART_MIN_CELLS = 6
"""The fewest cells a module's name or type is clipped to while the other is longer."""
CELL_PADDING = 2
"""What ``DataTable`` adds to each column (one cell on each side)."""


NAN_FLAG = " NaN/Inf"
"""The flag of a row, or a sparkline, with a NaN or an Inf in it."""


@dataclass(frozen=True)
class ModuleCell:
    """What a row's module cell is made of, before it is fitted to a width (hashable: a trace
    repeats its modules, so a table renders each distinct cell once)."""

    name: str
    kind: str
    flag: str = ""
    """:data:`NAN_FLAG`, " ⚠" or none, kept whole whatever the width."""

    def _parts(self, with_type: bool, cells: int | None) -> tuple[int, int, int]:
        """Cells of the name's end, of the gap and of the type's start."""
        kind_cells = cell_len(self.kind) if with_type and self.kind != self.name else 0
        # the name's tighter cap leaves the type beside it room; a name alone (a root's, its
        # type's own) gets the column's, as in the full table: "TransformerEncoder" whole
        name_cells = min(cell_len(self.name), MODULE_CELLS if kind_cells else 2 * MODULE_CELLS)
        gap = 1 if self.name and kind_cells else 0
        if cells is not None:
            room = cells - cell_len(self.flag) - gap
            name_cells, kind_cells = shrink_pair(name_cells, kind_cells, room)
        return name_cells, gap, kind_cells

    def width(self, with_type: bool) -> int:
        """The cells :meth:`render` takes at its usual clip (``cells`` None)."""
        return sum(self._parts(with_type, None)) + cell_len(self.flag)

    def render(self, with_type: bool, cells: int | None, flag_style: str = "") -> Text:
        """The cell: the name's end (at most ``cells`` in all, or its usual clip when None),
        then, ``with_type``, the type's start in italic, then the flag in ``flag_style`` (the
        table's colours: :func:`tutor.trace_table.flag_style`).

        The type is set apart in italic rather than dim: dimmed, it read 2.7:1 on
        solarized-light."""
        name_cells, gap, kind_cells = self._parts(with_type, cells)
        text = Text(clip_name(self.name, name_cells))
        if kind_cells:
            text.append(" " * gap + clip(self.kind, kind_cells, keep="start"), style="italic")
        if self.flag:
            text.append(self.flag, style=flag_style)
        return text


@dataclass(frozen=True)
class TraceLayout:
    """The columns to show, and the module cells' width (None: their usual width)."""

    columns: tuple[str, ...]
    module_cells: int | None = None

    @property
    def with_type(self) -> bool:
        """Whether the module's type goes beside its name (it has no column of its own)."""
        return "type" not in self.columns


def shrink_pair(first: int, second: int, room: int) -> tuple[int, int]:
    """A name's cells (``first``) and its type's (``second``) cut until they add up to ``room``
    or both are down to ``PART_MIN_CELLS`` (one already shorter is not cut further): the type
    first, since rows of one type tell apart by their names' ends (``layers.0.self_attn`` and
    ``layers.1.self_attn``); cut evenly, both lost their index."""
    excess = first + second - max(room, 0)
    for_second = max(0, min(excess, second - PART_MIN_CELLS))
    second -= for_second
    first -= max(0, min(excess - for_second, first - PART_MIN_CELLS))
    return first, second


def clip(text: str, cells: int, *, keep: Literal["start", "end"]) -> str:
    """``text`` in at most ``cells`` cells, when it is longer: its start then "…" (a type's
    start names it: ``Multihead…``) or "…" then its end (the end of a module's dotted name says
    most: ``…projection.dropout``)."""
    if cell_len(text) <= cells:
        return text
    kept = text
    while kept and cell_len(kept) > cells - 1:
        kept = kept[:-1] if keep == "start" else kept[1:]
    return kept + "…" if keep == "start" else "…" + kept


INDEX = re.compile(r"(?:^|(?<=\.))(\d+)\.")
"""An index in a dotted module name (``layers.0.``): what tells apart the modules a container
repeats."""
NAME_END_CELLS = 4
"""The fewest cells of a name's end kept beside its index, when both cannot be kept whole."""


def clip_name(name: str, cells: int) -> str:
    """A module's dotted name in at most ``cells`` cells: its end (:func:`clip`), or, where
    that would drop the name's last index, "…", the index and the end cut to fit
    (``…0.…_attn``): the index is what tells the rows of ``layers.0`` and ``layers.1`` apart."""
    clipped = clip(name, cells, keep="end")
    indices = list(INDEX.finditer(name))
    if clipped == name or not indices:
        return clipped
    index = indices[-1]
    if cell_len(name[index.start(1) :]) <= cells - 1:
        return clipped  # the end kept holds the index already
    head = "…" + index.group(1) + "."
    rest = name[index.end() :]
    if cells - cell_len(head) < NAME_END_CELLS + 1:
        return clipped
    return head + clip(rest, cells - cell_len(head), keep="end")


def _width(cell: str | Text) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)


def _column_cells(header: str, cells: Iterable[str | Text]) -> int:
    return max([cell_len(header), *(_width(cell) for cell in cells)]) + CELL_PADDING


TYPED_MODULE = "module+type"
"""The key of ``measure_columns``'s width for the module column with the type beside the name."""
LEAST_MODULE = "module, least"
"""The key of its least width: every cell's name and type at their floors, and its flag whole."""


def measure_columns(
    rows: list[Mapping[str, Any]], modules: list[ModuleCell], headers: Mapping[str, str]
) -> dict[str, int]:
    """Every column's width in cells, padding included, as wide as its header or its widest
    cell: the cells by column in ``rows`` (the module's aside), the module column's from
    ``modules``, both without the type (key "module") and with it (:data:`TYPED_MODULE`)."""
    widths = {
        column: _column_cells(headers[column], (row[column] for row in rows))
        for column in COLUMNS
        if column != "module"
    }
    distinct = set(modules)
    header = cell_len(headers["module"])
    widths["module"] = max([header, *(m.width(False) for m in distinct)]) + CELL_PADDING
    widths[TYPED_MODULE] = max([header, *(m.width(True) for m in distinct)]) + CELL_PADDING
    widths[LEAST_MODULE] = max([MODULE_MIN_CELLS, *(m.render(True, 0).cell_len for m in distinct)])
    return widths


def fit_layout(widths: Mapping[str, int], width: int) -> TraceLayout:
    """The richest layout whose columns (:func:`measure_columns`) add up to at most ``width``
    cells; the leanest one, its module cells at their least, when none does."""
    if sum(widths[c] for c in COLUMNS) <= width:  # the full table, whenever it fits its space
        return TraceLayout(COLUMNS)
    for columns in LEANER_COLUMNS:
        room = width - sum(widths[c] for c in columns if c != "module")
        if widths[TYPED_MODULE] <= room:
            return TraceLayout(columns)
        if room - CELL_PADDING >= widths[LEAST_MODULE]:
            return TraceLayout(columns, room - CELL_PADDING)
    return TraceLayout(LEANER_COLUMNS[-1], widths[LEAST_MODULE])
