"""The learner's code is kept: your sandbox and exercise attempts between sessions, a file on ctrl+s,
and a lesson snippet nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from tutor.screens.home import HomeScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.editor import KeptEditor

from .conftest import open_with_key, toasts, wait_for

SIZE = (100, 40)
EXERCISE_STEP = 7  # the fixture lesson's exercise


@pytest.fixture(autouse=True)
def quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KeptEditor, "SAVE_DELAY", 0.05)


def scratch_of(app) -> Path:
    return app.config.paths.scratch


async def leave_editor_and_screen(pilot) -> None:
    await pilot.press("escape", "escape")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))


async def test_your_sandbox_code_comes_back_next_session(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        screen.query_one(TextArea).insert("w = nn.Linear(2, 2)\n", (0, 0))
        await leave_editor_and_screen(pilot)
    kept = scratch_of(app).read_text(encoding="utf-8")
    assert kept.startswith("w = nn.Linear(2, 2)\n# torch, nn, F and device are ready.")

    app = app_factory(lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        assert screen.query_one(TextArea).text == kept  # the learner's words, not re-localized


async def test_your_sandbox_is_saved_soon_after_typing_stops(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press(*"x = 1", "enter")
        await wait_for(pilot, lambda: scratch_of(app).exists())
        assert scratch_of(app).read_text(encoding="utf-8") == screen.query_one(TextArea).text
        assert screen.query_one(TextArea).text.startswith("x = 1\n")


async def test_quitting_right_after_typing_still_keeps_the_code(app_factory, monkeypatch):
    monkeypatch.setattr(KeptEditor, "SAVE_DELAY", 60)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press(*"y = 2")
    assert scratch_of(app).read_text(encoding="utf-8").startswith("y = 2# torch")


async def test_the_untouched_starter_is_not_kept_even_after_a_language_switch(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press("f2")
        await pilot.pause(0.2)
        await leave_editor_and_screen(pilot)
    assert not scratch_of(app).exists()


async def test_starter_code_comes_back_on_ctrl_n_and_ctrl_z_undoes_it(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        editor = screen.query_one(TextArea)
        editor.load_text("mine = 1\n")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert editor.text.startswith("# torch, nn, F and device are ready.")
        assert any("Starter code is back" in t for t in toasts(app)), toasts(app)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.text == "mine = 1\n"


async def test_ctrl_s_says_where_your_sandbox_is_kept(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        screen.query_one(TextArea).insert("z = 3\n", (0, 0))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(toasts(app)))
        assert any(str(scratch_of(app)) in t.replace("\n", "") for t in toasts(app)), toasts(app)
        assert scratch_of(app).read_text(encoding="utf-8").startswith("z = 3\n")


async def test_a_data_dir_that_cannot_be_written_is_reported_once_while_typing(app_factory):
    app = app_factory()
    scratch_of(app).mkdir(parents=True)  # a folder where the file should go
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        editor = screen.query_one(TextArea)
        assert editor.text.startswith("# torch, nn, F")  # unreadable: the starter
        await pilot.press(*"a = 1")
        await wait_for(pilot, lambda: bool(toasts(app)))
        await pilot.press(*"bc")
        await pilot.pause(0.3)
        assert sum("Could not save" in t for t in toasts(app)) == 1, toasts(app)
        await pilot.press("ctrl+s")  # asked for: always answered
        await pilot.pause()
        assert sum("Could not save" in t for t in toasts(app)) == 2, toasts(app)


async def test_a_file_is_saved_on_ctrl_s_and_leaving_unsaved_asks_twice(app_factory, tmp_path):
    script = tmp_path / "mine.py"
    script.write_text("print('v1')\n", encoding="utf-8")
    script.chmod(0o600)
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        screen = app.screen
        screen.query_one(TextArea).insert("# v2\n", (0, 0))
        await pilot.pause()
        assert screen.title.endswith("mine.py ●")
        await pilot.press("escape", "escape")  # leave the editor, then try to leave
        await pilot.pause()
        assert app.screen is screen
        assert any("unsaved changes" in t for t in toasts(app)), toasts(app)
        assert script.read_text(encoding="utf-8") == "print('v1')\n"

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert script.read_text(encoding="utf-8") == "# v2\nprint('v1')\n"
        assert script.stat().st_mode & 0o777 == 0o600  # its permissions kept
        assert screen.title.endswith("mine.py")
        assert not scratch_of(app).exists()  # a file is not your sandbox

        screen.query_one(TextArea).insert("# v3\n", (0, 0))
        await pilot.press("escape", "escape")  # a warning again, then leaving without saving
        await wait_for(pilot, lambda: app.screen is not screen)
    assert script.read_text(encoding="utf-8") == "# v2\nprint('v1')\n"


async def test_a_file_that_does_not_exist_yet_is_created_on_ctrl_s(app_factory, tmp_path):
    script = tmp_path / "new.py"
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        assert any("new.py does not exist yet" in t for t in toasts(app)), toasts(app)
        app.screen.query_one(TextArea).insert("x = 1\n", (0, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert script.read_text(encoding="utf-8") == "x = 1\n"


async def test_a_file_that_could_not_be_read_is_never_written_over(app_factory, tmp_path):
    script = tmp_path / "binary.py"
    script.write_bytes(b"\xff\xfe\x00 not utf-8")
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        screen = app.screen
        assert not screen.check_action("save", ())
        screen.query_one(TextArea).insert("x = 1\n", (0, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert script.read_bytes() == b"\xff\xfe\x00 not utf-8"


async def test_a_lesson_snippet_opened_in_the_sandbox_is_kept_nowhere(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.library is not None)
        app.open_sandbox(code="print(1)\n")
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        screen = app.screen
        assert not screen.check_action("save", ()) and not screen.check_action("starter", ())
        screen.query_one(TextArea).insert("x = 1\n", (0, 0))
        await pilot.press("escape", "escape")  # out of the editor; edits kept nowhere: said
        assert isinstance(app.screen, SandboxScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
    assert not scratch_of(app).exists()


async def open_exercise(app, pilot) -> TextArea:
    await wait_for(pilot, lambda: app.library is not None)
    app.open_lesson("tui-basics", step=EXERCISE_STEP)
    await wait_for(pilot, lambda: bool(app.screen.query("ExerciseStepView TextArea")))
    return app.screen.query_one("ExerciseStepView TextArea", TextArea)


async def test_an_exercise_attempt_comes_back_next_session(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(app, pilot)
        assert editor.text.startswith("layer = nn.Linear(3, 1)  # keeps a bias")
        editor.load_text("layer = nn.Linear(3, 1, bias=True)  # almost\n")
        await pilot.pause()
    draft = app.config.paths.draft("tui-basics", "tui-basics.ex")
    assert draft.read_text(encoding="utf-8") == "layer = nn.Linear(3, 1, bias=True)  # almost\n"

    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        editor = await open_exercise(app, pilot)
        assert editor.text == "layer = nn.Linear(3, 1, bias=True)  # almost\n"
        app.screen.query_one("#reset").press()  # the starter again: nothing left to keep
        await wait_for(pilot, lambda: not draft.exists())
        assert editor.text.startswith("layer = nn.Linear(3, 1)  # keeps a bias")


async def test_quitting_with_a_file_unsaved_asks_for_a_second_ctrl_q(app_factory, tmp_path):
    script = tmp_path / "mine.py"
    script.write_text("x = 1\n", encoding="utf-8")
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        app.screen.query_one(TextArea).insert("y = 2\n", (0, 0))
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: bool(toasts(app)))
        assert any("^q again quits" in t for t in toasts(app)), toasts(app)
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)
    assert script.read_text(encoding="utf-8") == "x = 1\n"


async def test_quitting_with_everything_saved_is_one_ctrl_q(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_with_key(pilot, "s", SandboxScreen)  # your sandbox saves itself: no question
        app.screen.query_one(TextArea).insert("y = 2\n", (0, 0))
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


async def test_reset_is_one_edit_that_ctrl_z_undoes_and_the_draft_follows(app_factory):
    app = app_factory()
    draft = app.config.paths.draft("tui-basics", "tui-basics.ex")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await open_exercise(app, pilot)
        starter = editor.text
        editor.focus()
        await pilot.press("end", *" # my work")
        mine = editor.text
        assert mine == starter.rstrip("\n") + " # my work\n"
        await wait_for(pilot, lambda: draft.exists())
        await pilot.click("#reset")
        await wait_for(pilot, lambda: not draft.exists())  # the starter is not kept
        assert editor.text == starter
        assert any("Starter code is back" in t for t in toasts(app)), toasts(app)
        assert app.focused is editor  # so ctrl+z, as the toast says, reaches it
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.text == mine
        await wait_for(pilot, lambda: draft.exists())
        assert draft.read_text(encoding="utf-8") == mine
