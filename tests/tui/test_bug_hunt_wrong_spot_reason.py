"""Bug Hunt says why a wrong spot for a missing line fails, in the learner's language: right after
``loss.backward()`` ``opt.zero_grad()`` wipes the fresh gradients so nothing learns; right after
``self.fc2 = ...`` ``super().__init__()`` comes too late (the line before already raised). A right pick
and a wrong line puzzle show no such reason."""

from __future__ import annotations

import random

import pytest

from tutor.games.bug_hunt import NO_INIT_YET, new_puzzle
from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.widgets.choice_list import ChoiceList

from .conftest import ready, text_of


def _line(puzzle, needle: str) -> int:
    return next(n for n, text in enumerate(puzzle.lines, start=1) if needle in text)


async def _answer(app, pilot, kind: str, needle: str) -> tuple[BugHuntScreen, int]:
    """A round of ``kind`` answered with the learner's keys on the line holding ``needle``."""
    screen = BugHuntScreen(seed=0)
    screen.puzzle = puzzle = new_puzzle(random.Random(0), kind)
    await app.push_screen(screen)
    await pilot.pause()
    line = _line(puzzle, needle)
    screen.query_one(ChoiceList).focus()
    await pilot.press(*["down"] * (line - 1), "enter")
    await pilot.pause()
    assert screen.verdict is not None and screen.verdict["line"] == line
    return screen, line


def _feedback(screen: BugHuntScreen) -> str:
    return text_of(screen.query_one(".game-feedback"))


def _unmarked(text: str) -> str:
    """A catalogue text as drawn: its code spans lose their backticks."""
    return text.replace("`", "")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_zero_grad_after_backward_says_nothing_learns(app_factory, lang: str) -> None:
    app = app_factory(lang)
    async with app.run_test(size=(100, 50)) as pilot:
        await ready(pilot)
        screen, line = await _answer(app, pilot, "no_zero_grad", "loss.backward()")
        assert not screen.verdict["correct"]
        assert _unmarked(tr("game.bug.why.stuck", lang, line=line)) in _feedback(screen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_super_init_after_the_second_layer_is_too_late(app_factory, lang: str) -> None:
    app = app_factory(lang)
    async with app.run_test(size=(100, 50)) as pilot:
        await ready(pilot)
        screen, line = await _answer(app, pilot, "no_super", "self.fc2 =")
        said = tr("game.bug.why.too_late", lang, line=line, at=line - 1, error=NO_INIT_YET)
        assert _unmarked(said) in _feedback(screen)


BREAKS = [
    (
        "en",
        "no_zero_grad",
        "model = nn.Linear",
        "Right after line 1, `opt.zero_grad()` itself fails: "
        "`NameError: name 'opt' is not defined`.",
    ),
    (
        "zh",
        "no_zero_grad",
        "model = nn.Linear",
        "紧跟在第 1 行之后，`opt.zero_grad()` 本身就会出错："
        "`NameError: name 'opt' is not defined`——找不到名字 `opt`。",
    ),
    (
        "zh",
        "eval_forgotten",
        "nn.Sequential(",
        "紧跟在第 1 行之后，`model.eval()` 本身就会出错："
        "`SyntaxError: invalid syntax`——语法错误：Python 看不懂这里的写法。",
    ),
]


@pytest.mark.parametrize(("lang", "kind", "needle", "reason"), BREAKS)
async def test_a_statement_that_breaks_there_quotes_pythons_error(
    app_factory, lang: str, kind: str, needle: str, reason: str
) -> None:
    """Right after ``model = nn.Linear(...)`` ``opt.zero_grad()`` runs before ``opt`` is made;
    inside ``nn.Sequential(`` ``model.eval()`` does not parse. Python's words are quoted as
    code; in Chinese their gloss follows the quote, its own code spans outside it (inside, they
    broke it: literal backticks on the screen)."""
    app = app_factory(lang)
    async with app.run_test(size=(100, 50)) as pilot:
        await ready(pilot)
        screen, line = await _answer(app, pilot, kind, needle)
        assert not screen.verdict["correct"] and line == 1
        assert screen._spot_reason() == reason
        assert _unmarked(reason) in _feedback(screen) and "`" not in _feedback(screen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_super_init_after_the_failing_line_says_that_line_fails(
    app_factory, lang: str
) -> None:
    """Right after ``self.fc1 = ...`` the picked line itself raises: no "line 3 fails before it
    runs" about the same line, but a wording of its own."""
    app = app_factory(lang)
    async with app.run_test(size=(100, 50)) as pilot:
        await ready(pilot)
        screen, line = await _answer(app, pilot, "no_super", "self.fc1 =")
        assert screen.puzzle.misses[line].at == line
        said = tr("game.bug.why.fails_itself", lang, line=line, error=NO_INIT_YET)
        assert _unmarked(said) in _feedback(screen)
        assert _unmarked(
            tr("game.bug.why.too_late", lang, line=line, at=line, error=NO_INIT_YET)
        ) not in _feedback(screen)


async def test_eval_too_late_says_the_predictions_still_differ(app_factory) -> None:
    app = app_factory("en")
    async with app.run_test(size=(100, 50)) as pilot:
        await ready(pilot)
        screen, line = await _answer(app, pilot, "eval_forgotten", "first = model")
        symptom = screen.puzzle.symptom.text("en")
        said = tr("game.bug.why.stays", "en", line=line, symptom=symptom)
        assert _unmarked(said) in _feedback(screen)


async def test_a_right_pick_gives_no_spot_reason(app_factory) -> None:
    app = app_factory("en")
    async with app.run_test(size=(100, 50)) as pilot:
        await ready(pilot)
        screen, _ = await _answer(app, pilot, "no_zero_grad", "opt.step()")
        assert screen.verdict["correct"]
        assert "🔎" not in _feedback(screen)
