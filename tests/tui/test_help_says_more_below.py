"""Help says "↓ more below" where its box has rows below the fold: at 80×24, over lesson 07's
exercise, the box ended at a wrapped row with the Close row's blank top row under it, which read
as the end of the keys (the rest came into view only for a learner who tried to scroll). The cue
takes that blank row while there is more, and goes once the box is scrolled to its end; where
everything fits (120×40) it is never there."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll

from tutor.i18n import tr
from tutor.screens.help import HelpScreen

from .conftest import drawn, make_app, wait_for
from .test_help_wrapped_row_scrolls_into_view import EXERCISE, LESSON, ROOT
from .test_tui_review_fixes_steps import open_lesson


async def open_help(pilot) -> VerticalScroll:
    """Help opened over lesson 07's exercise, the focus off the editor as QA had it; its box."""
    app = pilot.app
    await open_lesson(pilot, LESSON, EXERCISE)
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
    await pilot.pause()
    return app.screen.query_one("#help-box", VerticalScroll)


def said_more(app, lang: str) -> bool:
    """Whether a row drawn now says there is more below."""
    return tr("help.more", lang) in drawn(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_says_more_below_until_scrolled_to_the_end(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(80, 24)) as pilot:
        box = await open_help(pilot)
        assert box.max_scroll_y > 0  # (the case QA met: rows below the fold)
        assert said_more(app, lang), drawn(app)
        await pilot.press("end")  # the box has the focus: the keys a learner scrolls with
        await wait_for(pilot, lambda: box.scroll_y == box.max_scroll_y)
        assert not said_more(app, lang), drawn(app)
        assert "f7" in drawn(app)  # the last row of the keys, in view above the Close row
        await pilot.press("home")
        await wait_for(pilot, lambda: box.scroll_y == 0)
        assert said_more(app, lang), drawn(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_that_fits_says_nothing_more(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(120, 40)) as pilot:
        box = await open_help(pilot)
        assert box.max_scroll_y == 0  # everything fits
        assert "f7" in drawn(app)
        assert not said_more(app, lang), drawn(app)


async def test_a_terminal_made_taller_that_brings_the_end_into_view_takes_the_cue_away(
    tmp_path: Path,
) -> None:
    """The end comes into view without the box scrolling (scrolled 7 rows of 12, five rows
    more of the box show the last 5): the cue goes all the same."""
    app = make_app(tmp_path, "en", decks=[ROOT / "lessons"])
    async with app.run_test(size=(80, 24)) as pilot:
        box = await open_help(pilot)
        assert box.max_scroll_y == 12, box.max_scroll_y  # (the rows the sizes below are for)
        box.scroll_to(y=7, animate=False)
        await wait_for(pilot, lambda: box.scroll_y == 7)
        assert said_more(app, "en"), drawn(app)
        await pilot.resize_terminal(80, 29)  # the box 90% of it: 26 rows, 5 more
        await wait_for(pilot, lambda: box.max_scroll_y == 7)
        await pilot.pause()
        assert box.scroll_y == 7 and box.show_vertical_scrollbar  # unmoved, still scrolling
        assert not said_more(app, "en"), drawn(app)
