"""Help from a lesson's predict quiz: its answer box typed ``?`` even empty, so a learner
pressing ``?`` there (Help's key on the course map and in the lesson) saw it typed and no Help.
Empty, the box leaves ``?`` to the lesson's keys, as Shape Guesser's does (no printed output
starts with one); after other text ``?`` is typed."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tutor.i18n import tr
from tutor.screens.help import HelpScreen
from tutor.widgets.step_quiz_predict import PredictQuizView

from .conftest import wait_for
from .test_tui_review_fixes_steps import open_lesson

SIZE = (80, 24)
PREDICT = 5  # the fixture basics' predict quiz


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_question_mark_in_the_empty_prediction_box_opens_help(app_factory, lang):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", PREDICT)
        box = screen.query_one(PredictQuizView).query_one(Input)
        assert app.focused is box and box.value == ""
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_keys = [keys for keys, does in app.screen.key_rows() if does == tr("k.help", lang)]
        assert "?" in help_keys[0].split(), help_keys  # Help names ? there too
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert box.value == "" and app.focused is box


async def test_question_mark_after_other_text_in_the_prediction_box_is_text(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", PREDICT)
        box = screen.query_one(PredictQuizView).query_one(Input)
        await pilot.press(*"(4, ", "question_mark")
        await pilot.pause()
        assert app.screen is screen
        assert box.value == "(4, ?"
