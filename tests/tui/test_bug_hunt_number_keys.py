"""Bug Hunt tells the learner how to pick a line (under the question, and in the note when
Submit comes before any pick) with the number keys that work for the puzzle on screen: a line's
digit picks it, up to 9. A 7-line puzzle said "1–9" (8 and 9 pick nothing there), and a 10-line
one said "↑↓ or 1–9" and "its number (1–9)" with line 10 out of every digit's reach."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Button, OptionList, Static

from tutor.games.bug_hunt import KINDS
from tutor.screens.bug_hunt import BugHuntScreen

from .test_game_input_notes import SIZE, notes_shown
from .test_tui_games_walk import open_bug_hunt

NUMBER_RANGE = re.compile(r"1–(\d+)")
"""A run of number keys as the game names it: "1–7"."""
ONLY_THOSE_LINES = {"en": "lines 1–{last}", "zh": "第 1–{last} 行"}
"""How each language says the digits pick only lines 1 to ``last`` (the others: ↑↓ or a click)."""


async def lines_reached_by_number(pilot, screen: BugHuntScreen) -> int:
    """The last line a digit key picks in this puzzle: each digit pressed in turn."""
    lines = screen.query_one(OptionList)
    reached = 0
    for digit in range(1, 10):
        await pilot.press(str(digit))
        await pilot.pause()
        if lines.highlighted != digit - 1:
            break
        reached = digit
    return reached


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_the_number_keys_named_are_those_that_pick_a_line(app_factory, kind, lang):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bug_hunt(pilot, kind)
        how = str(screen.query_one(".game-question", Static).render())
        await pilot.click(screen.query_one("#submit", Button))  # no line picked yet
        await pilot.pause()
        [note] = notes_shown(screen)
        screen.query_one(OptionList).focus()
        reached = await lines_reached_by_number(pilot, screen)
        count = screen.query_one(OptionList).option_count
        for told in (how, note):
            assert set(NUMBER_RANGE.findall(told)) == {str(reached)}, told
            if reached < count:  # the lines after: the text says the digits stop short of them
                assert ONLY_THOSE_LINES[lang].format(last=reached) in told, told
