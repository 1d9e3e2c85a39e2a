"""Help opened from an exercise step with the focus off its editor (on Check after esc, on the
text around the step): letters there go into the editor (tests/tui/test_exercise_typing_safety.py),
so Help lists ``n``/``p``/``q`` as typed into it, and Next, Back and Close with the keys that do
work there (→ ←, ^pgdn ^pgup, esc). Elsewhere in a lesson ``n`` and ``p`` are still keys."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, TextArea

from tutor.screens.help import HelpScreen
from tutor.screens.lesson import LessonScreen
from tutor.widgets.step_exercise import ExerciseStepView

from .conftest import SIZE, wait_for
from .test_exercise_typing_safety import EXERCISE, failed_check
from .test_tui_review_fixes_steps import open_lesson


async def help_rows(pilot: Any) -> dict[str, str]:
    """Help opened with ``?`` from where the focus is: what each row's keys do."""
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    await pilot.pause()
    rows = {keys: description for keys, description in pilot.app.screen.key_rows()}
    await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, HelpScreen))
    return rows


async def focus_off_the_editor(pilot: Any, where: str) -> None:
    screen = pilot.app.screen
    if where == "check":  # esc from the editor: the focus on Check
        screen.query_one(TextArea).focus()
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.focused, Button))
    else:
        await pilot.click(".step-title")
        await wait_for(pilot, lambda: pilot.app.focused is screen.query_one("#step-scroll"))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("where", ["check", "scroll"])
async def test_help_off_an_exercises_editor_names_the_keys_that_move_on(app_factory, where, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, _, editor = await failed_check(pilot)
        await focus_off_the_editor(pilot, where)
        rows = await help_rows(pilot)
        t = screen.t
        assert rows["← ^pgup"] == t("k.previous"), rows
        assert rows["→ ^pgdn"] == t("k.next"), rows
        assert rows["esc"] == t("k.close"), rows
        assert rows["n p q"] == t("help.typed_into_editor"), rows
        assert rows["h"] == t("k.hint") and rows["s"] == t("k.solution"), rows
        assert "^l" not in rows, rows  # nothing to load: the draft's saving is not held
        # what Help says is what the keys do: n types, → moves on
        await focus_off_the_editor(pilot, where)
        editor.move_cursor((0, 0))
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and screen.index == EXERCISE
        assert editor.text.startswith("n")
        await focus_off_the_editor(pilot, where)
        await pilot.press("right")
        await wait_for(pilot, lambda: screen.index == EXERCISE + 1)


async def test_help_keeps_h_as_hint_once_every_hint_is_taken(app_factory):
    """With no hint left, h is still the hint key there (it says none is left), never typed:
    Help lists it so, and n p q as typed into the editor (tests/tui/test_no_hint_left.py)."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        view.show_hints_taken(len(view.step.hints))
        await focus_off_the_editor(pilot, "check")
        rows = await help_rows(pilot)
        assert rows.get("n p q") == screen.t("help.typed_into_editor"), rows
        assert rows.get("h") == screen.t("k.hint"), rows
        await focus_off_the_editor(pilot, "check")
        before = editor.text
        await pilot.press("h")
        await pilot.pause()
        assert editor.text == before


async def test_help_on_another_step_keeps_n_and_p(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 1)
        assert isinstance(screen, LessonScreen) and not screen.query(ExerciseStepView)
        rows = await help_rows(pilot)
        assert rows["→ ^pgdn n"] == screen.t("k.next"), rows
        assert rows["← ^pgup p"] == screen.t("k.previous"), rows
        assert rows["esc q"] == screen.t("k.close"), rows


async def test_f1_opens_help_from_inside_the_editor_and_closes_it(app_factory):
    """In a code editor ``?`` is typed: F1 opens Help there (and closes it again)."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "tui-basics", EXERCISE)
        editor = app.screen.query_one(TextArea)
        editor.focus()
        await pilot.pause()
        before = editor.text
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = dict(app.screen.key_rows())
        assert any("F1" in keys for keys in rows), rows
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert editor.text == before
