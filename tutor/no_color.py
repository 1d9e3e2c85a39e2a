"""ANSI colours that stay readable when ``NO_COLOR`` turns the screen grey.

With ``NO_COLOR`` set, Textual draws every colour as the grey of its brightness. The tutor's
feedback uses the terminal's named colours ("red" for a wrong answer, a NaN in a trace), which
Textual maps to its Monokai palette: its red (244, 0, 95) turns grey 59, on a background of
grey 28 — a contrast of 1.5:1, "Not quite." all but invisible. Under ``NO_COLOR`` the palette's
colours are lightened until their grey is light enough to read on the dark theme.
"""

from __future__ import annotations

from rich.terminal_theme import TerminalTheme
from textual.color import WHITE, Color

READABLE_GREY = 150
"""The least brightness (0-255) a colour keeps as grey: about 5:1 on the dark theme's
background, over the 4.5:1 WCAG asks of text."""

_NEUTRAL = {0, 7, 8, 15}
"""Black, white and their bright forms: left as they are (a lighter black is no black)."""


def readable_in_grey(theme: TerminalTheme) -> TerminalTheme:
    """``theme`` with each of its colours (not black nor white) lightened, its hue kept, until
    its grey is at least :data:`READABLE_GREY`."""
    colours = [
        _lightened(tuple(c)) if i not in _NEUTRAL else tuple(c)
        for i, c in enumerate(theme.ansi_colors)
    ]
    return TerminalTheme(
        tuple(theme.background_color),
        tuple(theme.foreground_color),
        colours[:8],
        colours[8:],
    )


def _lightened(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    colour = Color(*rgb)
    for step in range(21):
        lighter = colour.blend(WHITE, step / 20)
        if lighter.monochrome.r >= READABLE_GREY:
            return lighter.rgb
    return WHITE.rgb
