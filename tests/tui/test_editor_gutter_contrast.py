"""A code editor's line numbers read on every offered theme: an error names the line it failed
at ("line 2"), and the learner looks it up in the gutter. Textual's github_light, the light
themes' editor, drew them #BBBBBB on #F0F0F0 (1.7:1; 2.1:1 on the cursor's line)."""

from __future__ import annotations

import pytest

from tutor.screens.sandbox_screen import SandboxScreen
from tutor.theme_styles import READABLE, THEMES, contrast
from tutor.widgets.editor import KeptEditor

from .conftest import colours, open_with_key, themed, wait_for
from .test_theme_contrast_more import SIZE, drawn


@pytest.mark.parametrize("theme", THEMES)
async def test_the_editors_line_numbers_read_on_every_theme(app_factory, theme: str) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await themed(pilot, theme)
        screen = await open_with_key(pilot, "s", SandboxScreen)
        editor = screen.query_one("#sb-editor", KeptEditor)
        await wait_for(pilot, lambda: editor.document.line_count > 2)
        editor.move_cursor((1, 0))  # the cursor's line has a gutter of its own
        await pilot.pause()
        numbers = [(y, s) for y, s in drawn(editor) if s.text.strip().isdigit()]
        assert len({y for y, _ in numbers}) > 2, "no line numbers drawn"
        low = [
            f"row {y} {s.text.strip()!r}: {contrast(*colours(editor, s)):.2f}"
            for y, s in numbers
            if contrast(*colours(editor, s)) < READABLE
        ]
        assert not low, "\n".join([theme, *low])
