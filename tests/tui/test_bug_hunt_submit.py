"""Bug Hunt's Submit button answers only a line the learner picked: clicked on the line a round
starts on, which nobody chose, it answered it as if the learner had (QA). Enter in the list
answers the line the learner's keys are on, as a list does."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button

from tests.tui.conftest import make_app, open_with_key, ready, screen_text, toasts, wait_for
from tests.tui.test_game_input_notes import pick_first_said
from tutor.screens.bug_hunt import BugHuntScreen

SIZE = (100, 40)


async def open_bug_hunt(pilot: Any) -> BugHuntScreen:
    screen = await open_with_key(pilot, "b", BugHuntScreen)
    await pilot.pause()
    return screen


async def press_submit(pilot: Any, screen: BugHuntScreen, how: str) -> None:
    """Submit as the learner does: Enter in the line list, or a click on the Submit button."""
    if how == "enter":
        await pilot.press("enter")
    else:
        await pilot.click(screen.query_one("#submit", Button))
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_submit_with_no_line_picked_asks_for_one(tmp_path, lang: str) -> None:
    app = make_app(tmp_path, lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        screen = await open_bug_hunt(pilot)
        await press_submit(pilot, screen, "button")
        assert screen.verdict is None and screen.rounds == 0  # no answer counted
        said = pick_first_said(screen, lang)
        # said under the buttons, not in a toast over them (test_game_input_notes)
        await wait_for(pilot, lambda: said in screen_text(app))
        assert toasts(app) == []
        assert not screen.query_one("#submit", Button).disabled  # the round is still open


async def test_a_picked_first_line_is_answered(tmp_path) -> None:
    """Line 1 picked by its number (or moved away from and back to) is an answer."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        screen = await open_bug_hunt(pilot)
        await pilot.press("1")
        await pilot.pause()
        await press_submit(pilot, screen, "enter")
        assert screen.verdict is not None and screen.verdict["line"] == 1
        assert screen.rounds == 1

        await pilot.press("ctrl+n")  # a new round starts on line 1 again, unpicked
        await wait_for(pilot, lambda: screen.verdict is None)
        await press_submit(pilot, screen, "button")
        assert screen.verdict is None and screen.rounds == 1

        await pilot.press("down", "up")
        await pilot.pause()
        await press_submit(pilot, screen, "button")
        assert screen.verdict is not None and screen.verdict["line"] == 1
        assert screen.rounds == 2


async def test_the_last_rounds_line_is_no_pick_in_the_next(tmp_path) -> None:
    """A round answered on line 3, then a new one: its line 1 is not picked by the highlight
    coming back from line 3."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        screen = await open_bug_hunt(pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        await press_submit(pilot, screen, "enter")
        assert screen.verdict is not None and screen.verdict["line"] == 3
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: screen.verdict is None)
        await pilot.pause()
        await press_submit(pilot, screen, "button")
        assert screen.verdict is None and screen.rounds == 1


async def test_enter_answers_the_line_the_keys_are_on(tmp_path) -> None:
    """Enter in the list at once: the learner's keys are on line 1, highlighted: its answer."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        screen = await open_bug_hunt(pilot)
        await press_submit(pilot, screen, "enter")
        assert screen.verdict is not None and screen.verdict["line"] == 1
