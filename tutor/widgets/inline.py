"""Inline Markdown (``code``, **bold**, *italic*) as Rich text, for labels and options."""

from __future__ import annotations

import re

from rich.text import Text

_TOKEN = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*")


_CODE = re.compile(r"`([^`]+)`()()")


def inline(markdown: str, style: str = "", *, emphasis: bool = True) -> Text:
    """``markdown``'s inline marks as Rich text; with ``emphasis`` off only its code spans (a
    check's message: ``x * 2 * y`` is maths, not italics)."""
    text = Text(style=style)
    pos = 0
    for match in (_TOKEN if emphasis else _CODE).finditer(markdown):
        text.append(markdown[pos : match.start()])
        code, bold, italic = match.groups()
        if code is not None:
            text.append(code, style="bold cyan")
        elif bold is not None:
            text.append(bold, style="bold")
        else:
            text.append(italic, style="italic")
        pos = match.end()
    text.append(markdown[pos:])
    return text
