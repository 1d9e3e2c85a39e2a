"""A hanging indent for Rich text: a mark in a column of its own, the body wrapping beside it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text


def hanging(mark: str | Text, body: Text, *, width: int) -> Table:
    """``mark`` in a column ``width`` cells wide, ``body`` wrapping beside it, so its wrapped
    lines start under its first (a list entry that stays one entry to the eye)."""
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(width=width, no_wrap=True)
    table.add_column(ratio=1, overflow="fold")  # CJK text has no spaces to break at
    table.add_row(mark, body)
    return table
