"""Where in its deck file a field's code begins (what a line inside the code counts from)."""

from __future__ import annotations

from typing import Any


def code_start(lines: list[str], owner: Any, name: str) -> int:
    """The file line of the first line of ``owner``'s code field ``name`` (``lines``: the
    file's): the line after ``code: |`` for a block, the field's own line for inline code."""
    line, column = owner.position(name)
    text = lines[line - 1][column - 1 :] if 0 < line <= len(lines) else ""
    words = text.split()
    while words and words[0][:1] in ("&", "!"):  # an anchor or a tag comes before `|`
        words.pop(0)
    return line + 1 if words and words[0][:1] in ("|", ">") else line
