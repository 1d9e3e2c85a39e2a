"""NO_COLOR: the tutor's coloured words stay readable when Textual draws them grey."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual._ansi_theme import MONOKAI
from textual.color import Color

from tutor.no_color import READABLE_GREY, readable_in_grey

from .conftest import make_app


def drawn_grey(app, style: str) -> int:
    """The grey a text of ``style`` ends as on screen, through the app's filters."""
    segments = [Segment("Not quite.", Style.parse(style))]
    for line_filter in app._filters:
        segments = line_filter.apply(segments, Color(0, 0, 0))
    return Color.from_rich_color(segments[0].style.color).r


def test_a_wrong_answers_red_is_readable_under_no_color(tmp_path, monkeypatch):
    """Monokai's red turned grey 59 on the dark theme's grey 28 (1.5:1): "Not quite." and a
    trace's NaN flag all but vanished for a learner with NO_COLOR set (QA)."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path, "en")
    for style in ("bold red", "red", "magenta", "blue"):
        assert drawn_grey(app, style) >= READABLE_GREY, style


def test_colours_are_untouched_without_no_color(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(tmp_path, "en")
    assert app.ansi_theme_dark is MONOKAI


def test_the_palette_keeps_its_hues_and_its_black_and_white():
    readable = readable_in_grey(MONOKAI)
    for index, (old, new) in enumerate(zip(MONOKAI.ansi_colors, readable.ansi_colors, strict=True)):
        if index in (0, 7, 8, 15):
            assert tuple(new) == tuple(old)
            continue
        assert Color(*tuple(new)).monochrome.r >= READABLE_GREY
        assert abs(Color(*tuple(new)).hsl.h - Color(*tuple(old)).hsl.h) < 0.02  # red stays red
