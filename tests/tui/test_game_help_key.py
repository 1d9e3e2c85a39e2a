"""Help from a game. QA at 80x24 in zh: Shape Guesser's answer box (an Input) typed ``?`` and
no Help opened, and the games' footer ("^n 下一轮 esc 返回") named no help key at all. The
footer names F1 (it works wherever the focus is), and ``?`` opens Help from an empty answer
box (no shape starts with one); typed after other text it stays text."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.help import HelpScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen

from .conftest import drawn, open_with_key, wait_for

SIZE = (80, 24)
GAMES = {"g": ShapeGuesserScreen, "b": BugHuntScreen}


def footer(app: Any) -> str:
    return drawn(app).splitlines()[-1]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", list(GAMES), ids=lambda key: GAMES[key].__name__)
async def test_the_games_footer_names_f1_for_help_and_f1_opens_it(app_factory, lang, key):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        game = await open_with_key(pilot, key, GAMES[key])
        said = f"F1 {tr('k.help', lang)}"
        await wait_for(pilot, lambda: said in footer(app), tries=100)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is game)


async def test_question_mark_in_the_empty_answer_box_opens_help(app_factory):
    app = app_factory("zh")
    async with app.run_test(size=SIZE) as pilot:
        game = await open_with_key(pilot, "g", ShapeGuesserScreen)
        guess = game.query_one(Input)
        assert app.focused is guess
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_keys = [keys for keys, does in app.screen.key_rows() if does == tr("k.help", "zh")]
        assert sorted(help_keys[0].split()) == ["?", "F1"], help_keys  # Help names ? there too
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is game)
        assert guess.value == "" and app.focused is guess


async def test_question_mark_after_other_text_in_the_answer_box_is_text(app_factory):
    app = app_factory("zh")
    async with app.run_test(size=SIZE) as pilot:
        game = await open_with_key(pilot, "g", ShapeGuesserScreen)
        await pilot.press(*"(2, ", "question_mark")
        await pilot.pause()
        assert app.screen is game
        assert game.query_one(Input).value == "(2, ?"
