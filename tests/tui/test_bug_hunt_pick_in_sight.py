"""Bug Hunt keeps the line the learner picked in sight after the answer, with the feedback about it
and the answer's marks (QA: at 80×24 a wrong pick on line 1 of a long round scrolled to the
feedback, which took line 1 and its ❌ out of sight above it). Every kind of round, picked on its
first line, its last and a right one, in both languages, on a short terminal and a roomy one."""

from __future__ import annotations

import random

import pytest
from textual.containers import VerticalScroll

from tutor.games.bug_hunt import KINDS, BugPuzzle, new_puzzle
from tutor.screens.bug_hunt import BugHuntScreen, NumberedLine
from tutor.widgets.choice_list import ChoiceList

from .conftest import drawn, ready, wait_for


def picks(puzzle: BugPuzzle) -> dict[str, int]:
    """The lines picked in a round: its first and last lines of code, and its first right one."""
    code = [n for n, text in enumerate(puzzle.lines, start=1) if text.strip()]
    return {"first": code[0], "last": code[-1], "right": min(puzzle.right_lines)}


def marked(screen: BugHuntScreen) -> set[int]:
    """The lines the answered round marks (🐞, ❌, the missing line's fix)."""
    lines = screen.query_one(ChoiceList)
    prompts = [lines.get_option_at_index(i).prompt for i in range(lines.option_count)]
    return {p.number for p in prompts if isinstance(p, NumberedLine) and p.mark.plain}


def shown_lines(screen: BugHuntScreen) -> set[int]:
    """The puzzle's lines whose start the learner sees: their number and code on a drawn row."""
    rows = drawn(screen.app).splitlines()
    body = screen.query_one(".game-body", VerticalScroll).content_region
    in_view = rows[body.y : body.bottom]
    return {
        number
        for number, text in enumerate(screen.puzzle.lines, start=1)
        if text.strip() and any(f"{number:>2} │ {text[:12]}" in row for row in in_view)
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_picked_line_and_its_feedback_stay_in_sight(app_factory, size, lang) -> None:
    app = app_factory(lang)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        for kind in sorted(KINDS):
            puzzle = new_puzzle(random.Random(0), kind)
            for how, line in picks(puzzle).items():
                screen = BugHuntScreen(seed=0)
                screen.puzzle = puzzle
                await app.push_screen(screen)
                await pilot.pause()
                await pilot.press(*["down"] * (line - 1), "enter")
                # settled: "Next round" takes the focus once the verdict has been on screen
                await wait_for(pilot, lambda s=screen: app.focused is s.query_one("#next"))
                case = (kind, how, line)
                assert screen.verdict is not None and screen.verdict["line"] == line, case
                want = {line, *marked(screen)}  # the pick, the 🐞 lines or the fix's line
                assert want <= shown_lines(screen), case
                body = screen.query_one(".game-body", VerticalScroll).content_region
                feedback = screen.query_one(".game-feedback").region
                assert body.y <= feedback.y and feedback.bottom <= body.bottom, case
                app.pop_screen()
                await pilot.pause()


async def test_a_round_taller_than_the_view_shows_the_picked_line_first(app_factory) -> None:
    """Where the view cannot hold the code and the whole feedback, the line picked and the
    start of the feedback (the verdict) stay in sight, not the feedback's end alone."""
    app = app_factory("en")
    async with app.run_test(size=(80, 18)) as pilot:
        await ready(pilot)
        screen = BugHuntScreen(seed=0)
        screen.puzzle = new_puzzle(random.Random(0), "eval_forgotten")
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("enter")  # line 1: wrong, the fix goes after line 4
        await wait_for(pilot, lambda: app.focused is screen.query_one("#next"))
        assert screen.verdict is not None and screen.verdict["line"] == 1
        assert 1 in shown_lines(screen)
        body = screen.query_one(".game-body", VerticalScroll).content_region
        assert body.y <= screen.query_one(".game-feedback").region.y < body.bottom
