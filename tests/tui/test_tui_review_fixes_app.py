"""Fixes a reviewer asked for: the palette opening a screen that is already open, esc cancelling a
run whatever has focus, the CUDA choice without CUDA, and a word before a locked lesson."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import TextArea

from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.problems import ProblemsScreen
from tutor.screens.review import ReviewScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.screens.stats import StatsScreen
from tutor.widgets.device_toggle import DeviceToggle
from tutor.widgets.run_panel import RunPanel

from .conftest import (
    BROKEN,
    DECKS,
    FakeLearning,
    from_palette,
    make_app,
    open_with_key,
    ready,
    screen_text,
    wait_for,
)

SIZE = (100, 40)
FOREVER = "import time\nwhile True: time.sleep(0.1)\n"


def stack_types(app: Any) -> list[type]:
    return [type(screen) for screen in app.screen_stack]


def notes(app: Any) -> list[str]:
    """Every notification the app has shown, newest last."""
    return [note.message for note in app._notifications]


async def open_basics(pilot: Any, step: int = 0) -> LessonScreen:
    await ready(pilot)
    pilot.app.open_lesson("tui-basics", step=step)
    await wait_for(
        pilot, lambda: isinstance(pilot.app.screen, LessonScreen) and pilot.app.screen.step_view
    )
    return pilot.app.screen


# -- 1. the palette and screens already open --------------------------------------------------


async def test_palette_opens_another_lesson_in_place_of_the_open_one(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await from_palette(pilot, "Lesson 1")
        await wait_for(pilot, lambda: app.screen.lesson_id == "tui-next")
        assert stack_types(app) == [HomeScreen, LessonScreen]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_palette_keeps_the_same_lesson_where_it_is(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        lesson = await open_basics(pilot, step=2)
        await from_palette(pilot, "Lesson 0")
        assert app.screen is lesson and lesson.index == 2
        assert stack_types(app) == [HomeScreen, LessonScreen]


@pytest.mark.parametrize(
    ("key", "query", "screen"),
    [
        ("s", "Sandbox", SandboxScreen),
        ("t", "Stats", StatsScreen),
        ("r", "Review", ReviewScreen),
        ("g", "Shape Guesser", ShapeGuesserScreen),
    ],
)
async def test_palette_stays_on_a_screen_already_open(app_factory, key, query, screen):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        shown = await open_with_key(pilot, key, screen)
        await from_palette(pilot, query)
        assert app.screen is shown
        assert stack_types(app) == [HomeScreen, screen]


async def test_palette_goes_back_down_to_a_screen_under_others(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        sandbox = await open_with_key(pilot, "s", SandboxScreen)
        await from_palette(pilot, "Lesson 0")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await from_palette(pilot, "Sandbox")
        assert app.screen is sandbox
        assert stack_types(app) == [HomeScreen, SandboxScreen]


async def test_palette_sandbox_over_a_lesson_snippet_opens_your_sandbox(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=1)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        snippet = app.screen
        assert snippet.scratch is None
        await from_palette(pilot, "Sandbox")
        await wait_for(pilot, lambda: app.screen is not snippet)
        assert isinstance(app.screen, SandboxScreen) and app.screen.scratch is not None
        assert stack_types(app) == [HomeScreen, LessonScreen, SandboxScreen]


async def test_help_opened_again_over_a_screen_opened_from_help(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await from_palette(pilot, "Stats")
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert stack_types(app) == [HomeScreen, StatsScreen, HelpScreen]
        assert app.screen.under is app.screen_stack[1]


async def test_help_over_a_dialog_keeps_the_dialog(tmp_path):
    app = make_app(tmp_path, decks=[DECKS, BROKEN])
    async with app.run_test(size=SIZE) as pilot:
        await open_with_key(pilot, "x", ProblemsScreen)
        await from_palette(pilot, "Help")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert stack_types(app) == [HomeScreen, ProblemsScreen, HelpScreen]


async def test_a_file_with_unsaved_changes_is_not_closed_by_the_palette(app_factory, tmp_path):
    script = tmp_path / "mine.py"
    script.write_text("x = 1\n")
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        mine = app.screen
        mine.query_one(TextArea).insert("y = 2\n", (0, 0))
        await from_palette(pilot, "Sandbox")
        assert app.screen is mine
        assert any("mine.py has unsaved changes" in note for note in notes(app))


# -- 2. esc cancels a run whatever has focus -----------------------------------------------------


async def test_esc_in_the_sandbox_editor_cancels_the_run(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        editor = screen.query_one(TextArea)
        editor.load_text(FOREVER)
        assert app.focused is editor
        await pilot.press("ctrl+r")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: screen.running and panel.has_class("-running"))
        assert app.screen.active_bindings["escape"].binding.description == "Cancel run"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not screen.running)
        assert "Cancelled" in screen_text(app)
        assert app.screen is screen and app.focused is editor  # esc only cancelled
        await pilot.press("escape")  # idle: esc leaves the editor, as before
        await pilot.pause()
        assert app.screen is screen and app.focused is not editor


async def test_esc_in_the_exercise_editor_cancels_the_check(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        lesson = await open_basics(pilot, step=7)
        editor = lesson.query_one(TextArea)
        editor.load_text(FOREVER)
        editor.focus()
        await pilot.press("ctrl+r")
        view = lesson.step_view
        await wait_for(pilot, lambda: view.running)
        await pilot.pause()
        assert lesson.active_bindings["escape"].binding.description == "Cancel run"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not view.running)
        assert "Cancelled" in screen_text(app)
        assert app.screen is lesson and app.focused is editor
        assert lesson.active_bindings["escape"].binding.description != "Cancel run"
        await pilot.press("escape", "escape")  # idle: leave the editor, then the lesson
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


# -- 3. no CUDA, no CUDA choice ------------------------------------------------------------------


async def test_sandbox_device_key_keeps_the_cpu_without_cuda(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        toggle = screen.query_one(DeviceToggle)
        assert toggle.device == "cpu" and toggle.has_class("-no-cuda")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert toggle.device == "cpu"
        assert any("No CUDA GPU" in note for note in notes(app))
        await pilot.click(toggle)
        await pilot.pause()
        assert toggle.device == "cpu"


async def test_code_step_device_key_keeps_the_cpu_without_cuda(app_factory):
    app = app_factory(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        lesson = await open_basics(pilot, step=1)
        await pilot.press("d")
        await pilot.pause()
        assert lesson.query_one(DeviceToggle).device == "cpu"
        assert any("CUDA" in note and "CPU 上运行" in note for note in notes(app))
        await pilot.press("r")
        await wait_for(pilot, lambda: app.sandbox.calls)
        assert app.sandbox.calls[-1]["device"] == "cpu"


async def test_the_device_key_switches_to_cuda_when_there_is_cuda(app_factory):
    app = app_factory()
    app.cuda = True
    async with app.run_test(size=SIZE) as pilot:
        lesson = await open_basics(pilot, step=1)
        toggle = lesson.query_one(DeviceToggle)
        start = toggle.device
        await pilot.press("d")
        await pilot.pause()
        assert toggle.device != start and not toggle.has_class("-no-cuda")
        assert not notes(app)


async def test_a_click_on_a_device_picks_that_device(app_factory):
    """The toggle reads ``⚙ [CPU] CUDA``: a click on a name picks it (one on the picked one keeps
    it), as a segmented button does; a click on the ⚙ flips."""
    app = app_factory()
    app.cuda = True
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        toggle = screen.query_one(DeviceToggle)  # on CUDA, where there is CUDA
        left = toggle.styles.padding.left
        on_cpu, on_cuda, on_gear = (left + 3, 0), (left + 9, 0), (left, 0)
        for offset, device in [
            (on_cpu, "cpu"),
            (on_cuda, "cuda"),
            (on_cuda, "cuda"),
            (on_cpu, "cpu"),
            (on_gear, "cuda"),
        ]:
            await pilot.click(toggle, offset=offset)
            await pilot.pause()
            assert toggle.device == device, (offset, device)


async def test_cuda_found_missing_after_the_toggle_shows_turns_it_to_cpu(app_factory):
    app = app_factory()
    app.cuda = None  # the sandbox has not said yet
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        toggle = screen.query_one(DeviceToggle)
        toggle.device = "cuda"
        assert not toggle.has_class("-no-cuda")
        app.cuda = False
        await pilot.pause()
        assert toggle.device == "cpu" and toggle.has_class("-no-cuda")


# -- 4. a word before a locked lesson ------------------------------------------------------------


async def test_a_locked_lesson_from_the_palette_names_the_one_to_take_first(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await from_palette(pilot, "Lesson 1")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: any("take first" in note for note in notes(app)))
        assert app.screen.lesson_id == "tui-next"  # opened all the same
        said = [note for note in notes(app) if "take first" in note]
        assert len(said) == 1 and "Basics: one Linear layer" in said[0]
        await pilot.press("escape")
        await pilot.pause()
        app.open_lesson("tui-next")  # told once is enough
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause(0.2)
        assert len([note for note in notes(app) if "take first" in note]) == 1


async def test_a_locked_lesson_from_the_map_says_so_in_chinese(app_factory):
    app = app_factory(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: any("建议先学" in note for note in notes(app)))
        assert any("基础：一个 Linear 层" in note for note in notes(app))


async def test_an_unlocked_lesson_opens_without_a_word(app_factory):
    app = app_factory(learning=FakeLearning())  # basics is completed
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_lesson("tui-next")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause(0.2)
        assert not any("take first" in note for note in notes(app))
