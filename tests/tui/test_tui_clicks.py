"""A click on an answer marks it, as Space does; only Enter or the Submit button grades. (A single
click used to grade the choice, pick-all and order quizzes and Bug Hunt at once.)"""

from __future__ import annotations

from typing import Any

from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.lesson import LessonScreen
from tutor.widgets.choice_list import ChoiceList

from .conftest import open_with_key, ready, screen_text, wait_for

SIZE = (100, 40)
SINGLE, MULTIPLE, TRUE_FALSE, ORDER = 2, 3, 4, 6  # the fixture lesson's quiz steps


async def open_step(pilot: Any, step: int) -> LessonScreen:
    await ready(pilot)
    pilot.app.open_lesson("tui-basics", step=step)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.step_view is not None and screen.index == step)
    return screen


async def click_option(pilot: Any, choices: ChoiceList, index: int) -> None:
    """Click the ``index``th option of ``choices`` (one line each, under the list's top border)."""
    await pilot.click(choices, offset=(6, 1 + index))
    await pilot.pause()
    assert choices.highlighted == index  # the click landed on that option


async def test_a_click_picks_a_single_choice_and_submit_grades_it(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(pilot, SINGLE)
        choices = screen.query_one(ChoiceList)
        await click_option(pilot, choices, 0)
        await click_option(pilot, choices, 1)  # changing one's mind is still possible
        state = screen.states[SINGLE]
        assert state["selected"] == ["b"] and state.get("grade") is None
        assert "◉ (2, 3)" in screen_text(app) and "Right!" not in screen_text(app)
        await pilot.click("#submit")
        await pilot.pause()
        assert state["grade"] is not None and "Right!" in screen_text(app)


async def test_clicks_tick_pick_all_options_without_grading(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(pilot, MULTIPLE)
        choices = screen.query_one(ChoiceList)
        for index in (0, 2, 1, 2):  # weight, in_features, bias, in_features again: unticked
            await click_option(pilot, choices, index)
        state = screen.states[MULTIPLE]
        assert sorted(state["selected"]) == ["bias", "weight"] and state.get("grade") is None
        await pilot.press("enter")
        await pilot.pause()
        assert "Right!" in screen_text(app)


async def test_a_click_picks_true_or_false_without_grading(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(pilot, TRUE_FALSE)
        await click_option(pilot, screen.query_one(ChoiceList), 0)
        state = screen.states[TRUE_FALSE]
        assert state["selected"] == ["true"] and state.get("grade") is None


async def test_a_click_in_an_order_quiz_only_highlights_an_item(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_step(pilot, ORDER)
        items = screen.query_one(ChoiceList)
        state = screen.states[ORDER]
        before = list(state["arrangement"])
        await click_option(pilot, items, 2)
        assert state.get("grade") is None and state["arrangement"] == before
        await pilot.press("shift+up")  # the clicked item is the one that moves
        await pilot.pause()
        assert state["arrangement"][1] == before[2]
        assert state.get("grade") is None


async def test_a_click_in_bug_hunt_points_at_a_line_and_enter_answers(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "b", BugHuntScreen)
        lines = screen.query_one(ChoiceList)
        await click_option(pilot, lines, 2)
        assert screen.verdict is None
        await pilot.press("enter")
        await pilot.pause()
        assert screen.verdict is not None and screen.verdict["line"] == 3
