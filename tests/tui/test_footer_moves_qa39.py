"""A lesson's footer keeps Next and Back, clickable, on every step kind at 80 columns (QA 39).

The footer is where a learner with a mouse moves between steps: the navigation line under a step
is text. At 80 columns a code step's footer had left them out first (for "Still to pass", which
skips ahead), and a predict step's answer box, focused as it opens, holds → ← n p, so its footer
showed neither at any width."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from tutor.i18n import tr
from tutor.screens.lesson import LessonScreen
from tutor.widgets.fitting_footer import COMMAND_PALETTE, FOOTER_KEY, FittingFooter, keys_to_hide

from .conftest import ready, wait_for

SIZE = (80, 24)
CODE_STEP, PREDICT_STEP, EXERCISE_STEP = 1, 5, 7  # in the fixture's tui-basics


def shown_keys(app: Any) -> list[Any]:
    """The footer's keys that are drawn whole inside it, the palette's left aside."""
    footer = app.screen.query_one(FittingFooter)
    return [
        key
        for key in footer.query_children(FOOTER_KEY)
        if key.display
        and not key.has_class(COMMAND_PALETTE)
        and key.region.width
        and key.region.right <= footer.region.right
    ]


def shown_key(app: Any, action: str) -> Any | None:
    """The footer's key for ``action``, if it shows one."""
    return next((key for key in shown_keys(app) if key.action == action), None)


def moves_shown(app: Any) -> bool:
    return shown_key(app, "next") is not None and shown_key(app, "previous") is not None


async def open_step(pilot: Any, step: int) -> LessonScreen:
    await ready(pilot)
    pilot.app.open_lesson("tui-basics", step=step)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    lesson = pilot.app.screen
    await wait_for(pilot, lambda: lesson.step_view is not None and pilot.app.focused is not None)
    return lesson


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_code_steps_footer_shows_next_and_back_and_a_click_on_next_moves_on(
    app_factory, lang
):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        lesson = await open_step(pilot, CODE_STEP)
        await wait_for(pilot, lambda: moves_shown(app))
        assert shown_key(app, "next").description == tr("k.next", lang)
        assert shown_key(app, "run") is not None  # the step's own first key stays too
        await pilot.click(shown_key(app, "next"))
        await wait_for(pilot, lambda: lesson.index == CODE_STEP + 1)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_predict_steps_footer_shows_next_and_back_while_its_box_has_focus(
    app_factory, lang
):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        lesson = await open_step(pilot, PREDICT_STEP)
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await wait_for(pilot, lambda: moves_shown(app))
        # the keys shown are ones the answer box leaves to the lesson (it keeps ← → n p)
        assert shown_key(app, "next").key == "ctrl+pagedown"
        assert shown_key(app, "previous").key == "ctrl+pageup"
        assert isinstance(app.focused, Input)
        await pilot.click(shown_key(app, "next"))
        await wait_for(pilot, lambda: lesson.index == PREDICT_STEP + 1)
        await pilot.press("left")  # → and ← work again: the footer names them
        await wait_for(pilot, lambda: lesson.index == PREDICT_STEP)
        await wait_for(pilot, lambda: isinstance(app.focused, Input) and moves_shown(app))
        await pilot.click(shown_key(app, "previous"))
        await wait_for(pilot, lambda: lesson.index == PREDICT_STEP - 1)


async def test_a_text_steps_footer_names_the_arrows_not_the_ctrl_keys(app_factory):
    """Where → and ← reach the lesson the footer shows them, Next first, as before."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_step(pilot, 0)
        await wait_for(pilot, lambda: moves_shown(app))
        keys = [key.action for key in shown_keys(app)]
        assert keys.index("next") + 1 == keys.index("previous")
        assert (shown_key(app, "next").key_display, shown_key(app, "previous").key_display) == (
            "→",
            "←",
        )


async def test_the_device_toggle_focused_leaves_one_cpu_cuda_key_in_the_footer(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        lesson = await open_step(pilot, CODE_STEP)
        lesson.query_one("#device").focus()
        await wait_for(pilot, lambda: app.focused.id == "device" and moves_shown(app))
        device = [key for key in shown_keys(app) if key.description == tr("k.device", "en")]
        assert [key.key for key in device] == ["d"]


async def test_a_step_shown_with_the_focus_kept_shows_its_own_keys(app_factory):
    """From an exercise, with the scroll around it focused, to a card: the focus stays on the
    scroll, and the footer had kept the exercise's Check, Hint and Solution."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        lesson = await open_step(pilot, EXERCISE_STEP)
        lesson.query_one("#step-scroll").focus()
        await wait_for(pilot, lambda: shown_key(app, "check") is not None)
        await pilot.press("right")
        await wait_for(pilot, lambda: lesson.index == EXERCISE_STEP + 1)
        await wait_for(pilot, lambda: shown_key(app, "check") is None)


def test_the_footer_leaves_out_the_kept_keys_last():
    widths = [5, 5, 5, 5]
    assert keys_to_hide(widths, 10, spare=[0], keep=[2, 3]) == {0, 1}
    assert keys_to_hide(widths, 5, spare=[], keep=[2]) == {3, 1, 0}
    assert keys_to_hide(widths, 0, spare=[], keep=[2]) == {0, 1, 2, 3}
