"""An esc that only asks before closing the lesson (right after an exercise's hint, or with its
code kept nowhere) answers that moment alone: once the learner is back in the code, by a click
as by shift+tab, the moment has passed. With the code kept nowhere, the ask had been spent for
good: esc, a click in the editor, more code typed, and esc from Check later closed the lesson
without a word, the code typed since lost with it."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import TextArea

from tutor.screens.lesson import LessonScreen

from .conftest import wait_for
from .test_exercise_typing_safety import failed_check
from .test_hints_in_a_row import said

SIZE = (80, 24)


async def back_in_editor(pilot: Any, editor: TextArea, way: str) -> None:
    """The learner goes back into the code: a click on it, or shift+tab from Check."""
    if way == "click":
        await pilot.click("#editor")
    else:
        await pilot.press("shift+tab")
    await wait_for(pilot, lambda: pilot.app.focused is editor)


@pytest.mark.parametrize("way", ["click", "shift+tab"])
async def test_code_kept_nowhere_asks_again_after_the_learner_went_back_to_it(
    app_factory, monkeypatch, way
):
    monkeypatch.setattr(LessonScreen, "unsaved_file", property(lambda self: "draft.py"))
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, _, editor = await failed_check(pilot)
        warning = screen.t("sb.unsaved", file="draft.py")
        await pilot.press("escape", "h", "escape")  # a hint, then the one ask for both
        await pilot.pause()
        assert app.screen is screen and warning in said(app)
        app.clear_notifications()
        await back_in_editor(pilot, editor, way)
        await pilot.press("x")
        await wait_for(pilot, lambda: "x" in editor.text)
        await pilot.press("escape", "escape")  # off the editor, then esc from Check: asks again
        await pilot.pause()
        assert app.screen is screen and warning in said(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)


@pytest.mark.parametrize("way", ["click", "shift+tab"])
async def test_a_hint_then_back_in_the_code_lets_esc_from_check_close(app_factory, way):
    """The ask is for the esc right after a hint: a click into the code in between is something
    else in between, as shift+tab is, and esc from Check then closes the lesson as it says."""
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, _, editor = await failed_check(pilot)
        await pilot.press("escape", "h")
        await pilot.pause()
        await back_in_editor(pilot, editor, way)
        await pilot.press("escape", "escape")  # off the editor, then esc from Check
        await wait_for(pilot, lambda: app.screen is not screen)
        assert screen.t("ex.close_ask") not in said(app)
