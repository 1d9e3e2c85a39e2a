"""A lesson step's keys wherever the focus is in the lesson, Help after F2, ? on the problems
dialog (QA pass 36)."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll

from tests.tui.conftest import BROKEN, DECKS, make_app, plain, ready, wait_for
from tutor.i18n import Lang
from tutor.screens.help import HelpScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.problems import ProblemsScreen


async def _open_step(pilot, step: int) -> LessonScreen:
    app = pilot.app
    app.open_lesson("tui-basics", step=step)
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.index == step)
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id != "step-scroll")
    return app.screen


async def _tab_to_scroll(pilot) -> VerticalScroll:
    """Tab round the step's controls to the scroll around the step."""
    app = pilot.app
    for _ in range(8):
        if app.focused is not None and app.focused.id == "step-scroll":
            break
        await pilot.press("tab")
    scroll = app.screen.query_one("#step-scroll", VerticalScroll)
    assert app.focused is scroll
    return scroll


async def test_a_code_steps_keys_work_from_the_scroll_around_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = await _open_step(pilot, 1)
        await _tab_to_scroll(pilot)
        assert "r" in screen.active_bindings  # the footer and Help read these
        await pilot.press("r")
        await wait_for(pilot, lambda: len(app.sandbox.calls) == 1)


async def test_a_true_false_quizs_t_works_from_the_scroll_around_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = await _open_step(pilot, 4)
        await _tab_to_scroll(pilot)
        before = dict(screen.states.get(4, {}))
        await pilot.press("t")
        await wait_for(pilot, lambda: screen.states.get(4, {}) != before)


async def test_help_over_the_scroll_names_the_steps_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await _open_step(pilot, 7)  # an exercise
        await pilot.press("escape")  # out of the editor
        await _tab_to_scroll(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = [keys for keys, _ in app.screen.key_rows()]
        assert "h" in keys and "^r" in keys, keys


async def test_the_focused_scroll_beside_controls_shows_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await _open_step(pilot, 1)
        scroll = app.screen.query_one("#step-scroll", VerticalScroll)
        assert scroll.styles.border_left[0] == ""
        await _tab_to_scroll(pilot)
        await pilot.pause()
        assert scroll.styles.border_left[0] != ""


async def test_a_long_code_step_still_scrolls_by_keys_from_the_scroll_and_its_button(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(60, 14)) as pilot:
        await ready(pilot)
        await _open_step(pilot, 1)
        scroll = app.screen.query_one("#step-scroll", VerticalScroll)
        await wait_for(pilot, lambda: scroll.max_scroll_y > 2)
        await pilot.press("pagedown")  # the Run button has the focus
        await wait_for(pilot, lambda: scroll.scroll_y > 0)
        await pilot.press("home")
        await wait_for(pilot, lambda: scroll.scroll_y == 0)
        await _tab_to_scroll(pilot)
        await pilot.press("down")
        await wait_for(pilot, lambda: scroll.scroll_y > 0)


async def test_help_keeps_a_code_steps_keys_after_f2(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await _open_step(pilot, 1)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        assert "d" in [keys for keys, _ in help_screen.key_rows()]
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang == Lang.ZH)
        await pilot.pause(0.3)
        # what Help draws, not only what it would read now
        drawn_keys = [
            line.split()[0]
            for line in plain(help_screen.query_one("#help-keys").content).splitlines()
        ]
        assert "d" in drawn_keys and "e" in drawn_keys, drawn_keys


async def test_question_mark_opens_help_over_the_problems_dialog(tmp_path: Path) -> None:
    app = make_app(tmp_path, decks=[DECKS, BROKEN])
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(pilot)
        problems = ProblemsScreen()
        await app.push_screen(problems)
        await pilot.pause()
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert app.screen.under is problems
