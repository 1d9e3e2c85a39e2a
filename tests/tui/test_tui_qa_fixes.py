"""Fixes QA asked for: the palette's Home and Quit losing a file's unsaved changes, a lesson from
the palette restarting at its first step, esc leaving a predict step, the review or a game instead
of cancelling their run ("(esc cancels)"), and a code step meant to fail shown as a failure."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.color import Color
from textual.widgets import Input, TextArea

from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.widgets.run_panel import RunPanel
from tutor.widgets.step_base import StepView

from .conftest import (
    FIXTURES,
    HANG,
    FakeError,
    FakeLearning,
    FakeResult,
    FakeSandbox,
    open_with_key,
    plain,
    ready,
    screen_text,
    scripted,
    start_bug_hunt_demo,
    wait_for,
)
from .test_esc_in_lesson import footer_esc_settled
from .test_tui_review_fixes_app import from_palette, notes
from .test_tui_review_fixes_review import first_card, open_review

SIZE = (100, 40)
RAISES = FIXTURES / "raises"


class SlowSandbox(FakeSandbox):
    """A sandbox that cannot cancel a run (one still starting, say): cancelling stops the
    worker waiting for it instead."""

    def __init__(self) -> None:
        super().__init__(lambda code, **_: FakeResult(stdout="torch.Size([4, 2])\n"))

    async def run(self, code: str, *args: Any, **options: Any) -> FakeResult:
        await asyncio.sleep(60)
        return await super().run(code, *args, **options)

    def cancel(self, owner: Any = None) -> bool:
        return False


def hanging() -> FakeSandbox:
    """A run that goes on until the sandbox cancels it (and says "cancelled")."""
    return FakeSandbox(lambda code, **_: HANG)


SANDBOXES = {"the-sandbox-cancels": hanging, "the-worker-is-cancelled": SlowSandbox}


def esc_says(app: Any) -> str:
    """What the footer says esc does now."""
    return app.screen.active_bindings["escape"].binding.description


async def cancel_with_esc(pilot: Any, screen: Any) -> None:
    """While ``screen``'s run goes: the panel and the footer say esc cancels, and it does, on the
    same screen."""
    app = pilot.app
    assert "(esc cancels)" in screen_text(app)
    assert esc_says(app) == "Cancel run"
    # and the footer shows that esc alone: not also a key drawn as esc that would leave
    assert await footer_esc_settled(pilot, ["esc Cancel run"]) == ["esc Cancel run"]
    await pilot.press("escape")
    await wait_for(pilot, lambda: not running(screen))
    assert app.screen is screen and "Cancelled" in screen_text(app)


def running(node: Any) -> bool:
    return any(w.group == "run" and w.is_running for w in node.workers)


# -- 1. the palette's Home and Quit and a file's unsaved changes ---------------------------------


async def edit_a_file(pilot: Any) -> SandboxScreen:
    """The sandbox opened on ``script`` (``nn-tutor sandbox FILE``), with a change not saved."""
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
    screen = app.screen
    screen.query_one(TextArea).insert("y = 2\n", (0, 0))
    await pilot.pause()
    assert screen.unsaved_file == "mine.py"
    return screen


async def test_palette_home_keeps_a_file_with_unsaved_changes_open(app_factory, tmp_path):
    script = tmp_path / "mine.py"
    script.write_text("x = 1\n", encoding="utf-8")
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE) as pilot:
        screen = await edit_a_file(pilot)
        await from_palette(pilot, "Home")
        await pilot.pause(0.1)
        assert app.screen is screen
        assert any("mine.py has unsaved changes" in note for note in notes(app))
        await pilot.press("ctrl+s")
        await from_palette(pilot, "Home")  # saved: home it is
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    assert script.read_text(encoding="utf-8") == "y = 2\nx = 1\n"


async def test_palette_quit_asks_again_before_losing_unsaved_changes(app_factory, tmp_path):
    script = tmp_path / "mine.py"
    script.write_text("x = 1\n", encoding="utf-8")
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE) as pilot:
        await edit_a_file(pilot)
        await from_palette(pilot, "Quit")
        await pilot.pause(0.1)
        assert app.is_running
        assert any("^q again quits" in note for note in notes(app))
        await from_palette(pilot, "Quit")  # asked twice: quit without saving
        await wait_for(pilot, lambda: not app.is_running)
    assert script.read_text(encoding="utf-8") == "x = 1\n"


# -- 2. a lesson from the palette resumes ---------------------------------------------------------


async def test_palette_opens_a_lesson_where_the_learner_left_it(app_factory):
    learning = FakeLearning()
    learning.positions["tui-basics"] = 3
    app = app_factory(learning=learning)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await from_palette(pilot, "Lesson 0")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: app.screen.step_view is not None)
        assert app.screen.index == 3
        await pilot.pause(0.1)
        assert ("tui-basics", 0) not in learning.named("save_position")  # nothing overwritten
        assert learning.positions["tui-basics"] == 3


# -- 3. esc cancels a predict step's run ----------------------------------------------------------


@pytest.mark.parametrize("sandbox", list(SANDBOXES))
async def test_esc_cancels_a_predict_check_and_grades_nothing(app_factory, sandbox):
    learning = FakeLearning()
    app = app_factory(sandbox=SANDBOXES[sandbox](), learning=learning)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_lesson("tui-basics", step=5)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        view = lesson.step_view
        answer = view.query_one(Input)
        await pilot.press(*"(2, 4)", "enter")
        await wait_for(pilot, lambda: running(view) and view.query_one(RunPanel).display)
        assert "(esc cancels)" in screen_text(app)
        assert app.focused is not None and app.focused in view.query("*")  # focus stays here
        assert esc_says(app) == "Cancel run"

        await pilot.press("escape")
        await wait_for(pilot, lambda: not running(view))
        await wait_for(pilot, lambda: app.focused is answer)
        assert app.screen is lesson and lesson.step_view is view  # esc only cancelled
        assert "Cancelled" in screen_text(app)
        assert not view.graded and not answer.disabled and answer.value == "(2, 4)"
        assert not learning.named("record_quiz")
        assert esc_says(app) == "Close"
        await pilot.press("escape")  # idle: esc leaves the lesson, as before
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


# -- 4. esc cancels the review's example and the games' runs --------------------------------------


async def test_esc_cancels_the_review_examples_run(tmp_path):
    app = await open_review(tmp_path, sandbox=hanging())
    async with app.run_test(size=SIZE) as pilot:
        screen = await first_card(pilot)
        assert esc_says(app) == "Back"
        await pilot.press("space", "r")
        await wait_for(pilot, lambda: "working..." in screen_text(app))
        await cancel_with_esc(pilot, screen)
        assert screen.state == "card" and screen.revealed  # the card is still there to rate
        assert esc_says(app) == "Back"
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)


@pytest.mark.parametrize("sandbox", list(SANDBOXES))
async def test_esc_cancels_the_shape_guessers_run_and_scores_nothing(app_factory, sandbox):
    app = app_factory(sandbox=SANDBOXES[sandbox]())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "g", ShapeGuesserScreen)
        guess = screen.query_one(Input)
        await pilot.press(*"(1, 1)", "enter")
        await wait_for(pilot, lambda: running(screen) and screen.query_one(RunPanel).display)
        assert "(esc cancels)" in screen_text(app)
        assert esc_says(app) == "Cancel run"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not running(screen))
        await wait_for(pilot, lambda: app.focused is guess)
        assert app.screen is screen and "Cancelled" in screen_text(app)
        assert screen.verdict is None and screen.rounds == 0 and not guess.disabled
        assert esc_says(app) == "Back"
        await pilot.press("escape")  # the guess box lets esc through: leave the game
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_esc_cancels_the_bug_hunt_demo(app_factory):
    app = app_factory(sandbox=hanging())
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_bug_hunt_demo(pilot)
        await cancel_with_esc(pilot, screen)
        assert screen.verdict is not None and screen.rounds == 1
        assert esc_says(app) == "Back"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


# -- 5. a code step meant to fail -----------------------------------------------------------------


def mismatched_shapes(code: str, **options: Any) -> Any:
    """The fixture's ``a @ a``: the RuntimeError its step is meant to raise."""
    if "a @ a" in code and "a.T" not in code:
        message = "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"
        return FakeResult(status="error", error=FakeError("RuntimeError", message, line=2))
    return scripted(code, **options)


async def run_step(pilot: Any, step: int) -> RunPanel:
    """Open the fixture lesson of code steps with ``raises:`` at ``step``, and run it."""
    app = pilot.app
    await ready(pilot)
    app.open_lesson("tui-raises", step=step)
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    lesson = app.screen

    def shown() -> bool:  # the step alone, its Run button focused (where "r" is a key)
        focused = app.focused
        alone = lesson.index == step and len(lesson.query(StepView)) == 1
        return alone and focused is not None and focused.id == "run"

    await wait_for(pilot, shown)
    panel = lesson.query_one(StepView).query_one(RunPanel)
    await pilot.press("r")
    await wait_for(pilot, lambda: panel.result is not None)
    return panel


def status_of(panel: RunPanel) -> str:
    return plain(panel.query_one(".run-status-text").content)


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("en", "🎯 This one is meant to fail with RuntimeError — read the message."),
        ("zh", "🎯 这段代码本来就会抛出 RuntimeError——读读错误信息。"),
    ],
)
async def test_a_code_step_meant_to_fail_says_so(app_factory, lang, note):
    app = app_factory(lang, sandbox=FakeSandbox(mismatched_shapes), decks=[RAISES])
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_step(pilot, 0)
        assert status_of(panel).startswith(note)
        assert "❌" not in screen_text(app)
        assert panel.has_class("-meant-to-fail")
        error = panel.query_one(".run-error")
        assert error.styles.color != Color.parse(app.get_css_variables()["error"])  # not red
        assert "mat1 and mat2 shapes cannot be multiplied" in plain(error.content)
        await pilot.press("f2")  # the step is drawn again from its result, in the other language
        await wait_for(pilot, lambda: app.screen.step_view.query(RunPanel))
        again = app.screen.step_view.query_one(RunPanel)
        await pilot.pause()
        assert again.has_class("-meant-to-fail") and status_of(again).startswith("🎯 ")


async def test_only_the_error_a_step_is_meant_to_raise_is_shown_as_meant(app_factory):
    """Another error, or none, is shown as any run's: the step's ``raises`` does not excuse it."""
    app = app_factory(sandbox=FakeSandbox(mismatched_shapes), decks=[RAISES])
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_step(pilot, 0)
        assert panel.has_class("-meant-to-fail")
        for step, status in ((1, "❌ Error"), (2, "✅ Done")):  # another error; none at all
            panel = await run_step(pilot, step)
            assert status_of(panel).startswith(status)
            assert not panel.has_class("-meant-to-fail")
            assert "meant to fail" not in screen_text(app)
