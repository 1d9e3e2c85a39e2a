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
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": str(self.file),
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }
