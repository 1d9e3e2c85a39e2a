"""A code step's caption draws its inline code in the theme's code colour, and follows a theme
change: drawn once, a light theme chosen afterwards kept the dark theme's cyan (3.3:1 on
solarized-light), as the step's code and verdicts did not."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tutor.theme_styles import DARK, DEFAULT_THEME, LIGHT

from .conftest import SIZE
from .test_tui_review_fixes_steps import DECK, open_lesson


@pytest.fixture
def caption_decks(tmp_path: Path) -> list[Path]:
    """A deck whose first step is a code step with `True` in its caption."""
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "review-steps.yaml").write_text(DECK, encoding="utf-8")
    return [folder]


def code_style(screen: object) -> str:
    """The style the caption draws its inline code (`True`) in now."""
    caption = screen.query_one(".caption", Static).content  # type: ignore[attr-defined]
    styles = {caption.plain[s.start : s.end]: str(s.style) for s in caption.spans}
    return styles["True"]


async def test_a_code_caption_follows_a_theme_change(app_factory, caption_decks) -> None:
    app = app_factory(decks=caption_decks)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "review-steps", 0)
        assert code_style(screen) == DARK.inline_code
        app.theme = "solarized-light"
        await pilot.pause()
        assert code_style(screen) == LIGHT.inline_code
        app.theme = DEFAULT_THEME  # and back
        await pilot.pause()
        assert code_style(screen) == DARK.inline_code
