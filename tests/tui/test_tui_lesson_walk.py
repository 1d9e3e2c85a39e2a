"""The lesson loop, as an adversarial learner walks it: F2 and a step away mid-answer, a narrow
terminal, odd input, and a few exercises checked in the real sandbox (fail, fix, pass)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.widgets import Input, Static, TextArea

from tutor.decks import model
from tutor.widgets.choice_list import ChoiceList

from .conftest import FakeLearning, make_app, screen_text, unwrapped, wait_for
from .test_tui_review_fixes_steps import open_lesson

SIZE = (80, 24)
NARROW = (60, 20)
ROOT = Path(__file__).resolve().parents[2]


def shown_text(widget: Static) -> str:
    """What ``widget`` draws on screen now, its rows joined by spaces: text cut off by its size
    is missing here, as it is on the terminal."""
    width, height = widget.size
    rows = widget.render_lines(Region(0, 0, width, height))
    return " ".join(" ".join(segment.text for segment in row).strip() for row in rows).strip()


async def leave_and_come_back(pilot: Any, how: str) -> None:
    """Away from the step and back: F2 twice (the step rebuilt twice), or ctrl+PgDn then
    ctrl+PgUp (keys that work wherever the focus is)."""
    keys = ("f2", "f2") if how == "f2" else ("ctrl+pagedown", "ctrl+pageup")
    for key in keys:
        await pilot.press(key)
        await pilot.pause(0.05)
    await wait_for(pilot, lambda: answering(pilot.app))


def answering(app: Any) -> bool:
    """Whether the focus is on a step's answer (its list or box), not on the scroll around it."""
    focused = app.focused
    return focused is not None and focused.is_attached and isinstance(focused, (Input, ChoiceList))


# ------------------------------------------------------------------ 1. what was typed or pointed at


@pytest.mark.parametrize("how", ["f2", "step"])
async def test_a_prediction_typed_but_not_submitted_is_still_there(app_factory, how):
    """A learner types a prediction, then reads the step in the other language (or peeks at the
    next step): the answer box still holds what they typed."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 5)
        await pilot.press(*"(4, 2)")
        await leave_and_come_back(pilot, how)
        assert screen.index == 5
        assert screen.query_one(Input).value == "(4, 2)"
        await pilot.press("enter")  # and it is what gets graded
        await wait_for(pilot, lambda: "Right!" in screen_text(app))


@pytest.mark.parametrize("how", ["f2", "step"])
async def test_enter_grades_the_option_pointed_at_before_f2(app_factory, how):
    """Single choice: ↓↓ points at the third option, F2 (or a step away and back), Enter: the
    third option is graded, not the first one the rebuilt list pointed at."""
    learning = FakeLearning()
    app = app_factory(learning=learning)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 2)
        await pilot.press("down", "down")
        await leave_and_come_back(pilot, how)
        assert screen.query_one(ChoiceList).highlighted == 2
        await pilot.press("enter")
        await wait_for(pilot, lambda: learning.named("record_quiz"))
        assert learning.named("record_quiz") == [
            ("tui-basics.q-single", "tui-basics", False, "c", False)
        ]


async def test_an_order_quiz_keeps_the_item_pointed_at_over_f2(app_factory):
    """Order: the item pointed at is the one ⇧↑ moves, after F2 as before it."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 6)
        await pilot.press("down", "down")
        moved = screen.states[6]["arrangement"][2]
        await leave_and_come_back(pilot, "f2")
        assert screen.query_one(ChoiceList).highlighted == 2
        await pilot.press("shift+up")
        await pilot.pause()
        assert screen.states[6]["arrangement"][1] == moved


# ------------------------------------------------------------------------- 2. a narrow terminal


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("step", [5, 7])  # predict (its answer box), the exercise (its editor)
async def test_the_keys_under_the_step_are_whole_at_60_columns(app_factory, lang, step):
    """The line under the step names the keys that leave an answer box or the editor: at 60
    columns it was cut off, and the English predict step lost "back"."""
    app = app_factory(lang=lang)
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_lesson(pilot, "tui-basics", step)
        hint = screen.query_one("#nav-hint", Static)
        expected = screen.t("lesson.nav_input" if step == 5 else "lesson.nav_editor")
        assert str(hint.render()) == expected
        assert unwrapped(shown_text(hint), lang) == unwrapped(expected, lang)


# ------------------------------------------------------------- 3. exercises in the real sandbox


async def check_exercise(pilot: Any, screen: Any, code: str) -> dict[str, Any]:
    """Put ``code`` in the exercise's editor and check it (ctrl+r, from the editor); the step's
    state once the verdict is in."""
    index = screen.index
    editor = screen.query_one(TextArea)
    editor.load_text(code)
    editor.focus()
    attempts = screen.states[index].get("attempts", 0)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: screen.states[index].get("attempts", 0) > attempts, tries=1500)
    return screen.states[index]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_exercise_that_raises_marks_the_failing_line(tmp_path, real_sandbox, lang):
    """Code that raises before the check can run: the real sandbox sends the error *and* a failed
    check ("did not run to the end"); the editor still selects the line that raised, as the
    sandbox screen does. Then the fix passes."""
    app = make_app(tmp_path, lang, sandbox=real_sandbox())
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 7)
        state = await check_exercise(pilot, screen, "x = 1\nlayer = nn.Linar(3, 1, bias=False)\n")
        assert state["verdict"] == "fail"
        assert "Linar" in screen_text(app)  # the error, in the run panel
        editor = screen.query_one(TextArea)
        assert editor.selected_text.startswith("layer = nn.Linar")
        state = await check_exercise(pilot, screen, "layer = nn.Linear(3, 1, bias=False)\n")
        assert state["verdict"] == "pass"
        assert screen.t("ex.passed") in screen_text(app)


async def test_a_shipped_exercise_fails_with_its_starter_and_passes_with_its_solution(
    tmp_path, real_sandbox
):
    """Rustlings-style, on a shipped lesson: the starter fails with a message that says what is
    wrong, a hint on request, then the reference solution passes, in seconds."""
    app = make_app(tmp_path, "en", sandbox=real_sandbox(), decks=[ROOT / "lessons"])
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "inside-module", 0, focused=False)
        screen = app.screen
        steps = screen.lesson.steps
        index = next(i for i, s in enumerate(steps) if isinstance(s, model.ExerciseStep))
        screen.index = index
        await wait_for(pilot, lambda: isinstance(app.focused, TextArea))
        step = steps[index]
        state = await check_exercise(pilot, screen, step.starter)
        assert state["verdict"] == "fail"
        message = screen.step_view.loc(state["check_message"])
        assert message and f"{screen.t('ex.failed')} {message}" in screen_text(app)
        await pilot.press("escape", "h")
        await pilot.pause()
        assert screen.t("ex.hint_n", n=1, total=len(step.hints)) in screen_text(app)
        state = await check_exercise(pilot, screen, step.solution)
        assert state["verdict"] == "pass"
        assert state["hints"] == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_hint_offer_after_a_clicked_check_does_not_lead_out_of_the_lesson(
    app_factory, lang
):
    """A learner checks with the mouse (the focus is on Check, not in the editor), fails, and
    does what the verdict says to get a hint. "Press Esc then h" took them home: esc leaves the
    editor only when it is in the editor, and leaves the lesson otherwise."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 7)
        await pilot.click("#check")
        await wait_for(pilot, lambda: screen.states[7].get("verdict") == "fail")
        await pilot.pause()
        text = screen_text(app)
        assert screen.t("ex.hint_available") not in text  # "esc then h"
        assert screen.t("ex.hint_available_key") in text  # "h"
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is screen
        assert screen.states[7].get("hints") == 1

        await pilot.click("#editor")  # back in the editor, esc first: said under the hint
        await pilot.pause()
        assert screen.t("ex.next_hint", n=2, total=2) in screen_text(app)
        assert screen.t("ex.hint_available") not in screen_text(app)  # said once
        await pilot.press("escape", "h")
        await pilot.pause()
        assert app.screen is screen
        assert screen.states[7].get("hints") == 2


async def test_moving_on_from_a_failed_exercise_by_keys_is_clean(app_factory):
    """The hint offer follows the focus; the focus leaving with the step (ctrl+PgDn from the
    editor, esc home from the Check button) must not redraw a step already gone."""
    app = app_factory()
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 7)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.states[7].get("verdict") == "fail")
        await pilot.press("ctrl+pagedown")
        await wait_for(pilot, lambda: screen.index == 8)
        await pilot.press("left", "escape", "escape")  # the editor, its Check button, home
        await pilot.pause(0.1)
        assert app.screen is not screen
        assert app.return_code is None  # no crash


# ------------------------------------------------- 4. a step with nothing to answer, by keyboard


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_long_reading_step_scrolls_by_keyboard(tmp_path, lang):
    """A text step taller than a 60x20 terminal has nothing to focus: ↓, PgDn and End did
    nothing, and a keyboard-only learner could not read its end. → and ← still move on."""
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=NARROW) as pilot:
        screen = await open_lesson(pilot, "inside-module", 0, focused=False)
        scroll = screen.query_one("#step-scroll")
        await wait_for(pilot, lambda: scroll.max_scroll_y > 0)  # longer than the screen
        hint = screen.query_one("#nav-hint", Static)
        # the keys, as before, and that its diagram is cut at 60 columns
        assert str(hint.render()) == f"{screen.t('lesson.nav')} · {screen.t('lesson.diagram_cut')}"
        await pilot.press("down")
        await pilot.pause()
        assert scroll.scroll_y == 1
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroll.scroll_y > 1
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        await pilot.press("right")
        await wait_for(pilot, lambda: screen.index == 1)
        await pilot.press("left")
        await wait_for(pilot, lambda: screen.index == 0)
        assert scroll.scroll_y == 0  # a step shown again starts at its top
