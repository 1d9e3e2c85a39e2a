"""Help, open while the learner switches theme, draws its keys in the new theme's accent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.screens.help import HelpScreen
from tutor.theme_styles import THEMES

from .conftest import low_in, open_with_key, themed_app
from .test_theme_choice import choose_theme

SIZE = (100, 30)


@pytest.mark.parametrize("theme", THEMES)
async def test_help_keys_read_after_a_theme_switch_from_the_palette(
    tmp_path: Path, theme: str
) -> None:
    """The keys kept the accent of the theme Help opened in: dracula's on textual-light read
    1.55:1, catppuccin-latte's on tokyo-night 1.1:1. Help is opened on the theme before
    ``theme`` in the palette's list, and ``theme`` chosen through the palette over it, as the
    learner does."""
    start = THEMES[THEMES.index(theme) - 1]  # tokyo-night's is catppuccin-latte, the last
    async with themed_app(tmp_path, start, size=SIZE) as pilot:
        app = pilot.app
        help_screen = await open_with_key(pilot, "question_mark", HelpScreen)
        await choose_theme(pilot, theme)
        assert app.current_theme.name == theme
        assert app.screen is help_screen
        low = low_in(help_screen.query_one("#help-keys"), f"{start} -> {theme} help")
        assert not low, "\n".join(low)
