"""The header's sub-title and a toast read at 4.5:1 on every theme the tutor offers. A game's
score is the header's sub-title ("Bug Hunt — Score 0/1"), which Textual dims: 2.7:1 on
solarized-light, 3.1:1 on tokyo-night. A toast lay on Textual's ``$panel-lighten-1``, lighter than
the ``$panel`` the tutor's colours are made to read on: tokyo-night's words 3.8:1."""

from __future__ import annotations

import pytest
from textual.widgets._header import HeaderTitle
from textual.widgets._toast import Toast

from tutor.screens.bug_hunt import BugHuntScreen
from tutor.theme_styles import THEMES

from .conftest import low_in, open_with_key, themed_app, wait_for

SIZE = (100, 30)


@pytest.mark.parametrize("theme", THEMES)
async def test_a_header_sub_title_reads_on_every_theme(tmp_path, theme: str) -> None:
    async with themed_app(tmp_path, theme, size=SIZE) as pilot:
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        screen.sub_title = "Score 0/1"  # as a round's verdict sets it
        await pilot.pause()
        title = screen.query_one(HeaderTitle)
        assert screen.sub_title and screen.sub_title in str(title.render())
        assert not (low := low_in(title, f"{theme} header")), "\n".join(low)


@pytest.mark.parametrize("theme", THEMES)
async def test_a_toast_reads_on_every_theme(tmp_path, theme: str) -> None:
    async with themed_app(tmp_path, theme, size=SIZE, notifications=True) as pilot:
        app = pilot.app
        low: list[str] = []
        for severity in ("information", "warning", "error"):
            app.clear_notifications()
            app.notify("Saved your answer", severity=severity, title="Heads up")
            await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
            await pilot.pause()
            toast = app.screen.query_one(Toast)
            low += low_in(toast, f"{theme} {severity} toast")
        assert not low, "\n".join(low)
