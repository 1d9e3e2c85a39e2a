"""What the app says of the learner's input that is no answer has one look wherever it is said:
the lesson's predict quiz ("Type your prediction first.") and the games' note under their buttons
(a blank line picked, a guess that is no shape) are written in the theme's warning colour, one
cell in from each side, as tall as their text."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widget import Widget
from textual.widgets import Input

from tutor.app import TutorApp
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.widgets.step_quiz_predict import PredictQuizView

from .conftest import open_with_key
from .test_lesson_step_keys_qa39 import PREDICT
from .test_tui_review_fixes_steps import open_lesson

SIZE = (80, 24)


def look(note: Widget) -> tuple[Color, tuple[int, int, int, int], str]:
    """The note's colour, padding and height, as styled."""
    styles = note.styles
    return styles.color, tuple(styles.padding), str(styles.height)


def said_as_a_note(app: TutorApp) -> tuple[Color, tuple[int, int, int, int], str]:
    """The look the notes share: $warning, padded one cell either side, as tall as the text."""
    return Color.parse(app.get_css_variables()["warning"]), (0, 1, 0, 1), "auto"


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_the_predict_quiz_and_the_game_notes_look_alike(app_factory, theme):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        screen = await open_lesson(pilot, "tui-basics", PREDICT)
        await pilot.press("tab", "enter")  # Submit with nothing typed
        await pilot.pause()
        note = screen.query_one(PredictQuizView).query_one(".type-first")
        assert note.display
        assert look(note) == said_as_a_note(app)
        await pilot.press("escape")
        game = await open_with_key(pilot, "g", ShapeGuesserScreen)
        await pilot.press("enter")  # an empty guess
        await pilot.pause()
        assert app.focused is game.query_one(Input)
        note = game.query_one(".game-note")
        assert note.display
        assert look(note) == said_as_a_note(app)
