"""Bug Hunt's feedback on a missing line says how deep it is indented, and one colon introduces
the code: typed as the feedback says, right after the line it names, the line fixes the bug in
torch (at column 0 after a loop's last line it ran after the loop; after ``with ...:`` it did
not parse). And Bug Hunt never consoles with "just a missing piece": a line missing is one of
its answers, so that cheer hinted at the wrong kind of bug."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from tests.games.test_bug_hunt_fx8 import MISSING, _fixed
from tutor.games.bug_hunt import new_puzzle
from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.widgets.step_base import WRONG_CHEERS

from .test_games_qa36 import SIZE, bug_hunt_with, feedback

INDENT_SAID = {"en": r", indented (\d+) spaces:", "zh": r"，缩进 (\d+) 格："}
COLON = {"en": ":", "zh": "："}


def fix_line(screen) -> str:
    """The feedback's 🔧 line."""
    return next(row for row in feedback(screen).splitlines() if row.startswith("🔧"))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", MISSING)
async def test_the_fix_typed_as_the_feedback_says_fixes_the_bug(app_factory, kind, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, kind)
        for line in sorted(screen.puzzle.right_lines):
            screen.pick(line)
            await pilot.pause()
            said = fix_line(screen)
            statement = screen.puzzle.fix.strip()
            assert said.endswith(statement), said
            assert said.count(COLON[lang]) == 1, said  # one colon, before the code
            indent = re.search(INDENT_SAID[lang], said)
            spaces = int(indent.group(1)) if indent else 0
            demo = screen.puzzle.demo.rstrip("\n").split("\n")
            code = "\n".join([*demo[:line], " " * spaces + statement, *demo[line:]])
            assert _fixed(kind, code), (said, code)
            await screen.action_new_round()
            screen.puzzle = new_puzzle(random.Random(0), kind)
            screen.on_lang()
            await pilot.pause()


async def test_no_consolation_hints_at_a_missing_line(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "no_return")
        consoled = []
        for _ in range(16):  # two passes through the deck of consolations
            wrong = next(n for n, t in enumerate(screen.puzzle.lines, 1) if t.strip())
            screen.pick(wrong)
            await pilot.pause()
            consoled.append(screen.cheer)
            assert tr("cheer.wrong.5", "en") not in feedback(screen)
            await screen.action_new_round()
            screen.puzzle = new_puzzle(random.Random(0), "no_return")
            screen.on_lang()
            await pilot.pause()
        assert "cheer.wrong.5" not in consoled
        assert len(set(consoled)) == 7  # the others still go round


@pytest.mark.parametrize("seed", range(30))
def test_the_deck_without_it_deals_the_others_round_without_repeats(seed: int) -> None:
    deck = BugHuntScreen(seed=seed).cheers[False]
    dealt = [deck.draw() for _ in range(7 * 6)]
    fit = set(WRONG_CHEERS) - {"cheer.wrong.5"}
    for start in range(0, len(dealt), 7):  # each pass: every other consolation once
        assert set(dealt[start : start + 7]) == fit
    assert all(a != b for a, b in itertools.pairwise(dealt))  # never the same twice in a row
