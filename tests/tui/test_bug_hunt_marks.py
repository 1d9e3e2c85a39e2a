"""Bug Hunt's marks after an answer, pinned for every kind of puzzle: 🐞 on each wrong line,
the fix (⤵) after the line a missing statement goes after, ❌ on a wrong pick, and nothing on
the other lines (worked out once per render)."""

from __future__ import annotations

import random

import pytest

from tutor.games.bug_hunt import KINDS, new_puzzle
from tutor.screens.bug_hunt import BugHuntScreen, NumberedLine
from tutor.widgets.choice_list import ChoiceList

from .conftest import ready


def marks(screen: BugHuntScreen) -> dict[int, str]:
    """The marks drawn after the lines, by line number (only the lines that have one)."""
    lines = screen.query_one(ChoiceList)
    found = {}
    for index in range(lines.option_count):
        prompt = lines.get_option_at_index(index).prompt
        assert isinstance(prompt, NumberedLine)
        if prompt.mark.plain:
            found[prompt.number] = prompt.mark.plain.strip()
    return found


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("right", [False, True])
async def test_the_answered_rounds_marks(app_factory, kind, right):
    app = app_factory("en")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        screen = BugHuntScreen(seed=0)
        screen.puzzle = puzzle = new_puzzle(random.Random(0), kind)
        await app.push_screen(screen)
        await pilot.pause()
        assert marks(screen) == {}  # nothing before the answer
        if right:  # the last right line: a missing line's fix follows the learner's pick
            pick = max(puzzle.right_lines)
        else:
            pick = next(
                n
                for n, text in enumerate(puzzle.lines, start=1)
                if text.strip() and not puzzle.check(n)
            )
        screen.pick(pick)
        await pilot.pause()
        want = {} if right else {pick: "❌"}
        if puzzle.missing:
            want[pick if right else puzzle.answer] = f"⤵ {puzzle.fix.strip()}"
        else:
            want.update(dict.fromkeys(puzzle.bug_lines, "🐞"))
        assert marks(screen) == want
