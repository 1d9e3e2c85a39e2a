"""A hanging indent for Rich text: a mark in a column of its own, the body wrapping beside it."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text


class Hanging(Table):
    """The grid ``hanging`` builds, which reads back as one line of words: ``str()`` gives the
    mark and the body's plain text, as the ``Text`` label it replaces did (an option's prompt
    read as words, where a bare table would give its class name)."""

    words: str = ""

    def __str__(self) -> str:
        return self.words


def hanging(mark: str | Text, body: Text, *, width: int) -> Hanging:
    """``mark`` in a column ``width`` cells wide, ``body`` wrapping beside it, so its wrapped
    lines start under its first (a list entry that stays one entry to the eye)."""
    table = Hanging.grid(padding=(0, 1, 0, 0))
    table.add_column(width=width, no_wrap=True)
    table.add_column(ratio=1, overflow="fold")  # CJK text has no spaces to break at
    table.add_row(mark, body)
    table.words = f"{mark if isinstance(mark, str) else mark.plain} {body.plain}"
    return table
