"""The sandbox's output panel is a Tab stop. Its focus showed only as an 8% background tint,
which NO_COLOR (and a 16-colour terminal) draws as nothing: it now shows the bar down its left
edge that a lesson's step scroll shows, a glyph that needs no colour."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.geometry import Region

from tests.tui.conftest import make_app, open_with_key
from tutor.screens.sandbox_screen import SandboxScreen

BAR = "▌"  # the left edge of an `outer` border


def left_edge(panel: VerticalScroll) -> str:
    """The characters down the panel's first column, as drawn."""
    size = panel.size
    strips = panel.render_lines(Region(0, 0, size.width, size.height))
    return "".join(strip.crop(0, 1).text for strip in strips)


async def test_the_focused_output_panel_shows_a_bar_without_colour(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with_key(pilot, "s", SandboxScreen)
        panel = app.screen.query_one("#sb-output", VerticalScroll)
        assert BAR not in left_edge(panel)  # not focused: no bar
        await pilot.press("escape")  # out of the editor, where Tab indents
        for _ in range(12):  # Tab along the screen's stops to the output panel
            if app.focused is panel:
                break
            await pilot.press("tab")
            await pilot.pause()
        assert app.focused is panel
        await pilot.pause()
        edge = left_edge(panel)
        assert edge and set(edge) == {BAR}, repr(edge)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_bar_takes_the_padding_so_the_output_does_not_move(tmp_path, lang):
    app = make_app(tmp_path, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_with_key(pilot, "s", SandboxScreen)
        panel = app.screen.query_one("#sb-output", VerticalScroll)
        before = panel.content_region
        panel.focus()
        await pilot.pause()
        assert app.focused is panel
        assert panel.content_region == before
