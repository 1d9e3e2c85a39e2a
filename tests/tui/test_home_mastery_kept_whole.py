"""The course map keeps a lesson's mastery label and its percentage on one row (QA, zh, 80×24:
the Welcome's line ended in "· 掌握" with "33% · 5 道未通过" on the next, so the finished
lesson with every quiz still to pass read as "mastered"). Seeded as the QA walk left it: every
step seen, every quiz answered wrong, the exercise passed, no card rated yet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from tutor.app import TutorApp
from tutor.i18n import tr

from .conftest import make_app, ready, screen_text, wait_for

ROOT = Path(__file__).resolve().parents[2]
LESSON = "welcome"


async def finish_with_quizzes_wrong(pilot: Any, exercise_passed: bool = True) -> Any:
    """Every step of the Welcome seen, each of its quizzes answered wrong and its exercise
    passed if ``exercise_passed``; its progress as the course map shows it."""

    def seed(learning: Any) -> Any:
        lesson = learning.library.lesson(LESSON)
        for step in range(len(lesson.steps)):
            learning.mark_step_seen(LESSON, step)
        for quiz in lesson.quizzes:
            learning.record_quiz(quiz.id, LESSON, False, None)
        if exercise_passed:
            for exercise in lesson.exercises:
                learning.record_exercise(exercise.id, LESSON, True, 0)
        return learning.lesson_progress(LESSON)

    return await pilot.app.learning_call(seed)


def lesson_rows(app: TutorApp) -> list[str]:
    """The course map's list as drawn, row by row (cut by cells: a Chinese character takes two)."""
    region = app.screen.query_one("#lessons", OptionList).region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return [strip.crop(region.x, region.right).text for strip in strips]


WIDTHS = range(76, 85)
"""80 (the QA's) and the widths about it: where the line breaks moves with them (before the fix,
the Welcome's mastery broke at some of them in each language)."""


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_minutes_and_the_mastery_each_stay_on_one_row(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"], learning=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.learning is not None)
        pct = round(100 * (await finish_with_quizzes_wrong(pilot)).mastery)
        assert 0 < pct < 100
        app.screen.load_progress()
        lesson = app.library.lesson(LESSON)
        pieces = [
            tr("home.minutes", lang, minutes=lesson.minutes),
            tr("home.mastery", lang, pct=pct),
        ]
        await wait_for(pilot, lambda: pieces[1] in screen_text(app))  # the progress is read
        for width in WIDTHS:
            await pilot.resize_terminal(width, 24)
            await wait_for(
                pilot, lambda wanted=width: app.screen.size.width == wanted
            )  # (laid out anew)
            rows = lesson_rows(app)
            for piece in pieces:
                assert any(piece in row for row in rows), (width, piece, rows)
