"""An exercise's loop as a learner who types their fix from the wrong place walks it: after a
failed check the verdict said "esc then h"; the focus then sat on the Check button, where the
letters of ``super().__init__()`` were keys: ``s`` showed the whole solution at once (their next
pass did not count), ``p`` went back a step, ``n`` on, ``q`` closed the lesson."""

from __future__ import annotations

from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Button, TextArea

from tutor.screens.lesson import LessonScreen
from tutor.widgets.step_exercise import ExerciseStepView

from .conftest import SIZE, screen_text, toasts, wait_for
from .test_tui_review_fixes_steps import open_lesson

EXERCISE = 7  # the fixture basics' exercise: "layer = nn.Linear(3, 1)  # keeps a bias"


async def failed_check(pilot: Any) -> tuple[LessonScreen, ExerciseStepView, TextArea]:
    """The fixture's exercise opened and checked with its starter (ctrl+r in the editor): it
    fails. The lesson, the step's view and its editor."""
    screen = await open_lesson(pilot, "tui-basics", EXERCISE)
    view = screen.query_one(ExerciseStepView)
    editor = view.query_one(TextArea)
    await wait_for(pilot, lambda: pilot.app.focused is editor)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: view.state.get("verdict") == "fail")
    await pilot.pause()
    return screen, view, editor


@pytest.fixture(autouse=True)
def patient_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second s within a minute counts: a loaded machine's pauses must not outlast the four
    seconds a learner gets (a test that means the window to pass sets its own)."""
    monkeypatch.setattr(ExerciseStepView, "SOLUTION_CONFIRM_S", 60.0)


def solution_shown(view: ExerciseStepView) -> bool:
    return bool(view.query_one(".solution").display or view.state.get("answer_shown"))


async def test_typing_the_fix_after_esc_then_h_goes_into_the_editor(app_factory):
    """The QA's path: the verdict's "esc then h", then the fix typed. The hint leaves the focus
    on Check (h again is the next hint), and the line under it names shift+tab back to the
    editor, so ``super`` is typed there: no solution, no step away."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        assert screen.t("ex.hint_available") in screen_text(app)
        await pilot.press("escape", "h")
        await pilot.pause()
        assert view.state.get("hints") == 1
        assert app.focused is view.query_one("#check", Button)
        await pilot.press("shift+tab", *"super")
        await pilot.pause()
        assert app.screen is screen and screen.index == EXERCISE
        assert "super" in editor.text
        assert not solution_shown(view)


@pytest.mark.parametrize("key", ["n", "p", "q", "x"])
@pytest.mark.parametrize("where", ["check", "scroll"])
async def test_a_letter_typed_off_the_editor_goes_into_it(app_factory, where, key):
    """With the focus on the Check button (esc from the editor) or on the scroll around the step
    (a click on its text), a letter is typed into the editor, at its cursor, and the focus goes
    back there: ``n``/``p``/``q`` do not leave the step (→, ← and esc still do)."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        editor.move_cursor((0, 0))
        if where == "check":
            await pilot.press("escape")
            await pilot.pause()
            assert app.focused is view.query_one("#check", Button)
        else:
            await pilot.click(".step-title")
            await pilot.pause()
            assert app.focused is screen.query_one("#step-scroll", VerticalScroll)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is screen and screen.index == EXERCISE
        assert app.focused is editor
        assert editor.text.startswith(f"{key}layer = nn.Linear(3, 1)")


async def test_space_on_a_focused_button_changes_no_code(app_factory):
    """Space is how a focused button is pressed elsewhere: on Check it typed " " at the code's
    cursor, and the next check failed with an unexpected indent."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        _, view, editor = await failed_check(pilot)
        before = editor.text
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is view.query_one("#check", Button)
        await pilot.press("space")
        await pilot.pause()
        assert editor.text == before


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_verdict_after_a_clicked_check_says_typing_goes_to_the_editor(app_factory, lang):
    """Checked with the mouse, the focus stays on Check: the verdict says how to get back to
    the code: just type, with a hint on offer; shift+tab once every hint is taken (typed from
    Check, a fix starting with s or h would lose that letter to the step's key)."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", EXERCISE)
        view = screen.query_one(ExerciseStepView)
        await pilot.click("#check")
        await wait_for(pilot, lambda: view.state.get("verdict") == "fail")
        await pilot.pause()
        assert screen.t("ex.hint_available_key") in screen_text(app)
        view.show_hints_taken(2)  # every hint taken: shift+tab is the way back from Check
        await pilot.click("#check")
        await wait_for(pilot, lambda: view.state.get("attempts") == 2)
        await pilot.pause()
        text = screen_text(app)
        assert screen.t("ex.back_to_code_check") in text
        assert screen.t("ex.hint_available_key") not in text


async def test_s_asks_first_and_shows_the_solution_at_the_second(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, view, _ = await failed_check(pilot)
        await pilot.press("escape", "s")
        await pilot.pause()
        assert not solution_shown(view)
        assert any(screen.t("ex.solution_ask") in toast for toast in toasts(app))
        await pilot.press("s")
        await pilot.pause()
        assert view.query_one(".solution").display and view.state.get("answer_shown")


async def test_a_key_between_the_two_s_asks_again(app_factory):
    """``s``, a letter (typed into the editor), then back out and ``s``: not two s in a row."""
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        _, view, editor = await failed_check(pilot)
        await pilot.press("escape", "s", "x")
        await pilot.pause()
        assert app.focused is editor
        await pilot.press("escape", "s")
        await pilot.pause()
        assert not solution_shown(view)


async def test_a_second_s_too_late_only_asks_again(app_factory, monkeypatch):
    # every second s is late
    monkeypatch.setattr(ExerciseStepView, "SOLUTION_CONFIRM_S", 0.0, raising=False)
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        _, view, _ = await failed_check(pilot)
        await pilot.press("escape", "s", "s")
        await pilot.pause()
        assert not solution_shown(view)


async def test_the_solution_button_asks_once_too(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, view, _ = await failed_check(pilot)
        await pilot.click("#solution")
        await pilot.pause()
        assert not solution_shown(view)
        assert any(screen.t("ex.solution_ask") in toast for toast in toasts(app))
        button = view.query_one("#solution", Button)
        # a Button takes no press while it shows the last one (0.2 s): as a learner's hand does
        await wait_for(pilot, lambda: not button.has_class("-active"))
        await pilot.click("#solution")
        await pilot.pause()
        assert view.query_one(".solution").display and view.state.get("answer_shown")


async def test_the_solution_after_a_pass_shows_without_asking(app_factory):
    """Nothing to lose once passed: the solution shows with the pass, and s asks nothing."""
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, view, editor = await failed_check(pilot)
        editor.load_text("layer = nn.Linear(3, 1, bias=False)")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: view.state.get("verdict") == "pass")
        await pilot.press("escape", "s")
        await pilot.pause()
        assert view.query_one(".solution").display and view.state.get("passed")
        assert not any(screen.t("ex.solution_ask") in toast for toast in toasts(app))


async def test_enter_on_the_focused_solution_button_shows_it_at_the_second(app_factory):
    """⏎ on the focused Solution button twice: the first asks, the second shows. Each key
    reaches the step before the button, which must not take it for a key in between."""
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, view, _ = await failed_check(pilot)
        button = view.query_one("#solution", Button)
        button.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not solution_shown(view)
        assert any(screen.t("ex.solution_ask") in toast for toast in toasts(app))
        await wait_for(pilot, lambda: not button.has_class("-active"))
        await pilot.press("enter")
        await pilot.pause()
        assert view.query_one(".solution").display and view.state.get("answer_shown")


async def test_tab_away_from_the_solution_button_cancels_its_ask(app_factory):
    """Moving the focus on between the two presses is not a second press right after."""
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        _, view, _ = await failed_check(pilot)
        button = view.query_one("#solution", Button)
        button.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await wait_for(pilot, lambda: not button.has_class("-active"))
        await pilot.press("tab")
        await pilot.pause()
        button.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not solution_shown(view)
