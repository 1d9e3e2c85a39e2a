"""The one place that decides which colours the tutor's own drawings use under the app's theme.

Textual's theme colours what CSS styles (backgrounds, borders, ``$accent``), but the tutor also
draws Rich renderables with colours of its own: highlighted code, the failing line's mark, the
stats heatmap, the trace's phase arrows. Those were picked for a dark background, and under a
light theme monokai's near-white code vanished into the background. Every such colour is asked
for here, by whether the current theme is dark (:func:`styles_for`), never decided in a widget.

The dark styles are the ones the tutor always drew (its default theme is dark), but for what
read below 4.5:1 on a dark theme (the trace's magenta and red on its table, the code views'
line numbers) and the stats heatmap's faintest levels (below a graphic's 3:1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from textual.color import TRANSPARENT, WHITE, Color, ColorParseError
from textual.theme import Theme

if TYPE_CHECKING:
    from pygments.style import Style as PygmentsStyle

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


READABLE_LIGHT_EDITOR = "nn-tutor-light"
"""The light themes' ``TextArea`` theme: github_light with readable line numbers, registered on
each code editor (:func:`tutor.widgets.editor.readable_light_editor`)."""


@dataclass(frozen=True)
class Styles:
    """The colours the tutor draws with itself, for one kind of background."""

    syntax: str
    """Pygments style of Rich's ``Syntax`` (code views, the bug hunt's lines): a Pygments name,
    or :data:`READABLE_DEFAULT` (the tutor's own); :func:`syntax_theme` gives the style."""
    editor: str
    """``TextArea`` theme of the code editors."""
    error_line: str
    """The failing line's mark in a code view."""
    line_numbers: str
    """A code view's line numbers, on any ground the theme's code views have: Rich drew them
    dim, blended toward the ground, 2.9:1 on solarized-light and 4.3:1 on tokyo-night."""
    heat: tuple[str, str, str, str, str]
    """The stats heatmap's levels, from a day without reviews to the busiest, in its cells and
    in its legend's samples of them: each reads as a graphic's 3:1 on the theme's grounds."""
    forward: str
    """A trace row's forward-pass arrow."""
    backward: str
    """A trace row's backward-pass arrow."""
    alarm: str
    """A trace's NaN/Inf flag and the zeros bar of a dead layer (over 90% zeros)."""
    caution: str
    """A trace's ⚠ flag and the zeros bar of a layer over half zeros."""
    healthy: str
    """The zeros bar of a layer under half zeros."""
    stderr: str
    """A run's stderr lines (the run panel)."""
    fix: str
    """A missing line's fix, as Bug Hunt shows it after the line it must follow (on the
    code's own ground)."""
    right: str
    """A right answer's verdict ("Right!") and its cheer."""
    wrong: str
    """A wrong answer's verdict ("Not quite.") and what was right; a failure said in text (the
    progress that could not be read)."""
    code: str
    """Code's colour in the tutor's own text (a fix, a worked shape; inline code is
    :attr:`inline_code`)."""
    muted: str
    """Secondary text (a how-to line, a hint at the keys, a run's device and time): set apart,
    but not dimmed: the terminal's dim read 4.3:1 on tokyo-night, 2.9:1 on solarized-light."""

    @property
    def inline_code(self) -> str:
        """Inline code (a lesson's `` `code` `` spans, wherever drawn): bold, in :attr:`code`
        (the terminal's cyan read 3.3-4.0:1 on the light themes)."""
        return f"bold {self.code}"


def contrast(a: Color, b: Color) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: Color) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


READABLE = 4.5
"""The contrast (WCAG) text needs on its background."""

CODE_GROUNDS = ("#f7f7f7", "#ffe0e0")
"""What code is drawn on under a light theme: the terminal's default background as Textual
draws it for a light theme (its ANSI theme's), and a failing line's mark (``LIGHT.error_line``)."""


def _shaded(
    colour: Color, grounds_of: Callable[[Color], list[Color]], tries: int, *, lighter: bool = False
) -> Color:
    """``colour`` darkened (``lighter``: lightened) a step (0.02) at a time, ``tries`` steps at
    most, until it reads at :data:`READABLE` on each of ``grounds_of(colour)``: a function of
    the colour, so that a ground tinted with the text (a focused list's) follows it."""
    for _ in range(tries):
        if all(contrast(colour, ground) >= READABLE for ground in grounds_of(colour)):
            break
        colour = colour.lighten(0.02) if lighter else colour.darken(0.02)
    return colour


def readable_spec(spec: str, grounds: tuple[str, ...] = CODE_GROUNDS) -> str:
    """A Pygments style string with its text colour darkened until it reads at
    :data:`READABLE` on each of ``grounds`` (its ``bg:`` and ``border:`` colours are kept)."""
    behind = [Color.parse(ground) for ground in grounds]
    parts = []
    for part in spec.split():
        if part.startswith("#"):
            part = _shaded(Color.parse(part), lambda _: behind, 60).hex
        parts.append(part)
    return " ".join(parts)


READABLE_DEFAULT = "tutor-readable-default"
"""The name :attr:`Styles.syntax` gives :func:`readable_default_style`, built when first drawn:
Pygments' styles cost the start-up 2.5 ms, and the default theme is dark."""


@cache
def readable_default_style() -> type[PygmentsStyle]:
    """Pygments' default style with every token colour at :data:`READABLE` on light code
    grounds: its ``in``/``not``/``and`` (bold #AA22FF) read 4.47:1 in Bug Hunt's lines, its
    labels and entities less."""
    from pygments.styles.default import DefaultStyle

    styles = {token: readable_spec(spec) for token, spec in DefaultStyle.styles.items()}
    return type(
        "ReadableDefaultStyle", (DefaultStyle,), {"name": READABLE_DEFAULT, "styles": styles}
    )


def syntax_theme(styles: Styles) -> str | type[PygmentsStyle]:
    """The theme for Rich's ``Syntax`` that ``styles`` names (a Pygments style's name, or the
    tutor's own)."""
    return readable_default_style() if styles.syntax == READABLE_DEFAULT else styles.syntax


DARK = Styles(
    syntax="monokai",
    editor="monokai",
    error_line="bold on #5f0000",
    line_numbers="#a8a8a8",  # 5.2:1 on nord, the lightest dark ground
    # a graphic's 3:1 on every dark theme's background and surface (nord's surface the
    # lightest): a day without reviews in grey23 read 1.1-1.5:1, the faintest green 2.1-3.6:1
    heat=("grey58", "#3fa34d", "green3", "green1", "bold bright_green"),
    # the trace's colours read at 4.5:1 on every dark theme's table rows (nord's the lightest):
    # monokai's magenta and red (#f4005f) read 2.4:1 on nord, its orange 4.4:1
    forward="cyan",
    backward="#ff8cff",
    alarm="#ff9494",
    caution="#ffb060",
    healthy="green",
    # the terminal's yellow, as Textual's ANSI theme draws it (#fd971f): 4.6:1 on nord's
    # surface, where a run's output lies, the lightest; 5.3-6.7:1 on the others
    stderr="yellow",
    fix="bold green",
    # the terminal's red read 3.0-4.1:1 on the dark themes; its green reads
    right="green",
    wrong="#ff9494",
    code="cyan",
    muted="italic",
)

LIGHT = Styles(
    # Pygments' own default, black plain text, with its few faint token colours darkened
    syntax=READABLE_DEFAULT,
    editor=READABLE_LIGHT_EDITOR,
    error_line="bold on #ffe0e0",
    line_numbers="#585858",  # 5.4:1 on textual-light, the darkest light ground
    # greens darkening with the reviews, the faintest still 3:1 on every light theme
    heat=("#767676", "#2b803c", "#1f6b30", "#164f23", "bold #0b3314"),
    forward="#005f87",
    backward="#8700af",
    alarm="#af0000",
    # 4.9:1 on the course map's row under the mouse (its hover tint over a focused list's),
    # textual-light's the darkest: #6b4a00 read 4.1:1 there
    caution="#5c3f00",
    healthy="#176128",
    stderr="#6b4a00",
    fix="bold #176128",
    # the terminal's green and cyan read 3.2-4.0:1 on the light themes
    right="#176128",
    wrong="#af0000",
    code="#005f87",
    muted="italic",
)


TEXT_COLOURS = ("primary", "secondary", "accent", "warning", "error", "success")
"""A theme's colours the tutor's CSS writes text in (titles: ``$accent``; a hint: ``$warning``;
a run's value: ``$success``; Help's keys)."""


def readable_theme(theme: Theme, *, blurred_cursor: bool = True) -> Theme:
    """``theme`` with the colours the tutor writes text in read at :data:`READABLE`.

    The :data:`TEXT_COLOURS` and the body text's ``foreground`` are darkened (on a dark theme
    lightened) until they do on its background, surface and panel, a focused list's tinted
    surface and a list's row under the mouse (:func:`hover_tint`) included: textual-light's
    orange accent, every step's title, measured 1.49:1, solarized-light's grey body text 4.1:1
    in a focused list (3.8:1 under the mouse), tokyo-night's body text 4.2:1 and
    its accent 4.4:1 in the footer (on ``$panel``), nord's accent 3.6:1 on its surface. On any
    theme, a list's highlighted row gets a readable text colour, focused
    (:func:`_readable_cursor`) or not (:func:`readable_blurred_cursor`).

    With ``blurred_cursor`` false the blurred row's text is left as ``theme`` has it: only it
    needs Textual's whole colour system. The app makes each theme readable as it is first shown
    (see :meth:`tutor.app.TutorApp.validate_theme`)."""
    readable = _readable_text(theme)
    return readable_blurred_cursor(readable) if blurred_cursor else readable


FOOTER_COLOURS = ("foreground", "accent")
"""What the footer writes in (its descriptions, its keys), on ``$panel`` as Help's box is."""


def _readable_text(theme: Theme) -> Theme:
    """:func:`readable_theme` but for the blurred list row's text. A dark theme's ``$panel`` is
    far lighter than its background (nord's, gruvbox's): only the :data:`FOOTER_COLOURS` are
    held to it there, its other colours lightened to read on it would turn pastel (nord's red
    pink) where no text is written on it."""
    variables = _readable_footer(theme, _readable_cursor(theme))
    behind = [Color.parse(c) for c in (theme.background, theme.surface) if c]
    panel = [Color.parse(theme.panel)] if theme.panel else []
    surface = Color.parse(theme.surface) if theme.surface else None
    hover = hover_tint(theme)
    shaded: dict[str, str] = {}
    for name in (*TEXT_COLOURS, "foreground"):
        value = getattr(theme, name)
        if not value:
            continue
        grounds = [*behind, *panel] if not theme.dark or name in FOOTER_COLOURS else behind

        def tinted(text: Color, grounds: list[Color] = grounds) -> list[Color]:
            """The grounds, and each tinted with ``text`` as a focused list tints its surface
            (Textual's OptionList, 5%); and a list's row under the mouse, its :func:`hover_tint`
            over the list's surface, focused (tinted) or not."""
            focused = [ground.blend(text, 0.05) for ground in grounds]
            rows = [surface, surface.blend(text, 0.05)] if surface else []
            return [*grounds, *focused, *(row + hover for row in rows)]

        shaded[name] = _shaded(Color.parse(value), tinted, 40, lighter=theme.dark).hex
    return replace(theme, variables=variables, **shaded)


def hover_tint(theme: Theme) -> Color:
    """Textual's ``$block-hover-background`` under ``theme``: the tint over a list's row under
    the mouse (an ``OptionList``'s, a ``ListView``'s), worked out as Textual's colour system does
    it, which :func:`readable_theme` may not build: the theme's own, else its boost at 10%.
    Textual boosts only a dark theme without a ``$panel`` of its own (its ``boost``, else
    white); any other's boost is transparent, black at 10% once drawn: solarized-light's body
    text read 3.82:1 on the course map's row under the mouse."""
    own = theme.variables.get("block-hover-background", "")
    if _literal(own):
        return Color.parse(own)
    boost = TRANSPARENT
    if theme.dark and theme.panel is None:
        boost = Color.parse(theme.boost) if theme.boost else WHITE
    return boost.with_alpha(0.1)


def blurred_list_grounds(dark: bool) -> tuple[str, ...]:
    """What a list's rows lie on (Textual's colour names), on a dark theme or a light one: an
    ``OptionList``'s or ``ListView``'s own background (``$surface``), and the command palette's
    list, transparent on ``$surface``, on ``$panel-darken-1`` under a dark theme (it never takes
    the focus, so the command Enter runs is always drawn as a row without focus)."""
    return ("surface", "panel-darken-1") if dark else ("surface",)


def readable_blurred_cursor(theme: Theme) -> Theme:
    """``theme`` with the text of a list's highlighted row, while the list has no focus
    (``$block-cursor-blurred-foreground``), readable on the row over each ground
    of :func:`blurred_list_grounds`. Textual writes it in the body text on the primary colour at
    0.3, which read 3.3-4.4:1 on solarized-light, catppuccin-latte, tokyo-night and nord (Bug
    Hunt's lines once answered, a graded quiz's options, the palette's command). The row is
    kept, so that it stands apart from the other rows as much as Textual's does; the text is
    darkened (lightened on a dark theme) a step (0.02) at a time until it reads. A theme whose
    body text already reads, or that sets this colour itself, is kept. ``app.tcss`` makes
    Textual's ``OptionList`` use the colour (its last rule writes the row in ``$foreground``)."""
    if "block-cursor-blurred-foreground" in theme.variables:
        return theme
    colours = theme.to_color_system().generate()
    try:
        row = Color.parse(colours["block-cursor-blurred-background"])
        rows = [Color.parse(colours[name]) + row for name in blurred_list_grounds(theme.dark)]
        body = Color.parse(colours["foreground"])
    except (KeyError, ValueError):  # a variable naming another, or "auto": left to Textual
        return theme
    text = _shaded(body, lambda _: rows, 50, lighter=theme.dark)
    if text == body:
        return theme
    variables = {**theme.variables, "block-cursor-blurred-foreground": text.hex}
    return replace(theme, variables=variables)


FOOTER_TEXTS = ("footer-key-foreground", "footer-description-foreground", "footer-foreground")
"""The footer's text colours a theme may set (its keys, their words), on its
``$footer-background``."""


def _readable_footer(theme: Theme, variables: dict[str, str]) -> dict[str, str]:
    """``variables`` (``theme``'s) with the footer's text colours it sets readable on the
    footer's ground (its own, else ``$panel``): textual-light's keys read 2.9:1,
    solarized-light's words 3.4:1 (cream on its blue), nord's keys 4.3:1. Each text is shaded
    away from the ground (lighter on a darker ground); where one cannot get there (cream is
    nearly white already), the ground is shaded the other way until all do. A footer the theme
    leaves to Textual is written in the body text and accent on ``$panel``
    (:data:`FOOTER_COLOURS`)."""
    ground = variables.get("footer-background") or theme.panel or ""
    names = [name for name in FOOTER_TEXTS if _literal(variables.get(name, ""))]
    if not _literal(ground) or not names:
        return variables
    behind = Color.parse(ground)
    footer = dict(variables)
    texts = {}
    for name in names:
        text = Color.parse(variables[name])
        lighter = text.brightness > behind.brightness
        texts[name] = _shaded(text, lambda _: [behind], 50, lighter=lighter)
        footer[name] = texts[name].hex
    # a text at its end (white, black) still short of it: the ground, shaded away from them
    lighter_ground = all(text.brightness < behind.brightness for text in texts.values())
    footer["footer-background"] = _shaded(
        behind, lambda _: list(texts.values()), 50, lighter=lighter_ground
    ).hex
    return footer


def _literal(colour: str) -> bool:
    """Whether a theme variable's value is a colour of its own: not another's name (``$panel``),
    "auto", nor one with nothing to measure text against (fully transparent, the terminal's
    default colour: Textual parses both as black)."""
    if not colour or colour.startswith(("$", "auto")):
        return False
    try:
        parsed = Color.parse(colour)
    except ColorParseError:
        return False
    return parsed.a > 0 and parsed.ansi != -1


def _readable_cursor(theme: Theme) -> dict[str, str]:
    """``theme``'s variables with the text of a list's highlighted row made readable on the
    row's colour (``$block-cursor-background``, the primary colour unless set): gruvbox sets it
    to its cream body text, 2.4:1 on its sage primary. The text is then the theme's background
    or body text, whichever reads better. A theme that leaves it to Textual gets a contrasting
    text anyway, and is kept."""
    variables = dict(theme.variables)
    text = variables.get("block-cursor-foreground")
    row = variables.get("block-cursor-background", theme.primary)
    if not (_literal(text or "") and _literal(row or "")):
        return variables
    behind = Color.parse(row)
    if contrast(Color.parse(text), behind) < READABLE:
        choices = [Color.parse(c) for c in (theme.background, theme.foreground) if c]
        best = max(choices, key=lambda colour: contrast(colour, behind))
        variables["block-cursor-foreground"] = best.hex
    return variables


def styles_for(dark: bool) -> Styles:
    """The styles for a dark (``True``) or a light background."""
    return DARK if dark else LIGHT


def app_styles(app: Any) -> Styles:
    """The styles for ``app``'s current theme (a Textual ``App``)."""
    return styles_for(app.current_theme.dark)
