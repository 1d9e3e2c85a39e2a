"""A code view's line numbers read on every offered theme: an error names the line it failed at
("line 2"), and the learner looks it up in the code. Rich drew them dim (its line numbers on a
transparent ground), which Textual blends toward the ground: 2.9:1 on solarized-light, 3.2:1 on
catppuccin-latte."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.theme_styles import THEMES
from tutor.widgets.code_view import CodeView

from .conftest import SIZE, numbers_low, ready, themed_app, wait_for


async def open_code(pilot: Any) -> CodeView:
    """The fixture's code step, open in its lesson."""
    app = pilot.app
    await ready(pilot)
    app.open_lesson("tui-basics", step=1)
    await wait_for(pilot, lambda: bool(app.screen.query(CodeView)))
    return app.screen.query_one(CodeView)


@pytest.mark.parametrize("theme", THEMES)
async def test_a_code_views_line_numbers_read_on_every_theme(tmp_path, theme: str) -> None:
    async with themed_app(tmp_path, theme) as pilot:
        view = await open_code(pilot)
        rows, low = numbers_low(view)
        assert rows > 2, "no line numbers drawn"
        assert not low, "\n".join([theme, *low])
        view.error_line = 2  # the failing line's number, after its mark
        await pilot.pause()
        rows, low = numbers_low(view)
        assert rows > 2 and not low, "\n".join([f"{theme}, a line marked", *low])


async def test_line_numbers_drawn_follow_a_theme_change(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        view = await open_code(pilot)
        for theme in ("solarized-light", "nord", "catppuccin-latte"):
            app.theme = theme
            await pilot.pause()
            rows, low = numbers_low(view)
            assert rows > 2 and not low, "\n".join([theme, *low])


@pytest.mark.parametrize("theme", THEMES)
async def test_bug_hunts_demo_code_numbers_read_on_every_theme(tmp_path, theme: str) -> None:
    """The lines a round's demo adds to its code, numbered on from it, were Rich's dim numbers
    (2.9:1 on solarized-light): drawn as a code view draws them."""
    import random

    from tutor.games.bug_hunt import new_puzzle
    from tutor.screens.bug_hunt import BugHuntScreen

    async with themed_app(tmp_path, theme, size=(100, 50)) as pilot:
        app = pilot.app
        screen = BugHuntScreen(seed=0)
        screen.puzzle = new_puzzle(random.Random(0), "no_zero_grad")  # its demo adds prints
        await app.push_screen(screen)
        await pilot.pause()
        demo = screen.query_one("#demo-code")
        demo.display = True  # as the demo's key shows it; its run is not needed
        screen._render_demo_code()
        await pilot.pause()
        rows, low = numbers_low(demo)
        assert rows >= 2 and not low, "\n".join([theme, *low])
