"""Inline Markdown (``code``, **bold**, *italic*) as Rich text, for labels and options."""

from __future__ import annotations

import re

from rich.text import Text

_TOKEN = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*")


_CODE = re.compile(r"`([^`]+)`()()")


def inline(
    markdown: str, style: str = "", *, emphasis: bool = True, code_style: str = "bold cyan"
) -> Text:
    """``markdown``'s inline marks as Rich text; with ``emphasis`` off only its code spans (a
    check's message: ``x * 2 * y`` is maths, not italics). Code spans are in ``code_style``
    (cyan reads below 4.5:1 on the light themes: pass the theme's, ``Styles.code``)."""
    text = Text(style=style)
    pos = 0
    for match in (_TOKEN if emphasis else _CODE).finditer(markdown):
        text.append(markdown[pos : match.start()])
        code, bold, italic = match.groups()
        if code is not None:
            text.append(code, style=code_style)
        elif bold is not None:
            text.append(bold, style="bold")
        else:
            text.append(italic, style="italic")
        pos = match.end()
    text.append(markdown[pos:])
    return text
