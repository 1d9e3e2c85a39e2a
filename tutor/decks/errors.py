"""The one error type every deck problem becomes: one line, naming file, line, column and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class DeckError:
    file: Path
    line: int  # 1-based
    column: int  # 1-based
    path: str  # the field path, e.g. ``steps[3].options[1].why``; "" for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        path, message = one_line(self.path), one_line(self.message)
        return f"{where}: {path}: {message}" if path else f"{where}: {message}"

    def to_json(self) -> dict[str, str | int]:
        """The error's parts, for ``--json`` reports: a script should not split the one line
        again (a path may hold ``:``, a message ``: ``)."""
        return {
            "file": str(self.file),
            "line": self.line,
            "column": self.column,
            "field": self.path,
            "message": self.message,
        }


def one_line(text: str) -> str:
    """``text`` with characters that would break or hide in a one-line message (a newline in a
    key the author typed, a tab) written as escapes: ``"a\\nb"``."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
