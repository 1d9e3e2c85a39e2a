"""Games after QA pass 36: Bug Hunt's missing-line verdict, its feedback in view at 80x24, its
keys (digits, q, Help after the verdict), no invisible Tab stop, and Shape Guesser's verdict
that a quick second Enter cannot skip."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from textual.containers import VerticalScroll

from tutor.games.bug_hunt import new_puzzle
from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.widgets.choice_list import ChoiceList

from .conftest import (
    FakeError,
    FakeResult,
    FakeSandbox,
    open_with_key,
    ready,
    screen_text,
    wait_for,
)


async def bug_hunt_with(pilot: Any, kind: str, seed: int = 0) -> BugHuntScreen:
    await ready(pilot)
    screen = BugHuntScreen(seed=0)
    screen.puzzle = new_puzzle(random.Random(seed), kind)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def line_of(screen: BugHuntScreen, needle: str) -> int:
    return next(n for n, text in enumerate(screen.puzzle.lines, start=1) if needle in text)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_eval_after_the_first_prediction_is_wrong_and_the_verdict_says_where_it_goes(
    app_factory, lang
):
    """(fixer 8: eval() right after no_grad() works, so that pick is right now; right after the
    first prediction is too late.)"""
    app = app_factory(lang=lang)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await bug_hunt_with(pilot, "eval_forgotten")
        late = line_of(screen, "first = model")
        await pilot.press(*["down"] * (late - 1), "enter")
        await pilot.pause()
        assert screen.verdict == {"correct": False, "line": late}
        after = line_of(screen, "model.train()")
        places = {
            "en": f"{after}, {after + 1} or {after + 2}",
            "zh": f"{after}、{after + 1} 或 {after + 2}",
        }
        text = screen_text(app)
        assert tr("game.bug.was_missing", lang, lines=places[lang]) in text
        assert tr("game.bug.fix_missing", lang, line=after) in text
        listed = [row for row in text.splitlines() if "│" in row]
        assert not [row for row in listed if "🐞" in row]  # no innocent line is marked
        assert [row.split("│")[0].strip() for row in listed if "⤵ model.eval()" in row] == [
            str(after)
        ]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_whole_verdict_and_the_score_are_in_view_at_80x24(app_factory, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        for kind, seed in (("eval_forgotten", 0), ("plain_list", 0), ("plain_list", 1)):
            screen = await bug_hunt_with(pilot, kind, seed)
            last = len(screen.puzzle.lines)
            await pilot.press(*["down"] * (last - 1), "enter")
            body = screen.query_one(VerticalScroll)
            feedback = screen.query_one(".game-feedback")
            # the scroll settles over a few refreshes; once still, the feedback must be in view
            await pilot.wait_for_scheduled_animations()
            for _ in range(5):
                await pilot.pause()
            assert screen.verdict is not None
            assert feedback.region.bottom <= body.content_region.bottom, (kind, seed)
            assert tr("game.score", lang, score=0, rounds=1) in screen.sub_title
            await pilot.press("escape")
            await pilot.pause()


async def test_a_digit_picks_the_line_and_help_drops_the_answer_keys_after(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await bug_hunt_with(pilot, "no_return")
        await pilot.press("3")
        await pilot.pause()
        assert screen.verdict is None and screen.query_one(ChoiceList).highlighted == 2
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        before = [keys for keys, _ in app.screen.key_rows()]
        assert "1-9" in before and "⏎" in " ".join(before)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.verdict is not None and screen.verdict["line"] == 3
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = app.screen.key_rows()
        descriptions = [description for _, description in rows]
        assert tr("k.submit", "en") not in descriptions
        assert tr("k.pick_number", "en") not in descriptions
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("5")
        await pilot.press("enter")
        await pilot.pause()
        # answered once: nothing re-grades (fixer 8: an Enter once the verdict was seen deals
        # the next round, as in Shape Guesser)
        assert screen.rounds == 1 and (screen.verdict is None or screen.verdict["line"] == 3)


async def test_q_leaves_bug_hunt_but_types_in_shape_guesser(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_with_key(pilot, "b", BugHuntScreen)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        shape = await open_with_key(pilot, "g", ShapeGuesserScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is shape and shape.query_one("#guess").value == "q"


@pytest.mark.parametrize(("key", "game"), [("b", BugHuntScreen), ("g", ShapeGuesserScreen)])
async def test_tab_never_stops_on_the_games_scroll(app_factory, key, game):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with_key(pilot, key, game)
        for _ in range(6):
            await pilot.press("tab")
            await pilot.pause()
            assert app.focused is not screen.query_one(VerticalScroll)


async def test_a_second_enter_with_the_first_does_not_skip_the_shape_verdict(app_factory):
    """The run returned and the verdict is in: an Enter pressed right then (a bouncy key) used
    to land on "Next round", which had the focus at once, and dealt the next round unseen."""
    gate = asyncio.Event()

    async def answer(code: str, **_: Any) -> FakeResult:
        await gate.wait()
        return FakeResult(stdout="(2, 3)\n")

    app = app_factory(sandbox=FakeSandbox(answer))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        first = screen.challenge
        await pilot.press(*"(2, 3)", "enter")
        gate.set()
        await wait_for(pilot, lambda: screen.verdict is not None)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.challenge is first and screen.verdict is not None
        await wait_for(pilot, lambda: app.focused is screen.query_one("#next"))
        await pilot.press("enter")  # now it is seen: Enter deals the next round
        await wait_for(pilot, lambda: screen.verdict is None)
        assert screen.challenge is not first


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_shape_verdict_without_a_run_says_so(app_factory, lang):
    down = FakeError("RuntimeError", "the sandbox is down")
    box = FakeSandbox(lambda code, **_: FakeResult(status="error", error=down))
    app = app_factory(lang=lang, sandbox=box)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        await pilot.press(*"(1, 1)", "enter")
        await wait_for(pilot, lambda: screen.verdict is not None)
        assert screen.verdict["truth"] == screen.challenge.expected
        assert tr("game.shape.truth_from_formula", lang) in screen_text(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_wrong_shape_shows_this_rounds_numbers_worked(app_factory, lang):
    box = FakeSandbox(lambda code, **_: FakeResult(stdout=f"{screen.challenge.expected}\n"))
    app = app_factory(lang=lang, sandbox=box)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await ready_shape(pilot, "conv1d")
        challenge = screen.challenge
        await pilot.press(*"(1, 1)", "enter")
        await wait_for(pilot, lambda: screen.verdict is not None)
        text = " ".join(screen_text(app).split())
        assert challenge.worked in text
        assert tr("game.shape.truth_from_formula", lang) not in text  # the run told the truth
        length = challenge.input_shape[-1]
        assert f"L_out = ⌊({length} " in challenge.worked
        assert challenge.worked.endswith(f"⇒ {challenge.expected}")


async def ready_shape(pilot: Any, kind: str) -> ShapeGuesserScreen:
    from tutor.games.shape_guesser import new_challenge

    await ready(pilot)
    screen = ShapeGuesserScreen(seed=0)
    screen.challenge = new_challenge(random.Random(2), kind)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen
