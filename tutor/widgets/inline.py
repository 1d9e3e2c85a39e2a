"""Inline Markdown (``code``, **bold**, *italic*) as Rich text, for labels and options."""

from __future__ import annotations

import re

from rich.text import Text

_TOKEN = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*")


_CODE = re.compile(r"`([^`]+)`()()")


def inline(markdown: str, style: str = "", *, code_style: str, emphasis: bool = True) -> Text:
    """``markdown``'s inline marks as Rich text; with ``emphasis`` off only its code spans (a
    check's message: ``x * 2 * y`` is maths, not italics). Code spans are in ``code_style``,
    which every caller names: the theme's (:attr:`tutor.theme_styles.Styles.inline_code`; a
    default cyan read below 4.5:1 on the light themes), or a list row's own colour."""
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
