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
    """``▰▰▰▱▱▱`` style bar."""
    filled = 0 if total <= 0 else round(width * min(done, total) / total)
    text = Text()
    text.append("▰" * filled, style="green")
    text.append("▱" * (width - filled), style="dim")
    return text
