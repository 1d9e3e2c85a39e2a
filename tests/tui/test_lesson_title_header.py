"""Each lesson's title is read whole in the lesson screen's header at 80×24, in English and in
Chinese, never cut off with "…". Every shipped title now fits the header's one row at 80 columns
(see test_lesson_title_fits_one_header_row.py); one wider than the header's middle (an author's
longer title, a narrower terminal) wraps onto a second row."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Header

from tutor.i18n import localize
from tutor.screens.lesson import LessonScreen

from .conftest import drawn, make_app, wait_for

ROOT = Path(__file__).resolve().parents[2]


def squeezed(text: str) -> str:
    """``text`` without its spaces: a wrapped Chinese title has no space where it breaks."""
    return "".join(text.split())


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_lesson_title_is_whole_in_the_header_at_80_columns(tmp_path, lang):
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        assert len(app.library.lessons) >= 12
        for lesson in app.library.lessons:
            app.open_lesson(lesson.id)
            await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
            region = app.screen.query_one(Header).region
            rows = drawn(app).splitlines()[region.y : region.bottom]
            header = squeezed(" ".join(rows))
            title = localize(lesson.title, lang)
            assert squeezed(title) in header, (title, rows)
            assert "…" not in header
            app.pop_screen()
            await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_title_too_long_for_two_rows_is_cut_after_them(tmp_path, lang):
    """At 40 columns lesson 11's title took four header rows, the step below them."""
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(40, 24)) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        longest = max(app.library.lessons, key=lambda lesson: len(localize(lesson.title, lang)))
        app.open_lesson(longest.id)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause()
        assert app.screen.query_one(Header).region.height == 2
