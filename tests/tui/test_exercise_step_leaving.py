"""Leaving a lesson at an exercise: the step's focus handlers queue a redraw for after the next
refresh, by when the step may be on its way out. It must never take the app down (QA found
esc, esc from a lesson opened over the review crashing it with NoMatches within ten rounds)."""

from __future__ import annotations

import shutil

from tests.learning.conftest import FIXTURE_DECKS
from tests.learning.tui_helpers import make_app, review_first_card
from tutor.config import TutorConfig
from tutor.screens.lesson import LessonScreen
from tutor.screens.review import ReviewScreen
from tutor.widgets.step_exercise import ExerciseStepView

from .conftest import SIZE, wait_for
from .test_tui_flows import open_basics

EXERCISE = 7  # the fixture lesson's exercise step


async def test_a_redraw_queued_as_the_steps_parts_go_is_dropped(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=EXERCISE)
        view = app.screen.query_one(ExerciseStepView)
        await view.query_one(".hints").remove()  # as when its screen removes its children
        view.on_descendant_blur()
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)  # still running, and nothing raised


async def test_esc_esc_from_an_exercise_opened_over_the_review_never_crashes(tmp_path):
    shutil.copytree(FIXTURE_DECKS, tmp_path / "decks")
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(tmp_path / "decks")])
    app = make_app(config, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await review_first_card(pilot, app)
        await pilot.press("space")  # the answer: its card's lesson step is an exercise
        for _ in range(10):
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
            await pilot.press("escape")  # out of the editor
            await pilot.pause(0.1)
            await pilot.press("escape")  # out of the lesson
            await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
            await pilot.pause(0.1)
