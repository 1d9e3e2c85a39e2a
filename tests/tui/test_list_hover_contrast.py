"""A list's row under the mouse reads at 4.5:1 (WCAG) on every theme the tutor offers, the list
focused or not: Textual tints the row (``$block-hover-background``, over a focused list's own
tint), and solarized-light's body text (the course map's lesson title, its "10/10 · 5 min")
read 3.82:1 there focused, 4.10:1 blurred. :func:`~tutor.theme_styles.hover_tint` works that
tint out as Textual does, for :func:`~tutor.theme_styles.readable_theme` to shade the text."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from tests.tui.conftest import themed_app, unreadable
from tests.tui.test_caution_text_contrast import OpenChecksLearning, course_map_rows
from tutor.theme_styles import THEMES, hover_tint, readable_theme


@pytest.mark.parametrize("theme", THEMES)
def test_the_hover_tint_is_the_one_textual_draws(theme) -> None:
    for offered in (BUILTIN_THEMES[theme], readable_theme(BUILTIN_THEMES[theme])):
        drawn = offered.to_color_system().generate()["block-hover-background"]
        assert hover_tint(offered).hex == Color.parse(drawn).hex, theme


@pytest.mark.parametrize("theme", THEMES)
async def test_the_course_maps_row_under_the_mouse_reads_on_every_theme(tmp_path, theme) -> None:
    """Every piece of the list, the hovered row's "still to pass" count among them
    (textual-light's caution read 4.1:1 there), focused and blurred."""
    async with themed_app(tmp_path, theme, learning=OpenChecksLearning()) as pilot:
        await course_map_rows(pilot, theme)
        lessons = pilot.app.screen.query_one("#lessons")
        lessons.highlighted = 1  # the row under the mouse is the first, not the highlighted one
        await pilot.hover(lessons, offset=(10, 1))
        await pilot.pause()
        assert lessons._mouse_hovering_over == 0
        low = []
        for focused in (True, False):
            pilot.app.set_focus(lessons if focused else None)
            await pilot.pause()
            low += unreadable(lessons, f"{theme} ({'focused' if focused else 'blurred'})")
        assert not low, "\n".join(low)
