"""What a game says of the learner's input that is no answer (a blank line picked, Submit with no
line picked, a guess that is no shape) is said in the game, under its buttons, till the learner
acts again: as toasts (QA, 80x24) they covered "⏭ Next round" (drawn "⏭ Ne▌") and Submit for
seconds, out of a mouse user's reach, and three empty guesses stacked three of them."""

from __future__ import annotations

import random

import pytest
from textual.widgets import Button, Input, Static

from tutor.games.bug_hunt import KINDS, new_puzzle
from tutor.i18n import tr
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.game import GameScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.theme_styles import THEMES
from tutor.widgets.step_quiz_predict import format_example

from .conftest import (
    drawn,
    low_in,
    open_with_key,
    screen_text,
    themed_app,
    toasts,
    unwrapped,
    wait_for,
)
from .test_tui_games_walk import open_bug_hunt

SIZE = (80, 24)
BLANK_LINES = {
    kind: blank
    for kind in sorted(KINDS)
    for blank in [
        n for n, line in enumerate(new_puzzle(random.Random(0), kind).lines, 1) if not line.strip()
    ][:1]
}
"""The first blank line of each Bug Hunt puzzle that has one."""


def notes_shown(screen: GameScreen) -> list[str]:
    """The text of each note the game shows under its buttons."""
    return [str(note.render()) for note in screen.query(".game-note") if note.display]


def pick_first_said(screen: BugHuntScreen, lang: str) -> str:
    """Bug Hunt's note asking for a pick, in ``lang``: in the puzzle's own number keys, which
    test_bug_hunt_number_keys.py checks."""
    assert screen.note is not None
    key, values = screen.note
    assert key in ("game.bug.pick_first", "game.bug.pick_first_long"), key
    return tr(key, lang, **values)


def said_under_the_buttons(screen: GameScreen, said: str) -> None:
    """``said`` is the game's one note, in view; no toast; no answer taken; each of the game's
    buttons shown is drawn whole (nothing lies over it)."""
    app = screen.app
    assert (screen.verdict, toasts(app), notes_shown(screen)) == (None, [], [said])
    shown = drawn(app)
    # the whole note, wrapped as it may be at 80 columns (Bug Hunt's 10-line puzzle's is)
    assert unwrapped(said, app.lang) in unwrapped(shown, app.lang), shown
    for button in screen.query(Button):
        if button.display:
            assert str(button.label) in shown, (str(button.label), shown)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(BLANK_LINES))
async def test_a_blank_line_picked_is_said_under_the_buttons(app_factory, kind, lang):
    """A line's number, then Enter: the note is in view, the buttons uncovered, no toast; the
    next pick puts the note away."""
    app = app_factory(lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_bug_hunt(pilot, kind)
        blank = BLANK_LINES[kind]
        await pilot.press(str(blank), "enter")
        await pilot.pause()
        said = tr("game.bug.blank_line", lang, line=blank)
        said_under_the_buttons(screen, said)
        await pilot.press("enter")  # again: still the one note
        await pilot.pause()
        said_under_the_buttons(screen, said)
        await pilot.press(str(screen.puzzle.answer))
        await pilot.pause()
        assert notes_shown(screen) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_submit_with_no_line_picked_is_said_under_the_buttons(app_factory, lang):
    app = app_factory(lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        await pilot.click(screen.query_one("#submit", Button))
        await pilot.pause()
        said_under_the_buttons(screen, pick_first_said(screen, lang))
        await pilot.press("down")  # a pick
        await pilot.pause()
        assert notes_shown(screen) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_empty_guess_is_said_once_under_the_buttons(app_factory, lang):
    """Enter three times on an empty box: one note, never a stack; typing puts it away."""
    app = app_factory(lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        await pilot.press("enter", "enter", "enter")
        await pilot.pause()
        example = format_example("shape", screen.challenge.check)
        said_under_the_buttons(screen, tr("game.shape.bad_shape", lang, example=example))
        assert app.focused is screen.query_one(Input)
        await pilot.press("(")
        await pilot.pause()
        assert notes_shown(screen) == []


@pytest.mark.parametrize("game", ["bug", "shape"])
async def test_the_note_follows_the_language(app_factory, game):
    """F2 with the note shown: said again in the other language, not left in the first (nor
    put away: Bug Hunt's lines, drawn again, are no pick)."""
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        if game == "bug":
            screen: GameScreen = await open_bug_hunt(pilot, "no_super")
            await pilot.press(str(BLANK_LINES["no_super"]), "enter")
            key, values = "game.bug.blank_line", {"line": BLANK_LINES["no_super"]}
        else:
            screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
            await pilot.press(*"four", "enter")
            key, values = "game.shape.bad_shape", {"example": "@"}
        await pilot.pause()
        start = tr(key, "en", **values).split("@")[0]
        assert notes_shown(screen)[0].startswith(start)
        screen.set_focus(None)  # F2 from off the box, as the footer offers it
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang.value == "zh")
        await pilot.pause()
        notes = notes_shown(screen)
        start = tr(key, "zh", **values).split("@")[0]
        assert len(notes) == 1 and notes[0].startswith(start), notes


async def test_a_new_round_and_an_answer_put_the_note_away(app_factory):
    app = app_factory("en")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bug_hunt(pilot, "no_super")
        await pilot.press(str(BLANK_LINES["no_super"]), "enter")
        await pilot.pause()
        assert notes_shown(screen)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.puzzle.kind != "no_super")
        assert notes_shown(screen) == []
        await pilot.click(screen.query_one("#submit", Button))
        await pilot.pause()
        assert notes_shown(screen)
        await pilot.press("enter")  # line 1 answered from the list: no more to say of the input
        await wait_for(pilot, lambda: screen.verdict is not None)
        assert notes_shown(screen) == []
        assert "Pick a line first" not in screen_text(app)


@pytest.mark.parametrize("theme", THEMES)
async def test_the_note_reads_on_every_theme(tmp_path, theme: str) -> None:
    async with themed_app(tmp_path, theme, size=SIZE) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        await pilot.press("enter")
        await pilot.pause()
        notes = [note for note in screen.query(".game-note") if note.display]
        assert len(notes) == 1
        note = notes[0]
        assert isinstance(note, Static)
        low = low_in(note, "the note under the buttons")
        assert not low, "\n".join([theme, *low])
