"""A learner's walk through both games at 80x24 and 60x20, in English and Chinese (rounds, runs
cancelled and left, F2 mid-game, odd answers), and the course map they start from."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import random
from typing import Any

import pytest
from textual.widgets import Input

from tutor.games.bug_hunt import KINDS, new_puzzle
from tutor.games.shape_guesser import KINDS as SHAPE_KINDS
from tutor.games.shape_guesser import new_challenge
from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.home import HomeScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.widgets.code_view import CodeView
from tutor.widgets.run_panel import RunPanel

from .conftest import (
    FakeResult,
    FakeSandbox,
    drawn,
    open_with_key,
    ready,
    screen_text,
    text_of,
    wait_for,
)

SIZES = [(80, 24), (60, 20)]
DEMO_SAID = "the demo printed this"


async def open_bug_hunt(pilot: Any, kind: str) -> BugHuntScreen:
    """Bug Hunt on a puzzle of ``kind``."""
    await ready(pilot)
    screen = BugHuntScreen(seed=0)
    screen.puzzle = new_puzzle(random.Random(0), kind)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_the_bug_hunt_demo_output_is_scrolled_into_view(app_factory, kind, lang, size):
    """ctrl+r (Run it) once answered: the output lands below the feedback, out of sight on a
    short terminal unless the game scrolls to it (the learner saw nothing happen)."""
    box = FakeSandbox(lambda code, **_: FakeResult(stdout=f"{DEMO_SAID}\n"))
    app = app_factory(lang, sandbox=box)
    async with app.run_test(size=size) as pilot:
        screen = await open_bug_hunt(pilot, kind)
        await pilot.press("enter")  # line 1: right or wrong, the demo is offered now
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.query_one(RunPanel).result is not None)
        await pilot.pause(0.1)
        assert DEMO_SAID in drawn(app)


async def test_submit_again_while_the_guess_runs_changes_nothing(app_factory):
    """Submit clicked (or ⏎ on it) while the guess runs: the run goes on, the guess box stays
    shut. It started a second run, and the first one's cancel gave the box back mid-run: an
    edited guess was then scored, and the box stayed open after the verdict."""
    gate = asyncio.Event()

    async def answer(code: str, **_: Any) -> FakeResult:
        await gate.wait()
        return FakeResult(stdout="(2, 3)\n")

    box = FakeSandbox(answer)
    app = app_factory(sandbox=box)
    async with app.run_test(size=SIZES[0]) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        await pilot.press(*"(2, 3)", "enter")
        await wait_for(pilot, lambda: len(box.calls) == 1)
        await pilot.click("#submit")
        await pilot.pause(0.1)
        guess = screen.query_one(Input)
        assert len(box.calls) == 1 and guess.disabled
        gate.set()
        await wait_for(pilot, lambda: screen.verdict is not None)
        assert screen.verdict == {"correct": True, "truth": (2, 3)}
        assert guess.disabled and guess.value == "(2, 3)"


def score_line(screen: Any) -> str:
    return text_of(screen.query_one(".game-score"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_many_rounds_of_bug_hunt_with_f2_between(app_factory, size):
    """Right, right, wrong, right, right, right: the score and the streak after each, the
    language switched every round (the verdict and marks follow)."""
    app = app_factory("zh")
    async with app.run_test(size=size) as pilot:
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        plan = [True, True, False, True, True, True]
        for number, right in enumerate(plan, start=1):
            puzzle = screen.puzzle
            line = (
                puzzle.answer
                if right
                else next(n for n in range(1, len(puzzle.lines) + 1) if not puzzle.check(n))
            )
            await pilot.press(*["down"] * (line - 1), "enter")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            score, streak = sum(plan[:number]), 0
            for done in reversed(plan[:number]):
                if not done:
                    break
                streak += 1
            said = score_line(screen)
            if app.lang == "en":
                assert said.startswith(f"Score {score}/{number}"), said
                assert (f"🔥 {streak} in a row" in said) == (streak > 1), said
                assert ("Right!" if right else "Not quite.") in drawn(app) + screen_text(app)
            else:
                assert said.startswith(f"得分 {score}/{number}"), said
                assert (f"连对 {streak} 次" in said) == (streak > 1), said
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert screen.verdict is None


@pytest.mark.parametrize("kind", sorted(SHAPE_KINDS))
async def test_the_shape_guesser_shows_the_code_it_runs(app_factory, kind):
    """The question asks for the shape of ``out``: the code shown must compute ``out`` as the
    run does. An LSTM's was shown as ``out = layer(x)``, a tuple with no shape, while the run
    took ``layer(x)[0]``."""
    app = app_factory()
    async with app.run_test(size=SIZES[0]) as pilot:
        await ready(pilot)
        screen = ShapeGuesserScreen(seed=0)
        screen.challenge = new_challenge(random.Random(0), kind)
        await app.push_screen(screen)
        await pilot.pause()
        shown = screen.query_one("#challenge", CodeView).code.split("\n")
        ran = screen.challenge.code.rstrip("\n").split("\n")
        assert ran[-1] == "print(tuple(out.shape))"
        assert shown[0] == ran[0]
        assert shown[1].startswith(ran[1] + "   # x.shape = ")
        assert shown[2:] == ran[2:-1]


def slow_to_cancel(delay_s: float = 0.5) -> Any:
    """A sandbox handler whose run never ends by itself and, cancelled, takes ``delay_s`` to
    stop, through any further cancel, as :class:`sandbox.AsyncSandbox` waits for the stopped
    run to report."""

    async def run(code: str, **_: Any) -> FakeResult:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            stopping = asyncio.ensure_future(asyncio.sleep(delay_s))
            while not stopping.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(stopping)
            raise
        raise AssertionError("unreachable")

    return run


@pytest.mark.parametrize("then", ["escape", "next"])
async def test_leaving_while_next_round_waits_for_the_run_to_stop(app_factory, then):
    """⏭ Next round clicked mid-run waits (in its handler) for the cancelled run to stop; esc
    (cancel, then leave) or ⏭ again meanwhile: nothing is scored, no run is left, no error."""
    app = app_factory(sandbox=FakeSandbox(slow_to_cancel()))
    async with app.run_test(size=SIZES[1]) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        first = screen.challenge
        await pilot.press(*"(2, 3)", "enter")
        await wait_for(pilot, lambda: screen.query_one(RunPanel).has_class("-running"))
        await pilot.click("#next")
        await pilot.pause(0.05)
        if then == "escape":
            await pilot.press("escape", "escape")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        else:
            await pilot.click("#next")
            await wait_for(pilot, lambda: screen.challenge is not first)
            assert not screen.query_one(RunPanel).display
            assert not screen.query_one(Input).disabled
        assert screen.rounds == 0 and screen.verdict is None
        assert not [w for w in app.workers if w.group == "run" and not w.is_finished]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_odd_answers_to_the_shape_guesser(app_factory, lang):
    """Blank: nothing runs, nothing is scored, and the format is said (QA 37: Enter on an empty
    box did nothing at all). Full-width punctuation from a Chinese input method reads as the
    shape it spells."""
    box = FakeSandbox(lambda code, **_: FakeResult(stdout="(2, 3)\n"))
    app = app_factory(lang, sandbox=box)
    async with app.run_test(size=SIZES[1], notifications=True) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        guess = screen.query_one(Input)
        guess.value = "   "
        await pilot.press("enter")
        await pilot.pause()
        assert (box.calls, screen.rounds) == ([], 0)
        hint = tr("game.shape.bad_shape", lang, example="@").split("@")[0]
        assert hint in screen_text(app)  # under the buttons (test_game_input_notes)
        guess.value = "（２，３）"
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.verdict is not None)
        assert screen.verdict == {"correct": True, "truth": (2, 3)}
        assert text_of(screen.query_one(".game-score")).startswith(
            "Score 1/1" if lang == "en" else "得分 1/1"
        )


async def test_continue_with_no_lessons_says_there_are_none(app_factory, tmp_path):
    """c on the course map of an empty deck folder (``--decks`` pointed astray) said "Loading
    lessons…" however long the learner waited: the decks had loaded, with no lesson in them."""
    empty = tmp_path / "empty"
    empty.mkdir()
    app = app_factory(decks=[empty])
    async with app.run_test(size=SIZES[0]) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert tr("home.no_lessons", "en") in said
        assert tr("home.loading", "en") not in said


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_format_hint_never_spells_the_answer(app_factory, lang):
    """Something that is no shape gets a hint with an example; it said "(4, 2) or 4x2" always,
    which is the answer of a Linear round with batch 4 and 2 outputs."""
    app = app_factory(lang)
    async with app.run_test(size=SIZES[0], notifications=True) as pilot:
        await ready(pilot)
        screen = ShapeGuesserScreen(seed=0)
        challenge = new_challenge(random.Random(0), "linear")
        screen.challenge = dataclasses.replace(challenge, expected=(4, 2))
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press(*"four", "enter")
        await pilot.pause()
        said = text_of(screen.query_one(".game-note"))  # under the buttons
        assert said and "(4, 2)" not in said and "4x2" not in said, said


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_blank_line_picked_in_bug_hunt_is_no_answer(app_factory, lang):
    """A blank line holds no code, so no bug: picking one (a slip of the arrow keys) said "Not
    quite" and broke the streak. It is refused with a word, and the round goes on."""
    app = app_factory(lang)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_bug_hunt(pilot, "double_softmax")
        blank = next(n for n, line in enumerate(screen.puzzle.lines, start=1) if not line.strip())
        await pilot.press(*["down"] * (blank - 1), "enter")
        await pilot.pause()
        assert (screen.verdict, screen.rounds) == (None, 0)
        said = screen_text(app)  # under the buttons (test_game_input_notes)
        assert (f"Line {blank} is blank" if lang == "en" else f"第 {blank} 行是空行") in said
        await pilot.press("home", *["down"] * (screen.puzzle.answer - 1), "enter")
        await pilot.pause()
        assert screen.verdict is not None and screen.verdict["correct"] and screen.score == 1


async def test_bug_hunt_never_deals_the_same_kind_twice_in_a_row(app_factory):
    """Each round was drawn afresh: the very same puzzle came twice in a row about one round
    in sixty (QA), which reads as the game being stuck."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        kinds = [screen.puzzle.kind]
        for _ in range(12):
            await pilot.press("ctrl+n")
            await pilot.pause()
            kinds.append(screen.puzzle.kind)
        assert all(a != b for a, b in itertools.pairwise(kinds)), kinds
