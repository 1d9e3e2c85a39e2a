"""The one place that decides which colours the tutor's own drawings use under the app's theme.

Textual's theme colours what CSS styles (backgrounds, borders, ``$accent``), but the tutor also
draws Rich renderables with colours of its own: highlighted code, the failing line's mark, the
stats heatmap, the trace's phase arrows. Those were picked for a dark background, and under a
light theme monokai's near-white code vanished into the background. Every such colour is asked
for here, by whether the current theme is dark (:func:`styles_for`), never decided in a widget.

The dark styles are the ones the tutor always drew (its default theme is dark), so nothing a
dark theme shows changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from textual.color import Color
from textual.theme import Theme

DEFAULT_THEME = "tokyo-night"
"""The theme the tutor starts in until the learner picks another."""

THEMES: tuple[str, ...] = (
    "tokyo-night",
    "nord",
    "gruvbox",
    "dracula",
    "textual-light",
    "solarized-light",
    "catppuccin-latte",
)
"""Textual's built-in themes the palette offers, dark ones then light ones: those whose colours
the tutor's drawings were checked against (:data:`DARK`, :data:`LIGHT`)."""


@dataclass(frozen=True)
class Styles:
    """The colours the tutor draws with itself, for one kind of background."""

    syntax: str
    """Pygments style of Rich's ``Syntax`` (code views, the bug hunt's lines)."""
    editor: str
    """``TextArea`` theme of the code editors."""
    error_line: str
    """The failing line's mark in a code view."""
    heat: tuple[str, str, str, str, str]
    """The stats heatmap's levels, from a day without reviews to the busiest."""
    heat_legend: tuple[str, str, str, str, str]
    """The heatmap legend's samples of those levels. Dimmed with the legend's words on a dark
    background, as they always were; dimming fades a light theme's faintest below 3:1."""
    forward: str
    """A trace row's forward-pass arrow."""
    backward: str
    """A trace row's backward-pass arrow."""
    stderr: str
    """A run's stderr lines (the run panel)."""


DARK = Styles(
    syntax="monokai",
    editor="monokai",
    error_line="bold on #5f0000",
    heat=("grey23", "green4", "green3", "green1", "bold bright_green"),
    heat_legend=("dim grey23", "dim green4", "dim green3", "dim green1", "dim bold bright_green"),
    forward="cyan",
    backward="magenta",
    stderr="yellow",
)

LIGHT = Styles(
    # Pygments' own default: black plain text, its token colours 4.5:1 on light code backgrounds
    syntax="default",
    editor="github_light",
    error_line="bold on #ffe0e0",
    # greens darkening with the reviews, the faintest still 3:1 on every light theme
    heat=("#767676", "#2b803c", "#1f6b30", "#164f23", "bold #0b3314"),
    heat_legend=("#767676", "#2b803c", "#1f6b30", "#164f23", "bold #0b3314"),
    forward="#005f87",
    backward="#8700af",
    stderr="#6b4a00",
)


TEXT_COLOURS = ("primary", "secondary", "accent", "warning", "error", "success")
"""A theme's colours the tutor's CSS writes text in (titles: ``$accent``; a hint: ``$warning``;
a run's value: ``$success``; Help's keys)."""

READABLE = 4.5
"""The contrast (WCAG) text needs on its background."""


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: Color) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_theme(theme: Theme) -> Theme:
    """``theme`` with the colours the tutor writes text in (:data:`TEXT_COLOURS`) darkened, for
    a light theme, until they read at :data:`READABLE` on its background, surface and panel:
    textual-light's orange accent, every step's title, measured 1.49:1. A dark theme is kept
    as it is (its colours are the tutor's own)."""
    if theme.dark:
        return theme
    grounds = [Color.parse(c) for c in (theme.background, theme.surface, theme.panel) if c]
    darker: dict[str, str] = {}
    for name in TEXT_COLOURS:
        value = getattr(theme, name)
        if not value:
            continue
        colour = Color.parse(value)
        for _ in range(40):
            if all(contrast(colour, ground) >= READABLE for ground in grounds):
                break
            colour = colour.darken(0.02)
        darker[name] = colour.hex
    return replace(theme, **darker)


def styles_for(dark: bool) -> Styles:
    """The styles for a dark (``True``) or a light background."""
    return DARK if dark else LIGHT


def app_styles(app: Any) -> Styles:
    """The styles for ``app``'s current theme (a Textual ``App``)."""
    return styles_for(app.current_theme.dark)


def known_theme(name: str | None, app: Any) -> str | None:
    """``name`` when ``app`` has a theme of that name (a saved choice, ``TEXTUAL_THEME``), else
    ``None``: a theme a newer Textual dropped, or a typo, falls back rather than crash."""
    if name and isinstance(name, str) and app.get_theme(name) is not None:
        return name
    return None
