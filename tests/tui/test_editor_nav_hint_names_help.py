"""In an exercise's editor ``?`` is typed (it is code), and F1 opens Help: the line under the
editor names f1 with the keys that move on, on one row of an 80-column terminal in either
language, and of a 60-column one (on the lesson's last step too, whose words are the longest)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Static, TextArea

from tutor.i18n import tr
from tutor.screens.help import HelpScreen

from .conftest import open_exercise, text_of, wait_for

SIZE = (80, 24)
NARROW = 60  # the narrowest terminal the editor's line is worded for
PADDING = 4  # #nav-hint's, left and right (lesson.tcss)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_editor_line_names_f1_and_f1_opens_help(app_factory, lang: str) -> None:
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_exercise(pilot, "tui-basics.ex")
        await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
        hint = app.screen.query_one("#nav-hint", Static)
        said = text_of(hint)
        assert "f1" in said.split(), said
        assert hint.region.height == 1, said  # one row: nothing of it wraps
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", ["lesson.nav_editor", "lesson.nav_editor_last"])
def test_the_editor_lines_fit_60_columns(lang: str, key: str) -> None:
    said = tr(key, lang)
    assert "f1" in said.split() and cell_len(said) + PADDING <= NARROW, said
