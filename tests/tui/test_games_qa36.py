"""Games after fixer 8's QA pass: Bug Hunt's missing lines are picked as "it goes right after this
line" (zero_grad right after step() is right, right after backward() wrong; eval() inside
no_grad() right) and said so in the feedback; Shape Guesser's answer box takes the focus back
after an unreadable guess, and its Submit is off once answered; the games' cheers vary, fit any
question and console a wrong answer; Enter after Bug Hunt's verdict deals the next round, once seen."""

from __future__ import annotations

import random
from typing import Any

import pytest
from textual.widgets import Button, Input

from tutor.games.bug_hunt import new_puzzle
from tutor.i18n import catalog_keys, tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.game import GameScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.widgets.choice_list import ChoiceList
from tutor.widgets.step_base import RIGHT_CHEERS, WRONG_CHEERS

from .conftest import FakeResult, FakeSandbox, open_with_key, ready, screen_text, wait_for

SIZE = (110, 40)


async def bug_hunt_with(pilot: Any, kind: str, seed: int | None = 0) -> BugHuntScreen:
    await ready(pilot)
    screen = BugHuntScreen(seed=seed)
    screen.puzzle = new_puzzle(random.Random(0), kind)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


def line_of(screen: BugHuntScreen, text: str) -> int:
    return next(n for n, line in enumerate(screen.puzzle.lines, start=1) if line.strip() == text)


def feedback(screen: BugHuntScreen | ShapeGuesserScreen) -> str:
    return str(screen.query_one(".game-feedback").render())


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_zero_grad_right_after_step_is_right_and_the_fix_goes_there(app_factory, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "no_zero_grad")
        step = line_of(screen, "opt.step()")
        await pilot.press(str(step), "enter")
        await pilot.pause()
        assert screen.verdict == {"correct": True, "line": step}
        assert tr("game.bug.fix_missing", lang, line=step) in feedback(screen)
        fixed = [line for line in screen_text(app).splitlines() if "⤵ opt.zero_grad()" in line]
        assert len(fixed) == 1 and "opt.step()" in fixed[0]  # shown right after the pick


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_zero_grad_right_after_backward_is_wrong_and_the_feedback_names_every_place(
    app_factory, lang
):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "no_zero_grad")
        await pilot.press(str(line_of(screen, "loss.backward()")), "enter")
        await pilot.pause()
        assert screen.verdict is not None and screen.verdict["correct"] is False
        places = {"en": "4, 5 or 7", "zh": "4、5 或 7"}[lang]
        assert tr("game.bug.was_missing", lang, lines=places) in feedback(screen)
        assert tr("game.bug.fix_missing", lang, line=4) in feedback(screen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_eval_right_after_no_grad_is_right(app_factory, lang):
    """model.eval() right after `with torch.no_grad():` makes both predictions equal (torch
    says so, tests/games/test_bug_hunt_fx8.py): a right pick, not a grading error."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "eval_forgotten")
        no_grad = line_of(screen, "with torch.no_grad():")
        await pilot.press(str(no_grad), "enter")
        await pilot.pause()
        assert screen.verdict == {"correct": True, "line": no_grad}
        assert tr("game.bug.fix_missing", lang, line=no_grad) in feedback(screen)


async def test_an_unreadable_guess_by_click_puts_the_focus_back_in_the_box(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        await pilot.press(*"abc")
        await pilot.click("#submit")
        await pilot.pause()
        assert screen.verdict is None
        assert isinstance(app.focused, Input)
        await pilot.press("q")  # a letter in the box, not a way out of the game
        await pilot.pause()
        assert app.screen is screen and screen.query_one(Input).value == "abcq"


async def test_shape_guessers_submit_is_off_once_answered(app_factory):
    app = app_factory(sandbox=FakeSandbox(lambda code, **_: FakeResult(stdout="(2, 3)\n")))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        assert not screen.query_one("#submit", Button).disabled
        await pilot.press(*"(2, 3)", "enter")
        await wait_for(pilot, lambda: screen.verdict is not None)
        assert screen.query_one("#submit", Button).disabled
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.verdict is None)
        assert not screen.query_one("#submit", Button).disabled


def cheer_of(screen: BugHuntScreen, lang: str = "en") -> str:
    """The key of the cheer the feedback shows."""
    text = feedback(screen)
    shown = [key for key in RIGHT_CHEERS + WRONG_CHEERS if tr(key, lang) in text]
    assert len(shown) == 1, text
    return shown[0]


async def play_right(pilot: Any, screen: BugHuntScreen, rounds: int) -> list[str]:
    """The cheers of ``rounds`` right answers in a row."""
    cheers = []
    for _ in range(rounds):
        screen.pick(screen.puzzle.answer)
        await pilot.pause()
        cheers.append(cheer_of(screen))
        await screen.action_new_round()
        screen.puzzle = new_puzzle(random.Random(0), "no_return")  # one wrong line, as before
        screen.on_lang()
        await pilot.pause()
    return cheers


async def test_bug_hunt_cheers_go_round_the_whole_pool_without_repeating(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "no_return")
        cheers = await play_right(pilot, screen, len(RIGHT_CHEERS))
        assert sorted(cheers) == sorted(RIGHT_CHEERS)  # every cheer, each once


TOPIC_WORDS = ("shape", "nan", "形状")
"""Words of a topic some questions are about: a cheer for a right answer to a NaN question
said "No NaNs here"."""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_cheer_talks_of_a_questions_topic(lang):
    """Quizzes, exercises and games draw from one pool of cheers, for any question (an eval()
    one, a NaN one): a cheer about shapes or NaNs fits only some of them."""
    said = {key: tr(key, lang).lower() for key in RIGHT_CHEERS + WRONG_CHEERS}
    assert [key for key, cheer in said.items() if any(w in cheer for w in TOPIC_WORDS)] == []


async def test_cheers_differ_between_visits(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        visits = []
        for _ in range(3):
            screen = await bug_hunt_with(pilot, "no_return", seed=None)  # as the app opens it
            visits.append(await play_right(pilot, screen, 4))
            screen.dismiss()
            await pilot.pause()
        assert len({tuple(cheers) for cheers in visits}) > 1


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_wrong_answer_gets_a_consolation_line(app_factory, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "no_return")
        wrong = next(n for n in range(1, 10) if screen.puzzle.lines[n - 1].strip())
        assert not screen.puzzle.check(wrong)
        screen.pick(wrong)
        await pilot.pause()
        assert cheer_of(screen, lang) in WRONG_CHEERS


async def test_enter_after_bug_hunts_verdict_deals_the_next_round_once_seen(
    app_factory, monkeypatch
):
    # the verdict's moment outlasts a loaded machine's gap between the two Enters
    monkeypatch.setattr(GameScreen, "NEXT_AFTER_S", 3.0)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "no_return")
        first = screen.puzzle
        await wait_for(pilot, lambda: isinstance(app.focused, ChoiceList))  # the lines have Enter
        await pilot.press("enter", "enter")  # a bouncy Enter: the verdict stays on screen
        await pilot.pause()
        assert screen.verdict is not None and screen.puzzle is first and screen.rounds == 1
        await wait_for(pilot, lambda: app.focused is screen.query_one("#next"))
        await pilot.press("enter")  # seen: Enter deals the next round
        await wait_for(pilot, lambda: screen.verdict is None)
        assert screen.puzzle is not first and screen.rounds == 1
        assert isinstance(app.focused, ChoiceList)  # the new round's lines have the keys


@pytest.mark.parametrize(("lang", "words"), [("en", "missing"), ("zh", "缺")])
@pytest.mark.parametrize("kind", ["no_super", "double_softmax"])
async def test_bug_hunts_instruction_says_where_a_missing_line_is_picked(
    app_factory, lang, words, kind
):
    """A pick for a missing line means "it goes right after this one": the instruction says so
    before any answer, for every puzzle of up to 9 lines alike (it gives away no kind: only its
    number keys, which follow the puzzle's line count), whole at 80×24."""
    app = app_factory(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await bug_hunt_with(pilot, kind)
        how = tr("game.bug.how", lang, last=len(screen.puzzle.lines))  # every line's digit
        assert words in how
        question = screen.query_one(".game-question")
        assert how in str(question.render())
        # the instruction wraps inside the screen's width and leaves the code in view below it
        assert question.region.right <= 80
        assert screen.query_one(ChoiceList).region.y < 24


def test_the_one_list_of_cheers_is_every_cheer_in_the_catalogue():
    """Quizzes, exercises and games take their cheers from step_base's lists: a cheer added to
    the catalogue but not there would never show, one there but not in it would show a key."""
    for kind, keys in (("right", RIGHT_CHEERS), ("wrong", WRONG_CHEERS)):
        assert set(keys) == {key for key in catalog_keys() if key.startswith(f"cheer.{kind}.")}
    decks = BugHuntScreen(seed=0).cheers
    assert set(decks[True].keys) == set(RIGHT_CHEERS)  # every cheer fits Bug Hunt
    # but "just a missing piece", where a missing line is one of its answers
    assert set(decks[False].keys) == set(WRONG_CHEERS) - {"cheer.wrong.5"}
