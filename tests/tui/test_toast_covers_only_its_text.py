"""A toast covers only the rows of its text: at 80×24 the notes said as a lesson opens (the
terminal narrower than the lessons, the lessons best taken first) lay over the lower right of the
step's text for their seconds, each with a blank row above and below its words (Textual's
padding), a third of the rows the narrow terminal's note covered."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from tutor.app import LESSON_WIDTH
from tutor.i18n import tr
from tutor.screens.lesson import LessonScreen

from .conftest import ready, wait_for


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_narrow_terminal_note_covers_only_its_text(app_factory, lang: str) -> None:
    app = app_factory(lang)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        app.open_lesson("tui-basics")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
        toast = app.screen.query_one(Toast)
        rows = [strip.text for strip in toast.render_lines(toast.region.reset_offset)]
        words = "".join(row.lstrip("▌").strip() for row in rows).replace(" ", "")
        note = tr("app.narrow", lang, width=80, wide=LESSON_WIDTH).replace(" ", "")
        assert words == note, rows  # the note, whole: its rows are all the toast's
        assert all(row.lstrip("▌").strip() for row in rows), rows  # none of them blank
