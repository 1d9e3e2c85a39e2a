"""The two games through the pilot: Shape Guesser against the real sandbox, Bug Hunt by keys."""

from __future__ import annotations

import dataclasses
import re

import pytest
from textual.widgets import Input

from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.home import HomeScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.widgets.run_panel import RunPanel

from .conftest import (
    HANG,
    FakeResult,
    FakeSandbox,
    open_with_key,
    ready,
    screen_text,
    start_bug_hunt_demo,
    wait_for,
)

SIZE = (100, 40)


def shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(map(str, shape)) + ")"


async def guess(pilot, screen: ShapeGuesserScreen, answer: str) -> None:
    assert isinstance(pilot.app.focused, Input)
    await pilot.press(*answer, "enter")
    await wait_for(pilot, lambda: screen.verdict is not None)


async def test_shape_guesser_wrong_then_right_against_the_sandbox(app_factory, real_sandbox):
    app = app_factory(sandbox=real_sandbox())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        wrong = (*screen.challenge.expected, 1)  # one dimension too many: never the truth
        await guess(pilot, screen, shape_text(wrong))
        printed = screen.query_one(RunPanel).result.stdout.strip()
        assert printed == shape_text(screen.verdict["truth"])  # the sandbox said so
        assert screen.verdict["correct"] is False
        text = screen_text(app)
        assert "Not quite." in text and f"It is {printed}." in text
        assert "Score 0/1" in text

        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.verdict is None and not screen.query_one(RunPanel).display
        await guess(pilot, screen, "x".join(map(str, screen.challenge.expected)))
        assert screen.verdict["correct"] is True
        assert screen.verdict["truth"] == screen.challenge.expected
        assert "Right!" in screen_text(app) and "Score 1/2" in screen_text(app)

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_shape_guesser_believes_the_sandbox_over_its_formula(app_factory):
    claimed = (9, 9)
    box = FakeSandbox(lambda code, **_: FakeResult(stdout=f"{claimed}\n"))
    app = app_factory(sandbox=box)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = ShapeGuesserScreen(seed=1)
        await app.push_screen(screen)
        await pilot.pause()
        await guess(pilot, screen, shape_text(screen.challenge.expected))
        assert screen.verdict == {"correct": False, "truth": claimed}
        assert box.calls[-1]["code"] == screen.challenge.code


async def test_bug_hunt_wrong_line_then_right_line(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        puzzle = screen.puzzle
        wrong = next(n for n in range(1, len(puzzle.lines) + 1) if not puzzle.check(n))
        await pilot.press(*["down"] * (wrong - 1), "enter")
        await pilot.pause()
        assert screen.verdict == {"correct": False, "line": wrong}
        text = screen_text(app)
        if puzzle.missing:  # a missing line: named by the lines it goes right after
            where = tr("game.bug.was_missing", "en", lines=screen._lines_or(puzzle.right_lines))
        elif len(puzzle.bug_lines) == 1:
            where = f"The bug is at line {puzzle.answer}."
        else:
            where = f"The bug spans lines {puzzle.bug_span}."
        assert where in text
        assert puzzle.fix.strip() in text
        assert "Score 0/1" in text

        await pilot.press("ctrl+r")  # the demo shows the symptom in the sandbox
        await wait_for(pilot, lambda: screen.query_one(RunPanel).result is not None)
        assert app.sandbox.calls[-1]["code"] == puzzle.demo

        await pilot.press("ctrl+n")
        await pilot.pause()
        assert screen.verdict is None
        puzzle = screen.puzzle
        await pilot.press(*["down"] * (puzzle.answer - 1), "enter")
        await pilot.pause()
        assert screen.verdict == {"correct": True, "line": puzzle.answer}
        assert "Right!" in screen_text(app) and "Score 1/2" in screen_text(app)


async def test_a_new_round_stops_the_last_rounds_run(app_factory):
    box = FakeSandbox(lambda code, **_: HANG)  # the reveal never finishes on its own
    app = app_factory(sandbox=box)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        first = screen.challenge
        await pilot.press(*shape_text(first.expected), "enter")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: "working..." in screen_text(app))

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.challenge is not first)
        await pilot.pause()
        # the old run was cancelled, not scored against the new challenge
        assert screen.verdict is None and screen.rounds == 0
        assert not panel.display and not screen.query_one(Input).disabled
        assert not [w for w in screen.workers if w.group == "run" and not w.is_finished]


async def test_a_new_round_stops_the_bug_hunt_demo(app_factory):
    box = FakeSandbox(lambda code, **_: HANG)
    app = app_factory(sandbox=box)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_bug_hunt_demo(pilot)

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.verdict is None)
        await pilot.pause()
        assert not screen.query_one(RunPanel).display
        assert not [w for w in screen.workers if w.group == "run" and not w.is_finished]


@pytest.mark.parametrize("answer", [(4, 2), (2, 5)], ids=["old-fixed-hint", "first-example"])
async def test_shape_guesser_hint_never_shows_the_rounds_answer(app_factory, monkeypatch, answer):
    from tutor.screens import shape_guesser

    real = shape_guesser.new_challenge
    monkeypatch.setattr(
        shape_guesser,
        "new_challenge",
        lambda rng, **kw: dataclasses.replace(real(rng, **kw), expected=answer),
    )
    app = app_factory(sandbox=FakeSandbox(lambda code, **_: FakeResult(stdout=f"{answer}\n")))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        for _ in range(3):
            hint = screen.query_one(Input).placeholder
            shown = re.search(r"\(\d+, \d+\)", hint)
            assert shown is not None, hint
            assert not screen.challenge.check(shown.group()), hint
            await pilot.press("ctrl+n")
            await pilot.pause()
