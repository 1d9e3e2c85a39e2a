"""Inline code and secondary text read at 4.5:1 (WCAG) on every theme the tutor offers, as
drawn: inline code was the terminal's cyan outside verdicts (3.3-4.0:1 on the light themes: an
exercise's hints, Shape Guesser's question, Bug Hunt's title), and secondary text was dimmed
(Bug Hunt's how-to line 2.9:1 on solarized-light; the home screen's, Review's and the run
panel's 4.3:1 on tokyo-night, the default). Measured with the contrast tests' helpers."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from textual.widgets import Static

from tests.tui.conftest import (
    FakeError,
    FakeLearning,
    FakeResult,
    FakeSandbox,
    colours,
    drawn_pieces,
    low_in,
    open_exercise,
    open_with_key,
    themed_app,
    unreadable,
    wait_for,
)
from tutor.games.bug_hunt import KINDS, new_puzzle
from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.review import ReviewScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.screens.stats import HEAT_GLYPHS, StatsScreen
from tutor.theme_styles import THEMES, contrast
from tutor.widgets.run_panel import MAX_SHOWN_OUTPUT, RunPanel


async def leave(pilot: Any, screen: type) -> None:
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, screen))


@pytest.mark.parametrize("theme", THEMES)
async def test_inline_code_and_the_bug_hunts_how_to_read_on_every_theme(tmp_path, theme) -> None:
    async with themed_app(tmp_path, theme) as pilot:
        view = await open_exercise(pilot, "tui-basics.ex")
        view.show_hints_taken(len(view.step.hints))  # the second says `bias=`
        await pilot.pause()
        low = low_in(view.query_one(".hints", Static), "exercise hints")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        low += low_in(screen.query_one(".game-question", Static), "shape question")  # `out`
        await leave(pilot, ShapeGuesserScreen)
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        for kind in sorted(KINDS):  # the titles with code in them, and the how-to line
            screen.puzzle = new_puzzle(random.Random(0), kind)
            screen.on_lang()
            await pilot.pause()
            low += low_in(screen.query_one(".game-question", Static), f"bug hunt {kind}")
        assert not low, "\n".join([theme, *low])


@pytest.mark.parametrize("theme", THEMES)
async def test_secondary_text_reads_on_every_theme(tmp_path, theme) -> None:
    """The home screen's hint under a lesson, Review's words once nothing is due (how to
    leave), and Stats' panels (the forecast's ends, the heatmap's legend, "none")."""
    async with themed_app(tmp_path, theme, learning=True) as pilot:
        home = pilot.app.screen
        low = low_in(home.query_one("#lesson-hint", Static), "home lesson hint")
        screen = await open_with_key(pilot, "r", ReviewScreen)
        await wait_for(pilot, lambda: screen.state not in ("loading",))
        await pilot.pause()
        low += low_in(screen.query_one("#review-summary", Static), "review summary")
        await leave(pilot, ReviewScreen)
        screen = await open_with_key(pilot, "t", StatsScreen)
        await wait_for(pilot, lambda: screen.data is not None)
        await pilot.pause()
        for panel in ("#stats-forecast", "#stats-heatmap", "#stats-cards"):
            # the heatmap's cells are graphics (3:1, their colours Styles.heat's): its words count
            low += [
                piece
                for piece in low_in(screen.query_one(panel, Static), f"stats {panel}")
                if not re.search(r"'[\s" + "".join(HEAT_GLYPHS) + r"]*'", piece)
            ]
        assert not low, "\n".join([theme, *low])


def long_failing_run(code: str, **_: Any) -> FakeResult:
    """A run whose output is cut (a gap in it, and more left out than was sent) and that ends
    in an error with a traceback."""
    stdout = "".join(f"line {n}\n" for n in range(MAX_SHOWN_OUTPUT // 4))
    error = FakeError("ValueError", "bad", 'File "<snippet>", line 2\n    boom()', line=2)
    return FakeResult(status="error", stdout=stdout, error=error, output_truncated=True)


@pytest.mark.parametrize("theme", THEMES)
async def test_a_runs_secondary_text_reads_on_every_theme(tmp_path, theme) -> None:
    """The run panel's device and time, its notes of output left out, and the traceback."""
    sandbox = FakeSandbox(long_failing_run)
    options = {"sandbox": sandbox, "start": "lesson", "start_arg": "tui-next"}
    async with themed_app(tmp_path, theme, **options) as pilot:
        app = pilot.app
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("right")
        await pilot.pause()
        await pilot.press("r")
        panel = app.screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.result is not None)
        await pilot.pause()
        low = low_in(panel.query_one(".run-status-text", Static), "run status")
        # the error's line and its traceback set apart: both read (nord's $error read 3.0:1)
        error = panel.query_one(".run-error", Static)
        measured = {y: contrast(*colours(error, piece)) for y, piece in drawn_pieces(error)}
        assert len(measured) >= 3, measured  # the error's line and the traceback's two
        low += unreadable(error, "run error")
        output = panel.query_one(".run-stdout")
        notes = []
        cut = tr("sandbox.output_truncated", "en")
        for top in range(0, output.virtual_size.height, output.size.height):  # page by page
            output.scroll_to(y=top, animate=False)
            await pilot.pause()
            notes += [piece.text for _, piece in drawn_pieces(output) if "⋯" in piece.text]
            notes += [piece.text for _, piece in drawn_pieces(output) if cut in piece.text]
            low += unreadable(output, f"run output from row {top}")
        assert len(notes) >= 2, notes  # the gap's note and the truncation's were measured
        assert not low, "\n".join([theme, *low])


@pytest.mark.parametrize("game, key", [(ShapeGuesserScreen, "g"), (BugHuntScreen, "b")])
async def test_a_games_question_follows_a_theme_change(tmp_path, game, key) -> None:
    """Its code drawn in the dark theme's cyan stayed after a change to a light theme."""
    async with themed_app(tmp_path, "tokyo-night") as pilot:
        app = pilot.app
        screen = await open_with_key(pilot, key, game)
        if game is BugHuntScreen:  # a title with code in it
            screen.puzzle = new_puzzle(random.Random(0), "no_return")
            screen.on_lang()
        app.theme = "solarized-light"
        await pilot.pause()
        question = screen.query_one(".game-question", Static)
        assert "out" in question.content.plain
        assert not low_in(question, "question after the theme change")


@pytest.mark.parametrize("theme", THEMES)
async def test_a_progress_read_failure_on_the_map_reads_on_every_theme(tmp_path, theme) -> None:
    """ "⚠ could not read…" was the terminal's red: 4.1:1 on tokyo-night."""
    from tutor.screens.home import HomeScreen

    async with themed_app(tmp_path, theme, learning=FakeLearning()) as pilot:
        app = pilot.app
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: app.learning is not None)
        home.read_error = "database is locked"
        home._render_side()
        await pilot.pause()
        today = home.query_one("#today", Static)
        assert "database is locked" in str(today.render())
        assert not (low := low_in(today, "home today")), "\n".join([theme, *low])
