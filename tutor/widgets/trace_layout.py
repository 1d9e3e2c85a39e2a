"""Which of the trace table's columns fit a width, and how many cells its module cells get.

The table should never need a sideways scroll: the columns a learner reads first (where the
event is, its shape, its norm and zeros) stay, and what gives way, in order, is min and max,
then the module's type as a column of its own (it goes beside the name), then the module's
name and type themselves (clipped), then mean, then std.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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
COMPACT_BELOW = 120
"""The table width (cells) under which it never shows every column (see ``fit_layout``)."""
MODULE_CELLS = 16
"""The most cells of a module's name the compact table shows (twice that in the full one): a
longer one keeps its end, so a deep name does not push the stats out of an 80-column view."""
MODULE_MIN_CELLS = 18
"""The fewest cells a clipped module cell gets: below that, a stats column goes instead."""
PART_MIN_CELLS = 6
"""The fewest cells a module's name or type is clipped to while the other is longer."""
CELL_PADDING = 2
"""What ``DataTable`` adds to each column (one cell on each side)."""


@dataclass(frozen=True)
class ModuleCell:
    """What a row's module cell is made of, before it is fitted to a width."""

    name: str
    kind: str
    flag: Text | None = None
    """" NaN/Inf" or " ⚠", kept whole whatever the width."""

    def render(self, with_type: bool, cells: int | None) -> Text:
        """The cell: the name's end (at most ``cells`` in all, or its usual clip when None),
        then, ``with_type``, the type's start in dim, then the flag."""
        room = None if cells is None else cells - (self.flag.cell_len if self.flag else 0)
        name_cells = MODULE_CELLS if with_type else 2 * MODULE_CELLS
        name_cells = min(cell_len(self.name), name_cells)
        kind_cells = cell_len(self.kind) if with_type and self.kind != self.name else 0
        gap = 1 if self.name and kind_cells else 0
        if room is not None:
            name_cells, kind_cells = shrink_pair(name_cells, kind_cells, room - gap)
        text = Text(clip_left(self.name, name_cells))
        if kind_cells:
            text.append(" " * gap + clip_right(self.kind, kind_cells), style="dim")
        if self.flag:
            text.append_text(self.flag)
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
    """``first`` and ``second`` cut, the longer first, until they add up to ``room`` or both
    are down to ``PART_MIN_CELLS`` (one already shorter is not cut further)."""
    while first + second > max(room, 0):
        if first >= second and first > PART_MIN_CELLS:
            first -= 1
        elif second > PART_MIN_CELLS:
            second -= 1
        elif first > PART_MIN_CELLS:
            first -= 1
        else:
            break
    return first, second


def clip_left(name: str, cells: int) -> str:
    """``name`` in at most ``cells`` cells: its end, after "…", when it is longer (the end of a
    module's dotted name says most: ``…projection.dropout``)."""
    if cell_len(name) <= cells:
        return name
    kept = name
    while kept and cell_len(kept) > cells - 1:
        kept = kept[1:]
    return "…" + kept


def clip_right(text: str, cells: int) -> str:
    """``text`` in at most ``cells`` cells: its start, then "…", when it is longer (a type's
    start names it: ``Multihead…``)."""
    if cell_len(text) <= cells:
        return text
    kept = text
    while kept and cell_len(kept) > cells - 1:
        kept = kept[:-1]
    return kept + "…"


def _width(cell: str | Text) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(cell)


def _column_cells(header: str, cells: Iterable[str | Text]) -> int:
    return max([cell_len(header), *(_width(cell) for cell in cells)]) + CELL_PADDING


def fit_layout(
    rows: list[Mapping[str, Any]],
    modules: list[ModuleCell],
    headers: Mapping[str, str],
    width: int,
) -> TraceLayout:
    """The richest layout of ``rows`` (cells by column, the module's aside) whose columns add up
    to at most ``width`` cells; the leanest one, its module cells at their minimum, when none
    does. Every column is only as wide as its header or its widest cell."""
    widths = {
        column: _column_cells(headers[column], (row[column] for row in rows))
        for column in COLUMNS
        if column != "module"
    }

    def module_column(with_type: bool) -> int:
        return _column_cells(headers["module"], (m.render(with_type, None) for m in modules))

    full = sum(widths[c] for c in COLUMNS if c != "module") + module_column(False)
    if width >= COMPACT_BELOW and full <= width:
        return TraceLayout(COLUMNS)
    natural = module_column(True)
    for columns in LEANER_COLUMNS:
        room = width - sum(widths[c] for c in columns if c != "module")
        if natural <= room:
            return TraceLayout(columns)
        if room - CELL_PADDING >= MODULE_MIN_CELLS:
            return TraceLayout(columns, room - CELL_PADDING)
    return TraceLayout(LEANER_COLUMNS[-1], MODULE_MIN_CELLS)
