"""The darkened colours of the light themes and of the readable Pygments style, pinned as they
were when ``readable_spec`` and ``readable_theme`` each had their own darkening loop (now one
helper): a change to these values is a change of behaviour, not a tidy-up."""

from __future__ import annotations

import pytest
from pygments.styles.default import DefaultStyle
from textual.app import App
from textual.color import Color

from tutor.theme_styles import TEXT_COLOURS, readable_default_style, readable_theme

LIGHT_TEXT = {
    "textual-light": ("#004578", "#004698", "#7B3800", "#7B3800", "#900538", "#005514", None),
    "solarized-light": (
        "#005696",
        "#005C56",
        "#424E9A",
        "#9A2000",
        "#AB000C",
        "#435B00",
        "#3F555B",
    ),
    "catppuccin-latte": (
        "#6517D1",
        "#883C30",
        "#A30A00",
        "#844200",
        "#A8001B",
        "#005E00",
        "#4C4F69",
    ),
}
"""Each light theme's :data:`TEXT_COLOURS` then ``foreground``, as :func:`readable_theme` gives:
darker once they were held to a list's row under the mouse too (its hover tint), a contrast of
1.2-1.3:1 from what they were on solarized-light, 1.1-1.2:1 on textual-light (not its primary)."""

READABLE_TOKENS = {
    "Token.Text.Whitespace": "#646464",
    "Token.Comment": "italic #316F70",
    "Token.Comment.Preproc": "noitalic #905B00",
    "Token.Keyword": "bold #007400",
    "Token.Operator.Word": "bold #9C08F3",
    "Token.Name.Builtin": "#007400",
    "Token.Name.Exception": "bold #BD332E",
    "Token.Name.Label": "#6A6C00",
    "Token.Name.Entity": "bold #676767",
    "Token.Name.Attribute": "#5C6D16",
    "Token.Name.Tag": "bold #007400",
    "Token.Name.Decorator": "#9C08F3",
    "Token.Literal.String.Interpol": "bold #984F6C",
    "Token.Literal.String.Escape": "bold #9E5313",
    "Token.Literal.String.Regex": "#984F6C",
    "Token.Literal.String.Other": "#007400",
    "Token.Generic.Inserted": "#007800",
    "Token.Generic.Error": "#CF0000",
    "Token.Generic.Output": "#676767",
    "Token.Generic.Traceback": "#0044DD",
}
"""The token styles :func:`readable_default_style` changed from Pygments' default style."""


@pytest.mark.parametrize("name", sorted(LIGHT_TEXT))
def test_a_light_themes_text_colours_are_darkened_as_before(name):
    theme = readable_theme(App().get_theme(name))
    assert tuple(getattr(theme, n) for n in (*TEXT_COLOURS, "foreground")) == LIGHT_TEXT[name]


def test_the_readable_default_styles_tokens_are_darkened_as_before():
    styles = readable_default_style().styles
    changed = {str(k): v for k, v in styles.items() if DefaultStyle.styles[k] != v}
    assert changed == READABLE_TOKENS


@pytest.mark.parametrize(
    "row", ["transparent", "rgba(0,0,0,0)", "ansi_default", "$panel", "auto 80%"]
)
def test_a_highlighted_rows_text_is_kept_where_the_row_has_no_colour_of_its_own(row):
    """A row that is another variable, "auto", transparent or the terminal's default has
    nothing to measure the text against: the theme's text is kept (the row's look is Textual's
    to work out)."""
    from textual.theme import Theme

    theme = Theme(
        name="rowless",
        primary="#88C0D0",
        variables={"block-cursor-foreground": "#111111", "block-cursor-background": row},
    )
    kept = readable_theme(theme, blurred_cursor=False)
    assert kept.variables["block-cursor-foreground"] == "#111111"


def test_a_highlighted_rows_unreadable_text_is_replaced_on_a_row_of_its_own_colour():
    from textual.theme import Theme

    from tutor.theme_styles import READABLE, contrast

    theme = Theme(
        name="sage",
        primary="#689D6A",
        background="#282828",
        foreground="#EBDBB2",
        variables={"block-cursor-foreground": "#EBDBB2", "block-cursor-background": "#689D6A"},
    )
    text = readable_theme(theme, blurred_cursor=False).variables["block-cursor-foreground"]
    assert contrast(Color.parse(text), Color.parse("#689D6A")) >= READABLE
