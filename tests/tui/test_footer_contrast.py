"""The footer's keys and their words read at 4.5:1 on every theme the tutor offers: it lies on
``$panel``, far lighter than the ground on the dark themes, where tokyo-night's (the default)
words read 4.2:1 and its keys 4.4:1, nord's keys 4.3:1. Help's box lies there too, its foot's
hint ("esc closes") in Textual's muted text 4.3:1 on nord."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from tutor.screens.help import HelpScreen
from tutor.theme_styles import THEMES

from .conftest import low_in, open_with_key, themed_app

SIZE = (100, 30)


@pytest.mark.parametrize("theme", THEMES)
async def test_the_footer_and_help_read_on_every_theme(tmp_path, theme: str) -> None:
    async with themed_app(tmp_path, theme, size=SIZE) as pilot:
        keys = list(pilot.app.screen.query(FooterKey))
        assert keys
        low = [line for key in keys for line in low_in(key, f"{theme} footer")]
        screen = await open_with_key(pilot, "question_mark", HelpScreen)
        low += low_in(screen.query_one("#help-keys"), f"{theme} help")
        low += low_in(screen.query_one(".modal-foot-hint"), f"{theme} help's foot")
        assert not low, "\n".join(low)
