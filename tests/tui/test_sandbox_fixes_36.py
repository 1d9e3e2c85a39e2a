"""QA's sandbox findings: undo after a long paste took the app down (textual#6686), a failed run
selected a line under the learner's typing, ctrl+z after ctrl+n and a language switch lost the
learner's code, an autosave failure was worded raw, and the output pane showed no focus."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual import events
from textual.color import Color
from textual.geometry import Region

from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.editor import KeptEditor

from .conftest import FakeError, FakeResult, FakeSandbox, open_with_key, toasts, wait_for

CNN = """\
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        return self.fc(x.flatten(1))

net = Net()
x = torch.randn(4, 1, 28, 28)
out = net(x)
loss = out.sum()
loss.backward()
print(out.shape)
out.shape
"""


@pytest.fixture(autouse=True)
def quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KeptEditor, "SAVE_DELAY", 0.05)


async def open_sandbox(pilot: Any) -> tuple[SandboxScreen, KeptEditor]:
    screen = await open_with_key(pilot, "s", SandboxScreen)
    return screen, screen.query_one("#sb-editor", KeptEditor)


# -- 1. undo and redo of a long edit ------------------------------------------------------------


async def test_undoing_a_paste_over_the_starter_puts_it_back(app_factory):
    """At 80x24 the pasted CNN brings the editor a scrollbar; undo put the 6-line starter back
    while the cursor was still on line 21, and the scrollbar's refresh asked where that line
    was drawn: ``ValueError``, the app gone."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        _, editor = await open_sandbox(pilot)
        starter = editor.text
        editor.select_all()
        app.post_message(events.Paste(CNN))
        await wait_for(pilot, lambda: editor.text == CNN)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.text == starter
        assert app.return_code is None  # still running
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert editor.text == CNN


async def test_undoing_ctrl_n_over_long_code_and_redoing_it(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        _, editor = await open_sandbox(pilot)
        editor.load_text(CNN)
        editor.move_cursor(editor.document.end)
        await pilot.press("ctrl+n")
        await pilot.pause()
        starter = editor.text
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.text == CNN
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert editor.text == starter
        assert app.return_code is None


async def test_undoing_typing_that_outgrew_the_editor(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        _, editor = await open_sandbox(pilot)
        starter = editor.text
        editor.move_cursor(editor.document.end)
        for i in range(12):
            await pilot.press(*f"y{i} = {i}", "enter")
        for _ in range(30):
            await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.text == starter
        assert app.return_code is None


# -- 2. a failed run and the learner's typing ---------------------------------------------------

FAILING = "x = 1\nboom\ny = 2\n"


def held_sandbox() -> tuple[FakeSandbox, asyncio.Event]:
    """A sandbox whose run fails on line 2, once the test lets it end."""
    done = asyncio.Event()

    async def fail(code: str, **_: Any) -> FakeResult:
        await done.wait()
        error = FakeError("NameError", "name 'boom' is not defined", line=2)
        return FakeResult(status="error", error=error)

    return FakeSandbox(fail), done


async def run_and_fail(pilot: Any, done: asyncio.Event, *keys: str) -> None:
    """Run, type ``keys`` while the run goes, then let it fail."""
    screen = pilot.app.screen
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: screen.running)
    await pilot.press(*keys)
    done.set()
    await wait_for(pilot, lambda: not screen.running)
    await pilot.pause()


async def test_a_failed_run_selects_nothing_in_code_edited_since(app_factory):
    """The error's line 2 is "boom" in the code that ran; two lines typed above it during the
    run made line 2 another one, and selecting it let the next key replace it."""
    sandbox, done = held_sandbox()
    app = app_factory(sandbox=sandbox)
    async with app.run_test(size=(100, 40)) as pilot:
        _, editor = await open_sandbox(pilot)
        editor.load_text(FAILING)
        editor.move_cursor((0, 0))
        await run_and_fail(pilot, done, *"# a", "enter", *"# b", "enter")
        assert editor.selected_text == ""
        assert editor.cursor_location == (2, 0)  # where the learner left it
        await pilot.press("z")
        assert editor.text == "# a\n# b\nzx = 1\nboom\ny = 2\n"


async def test_a_failed_run_still_selects_its_line_in_unchanged_code(app_factory):
    sandbox, done = held_sandbox()
    app = app_factory(sandbox=sandbox)
    async with app.run_test(size=(100, 40)) as pilot:
        _, editor = await open_sandbox(pilot)
        editor.load_text(FAILING)
        await run_and_fail(pilot, done)
        assert editor.selected_text.rstrip("\n") == "boom"


async def test_a_failed_exercise_check_selects_nothing_in_code_edited_since(app_factory):
    """The same for an exercise's check: its error's line selected under the learner's typing."""
    from tutor.screens.lesson import LessonScreen
    from tutor.widgets.step_exercise import ExerciseStepView

    sandbox, done = held_sandbox()
    app = app_factory(sandbox=sandbox)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.is_current)
        app.open_lesson("tui-basics", step=7)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.step_view)
        step = app.screen.query_one(ExerciseStepView)
        editor = step.query_one(KeptEditor)
        editor.load_text(FAILING)
        editor.focus()
        editor.move_cursor((0, 0))
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: step.running)
        await pilot.press(*"# a", "enter")
        done.set()
        await wait_for(pilot, lambda: not step.running)
        await pilot.pause()
        assert editor.selected_text == ""
        assert editor.cursor_location == (1, 0)


# -- 3. ctrl+n, a language switch, ctrl+z --------------------------------------------------------


async def test_ctrl_z_brings_the_code_back_after_ctrl_n_and_a_language_switch(app_factory):
    """ctrl+n says "^z brings yours back"; a switch to Chinese reloaded the translated starter
    with load_text, which forgot the undo history (and the saved code was gone already)."""
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        _, editor = await open_sandbox(pilot)
        editor.load_text("mine = 1\n")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("f2")
        await wait_for(pilot, lambda: editor.text.startswith("# torch、nn、F"))
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.text == "mine = 1\n"
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert editor.text.startswith("# torch、nn、F")


# -- 4. an autosave failure in the catalogue's words --------------------------------------------


async def test_an_autosave_failure_is_worded_as_ctrl_s_words_it(app_factory):
    app = app_factory(lang="zh")
    app.config.paths.scratch.mkdir(parents=True)  # a folder where the code should be kept
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_sandbox(pilot)
        await pilot.press("x")
        await wait_for(pilot, lambda: bool(toasts(app)))
        said = " ".join(toasts(app))
        assert "这是一个文件夹，不是文件" in said, said
        assert "Errno" not in said


# -- 5. the output pane shows the focus ---------------------------------------------------------


def cells(app: Any, region: Region) -> list[tuple[str, Any]]:
    """Each cell of ``region`` as drawn, after the app's filters (grey under NO_COLOR)."""
    drawn = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        if not region.y <= y < region.bottom:
            continue
        segments = list(strip)
        for line_filter in app._filters:
            segments = line_filter.apply(segments, Color(0, 0, 0))
        x = 0
        for segment in segments:
            for char in segment.text:
                if region.x <= x < region.right:
                    drawn.append((char, segment.style))
                x += 1
    return drawn


@pytest.mark.parametrize("no_color", [False, True])
async def test_the_output_pane_shows_when_it_has_the_focus(app_factory, monkeypatch, no_color):
    """Tab stops on the output pane (it scrolls), and not one cell of it changed."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen, _ = await open_sandbox(pilot)
        output = screen.query_one("#sb-output")
        output.focus()
        await pilot.pause()
        focused = cells(app, output.region)
        screen.query_one("#run").focus()
        await pilot.pause()
        assert cells(app, output.region) != focused
