"""The course map says how many of a finished lesson's quizzes and exercises are still to pass
(QA, a returning learner: 22 open across 8 finished lessons, seen only by opening each one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tutor.i18n import tr
from tutor.screens.home import HomeScreen

from .conftest import make_app, ready, screen_text, wait_for

LESSON = "tui-basics"


async def see_steps(pilot: Any, steps: range) -> int:
    """Mark ``steps`` of the fixture lesson seen; how many checks it has."""

    def seen(learning: Any) -> int:
        for step in steps:
            learning.mark_step_seen(LESSON, step)
        return len(learning.library.lesson(LESSON).checks)

    return await pilot.app.learning_call(seen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_finished_lessons_open_checks_are_on_the_course_map(tmp_path: Path, lang: str):
    app = make_app(tmp_path, lang, learning=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        total = len(app.library.lesson(LESSON).steps)
        checks = await see_steps(pilot, range(total))
        assert checks > 1
        app.screen.load_progress()
        said = tr("home.still_to_pass", lang, count=checks)
        await wait_for(pilot, lambda: said in screen_text(app))
        assert isinstance(app.screen, HomeScreen)


async def test_an_unfinished_lesson_says_nothing_of_them(tmp_path: Path):
    app = make_app(tmp_path, learning=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await see_steps(pilot, range(2))
        app.screen.load_progress()
        await wait_for(pilot, lambda: "2/" in screen_text(app))
        assert "still to pass" not in screen_text(app)
