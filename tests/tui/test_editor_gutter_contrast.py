"""A code editor's line numbers read on every offered theme: an error names the line it failed
at ("line 2"), and the learner looks it up in the gutter. Textual's github_light, the light
themes' editor, drew them #BBBBBB on #F0F0F0 (1.7:1; 2.1:1 on the cursor's line)."""

from __future__ import annotations

import pytest

from tutor.screens.sandbox_screen import SandboxScreen
from tutor.theme_styles import THEMES
from tutor.widgets.editor import KeptEditor

from .conftest import numbers_low, open_with_key, themed_app, wait_for


@pytest.mark.parametrize("theme", THEMES)
async def test_the_editors_line_numbers_read_on_every_theme(tmp_path, theme: str) -> None:
    async with themed_app(tmp_path, theme) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        editor = screen.query_one("#sb-editor", KeptEditor)
        await wait_for(pilot, lambda: editor.document.line_count > 2)
        editor.move_cursor((1, 0))  # the cursor's line has a gutter of its own
        await pilot.pause()
        rows, low = numbers_low(editor)
        assert rows > 2, "no line numbers drawn"
        assert not low, "\n".join([theme, *low])
