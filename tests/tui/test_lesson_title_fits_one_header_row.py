"""Every shipped lesson's title fits one header row at 80 columns, in English and Chinese.

The lesson screen lets a title too wide for the header's middle wrap onto a second row (see
``LessonScreen Header`` in lesson.tcss); QA found lesson 11's title did, leaving its 🔍 alone on
row 2 in Chinese and taking a row from the step at 80x24, and lessons 1, 2, 4 and 5 were shortened
after it. The header is measured as drawn.
"""

from __future__ import annotations

import pytest
from textual.widgets import Header
from textual.widgets._header import HeaderTitle

from tutor.i18n import localize
from tutor.paths import shipped_root
from tutor.screens.lesson import LessonScreen

from .conftest import make_app, ready, wait_for

SIZE = (80, 24)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_lesson_title_fits_one_header_row_at_80_columns(tmp_path, lang: str) -> None:
    root = shipped_root()
    app = make_app(tmp_path, lang, decks=[root / "lessons", root / "cards"])
    wrapped: dict[str, str] = {}
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for lesson in app.library.lessons:
            app.open_lesson(lesson.id, step=0)
            await wait_for(
                pilot,
                lambda lesson=lesson: (
                    isinstance(app.screen, LessonScreen) and app.screen.lesson.id == lesson.id
                ),
            )
            title = localize(lesson.title, lang)
            shown = app.screen.query_one(HeaderTitle)
            assert title in str(shown.render())  # the header shows this lesson's title
            if app.screen.query_one(Header).size.height != 1:
                wrapped[lesson.id] = title
            app.pop_screen()
            await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
    assert wrapped == {}
