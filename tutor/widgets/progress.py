"""Small helpers for showing progress as text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text


def attr(obj: Any, name: str, default: Any = None) -> Any:
    """``obj.name`` or ``obj[name]`` (progress objects may be dataclasses or dicts)."""
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def completed(progress: Any) -> bool:
    """Whether a lesson's progress (dataclass, dict or ``None``) says it is finished."""
    return bool(attr(progress, "completed", False))


def waiting_prerequisites(lesson: Any, progress_of: Callable[[str], Any]) -> list[str]:
    """The ids of ``lesson``'s prerequisites not finished yet (its 🔒 on the course map)."""
    return [p for p in lesson.prerequisites if not completed(progress_of(p))]


def progress_bar(done: int, total: int, width: int = 10) -> Text:
    """``▰▰▰▱▱▱`` style bar, told apart by the glyphs' shapes alone, both in the text colour
    of the line they are on: that one reads on every theme and on a list's highlighted row. A
    green ▰ read 1.2-1.9:1 on a highlighted row (2.4:1 on textual-light's plain one) and a
    dimmed ▱ 2.6:1 on solarized-light, under the 3:1 a graphic needs (WCAG 1.4.11)."""
    filled = 0 if total <= 0 else round(width * min(done, total) / total)
    return Text("▰" * filled + "▱" * (width - filled))
