"""QA 39: code kept by the sandbox and exercise editors is never lost without a word.

Two nn-tutors open on one sandbox (or one exercise) wrote over each other's code a second after
a key was typed; code a full disk would not take was gone at the first ctrl+q, and the full
disk's message named no file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tutor import atomic_write
from tutor import scratch as scratch_module
from tutor.atomic_write import replacing
from tutor.scratch import ChangedOnDiskError, ScratchFile
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.editor import KeptEditor

from .conftest import open_with_key, toasts, wait_for

SIZE = (100, 40)
EXERCISE_STEP = 7  # the fixture lesson's exercise
THEIRS = "# the other nn-tutor's code: an hour of work\nA_WORK = 1\n"


@pytest.fixture(autouse=True)
def quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KeptEditor, "SAVE_DELAY", 0.05)


async def sandbox_changed_elsewhere(pilot, app) -> KeptEditor:
    """The sandbox open, its file saved by another nn-tutor, ``x = 1`` typed: its editor, once
    it said it stopped saving."""
    kept = app.config.paths.scratch
    screen = await open_with_key(pilot, "s", SandboxScreen)
    editor = screen.query_one("#sb-editor", KeptEditor)
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(THEIRS, encoding="utf-8")  # another nn-tutor saves its sandbox
    await pilot.press("end", *"x = 1")
    await wait_for(pilot, lambda: any("changed on disk" in t for t in toasts(app)))
    return editor


async def test_the_sandbox_never_writes_over_code_saved_elsewhere_unasked(app_factory):
    app = app_factory()
    kept = app.config.paths.scratch
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await sandbox_changed_elsewhere(pilot, app)
        await pilot.press(*"2")  # typing on saves nothing either
        await pilot.pause(0.2)
        assert kept.read_text(encoding="utf-8") == THEIRS
        assert editor.unkept and "x = 12" in editor.text

        await pilot.press("ctrl+s")  # the learner's choice: their code over the other
        await wait_for(pilot, lambda: kept.read_text(encoding="utf-8") == editor.text)
        assert not editor.unkept
        await pilot.press(*"3")  # saved as they type again
        await wait_for(pilot, lambda: "x = 123" in kept.read_text(encoding="utf-8"))


async def test_ctrl_s_in_the_sandbox_asks_before_writing_over_code_saved_elsewhere(
    app_factory, monkeypatch
):
    monkeypatch.setattr(KeptEditor, "SAVE_DELAY", 60)  # ctrl+s before any autosave
    app = app_factory(lang="zh")
    kept = app.config.paths.scratch
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        editor = screen.query_one("#sb-editor", KeptEditor)
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(THEIRS, encoding="utf-8")
        await pilot.press("end", *"x = 1", "ctrl+s")
        await wait_for(pilot, lambda: any("磁盘" in t for t in toasts(app)))  # said in zh
        assert kept.read_text(encoding="utf-8") == THEIRS
        await pilot.press("ctrl+s")  # again: written over
        await wait_for(pilot, lambda: kept.read_text(encoding="utf-8") == editor.text)


async def exercise_changed_elsewhere(pilot, app) -> KeptEditor:
    """The fixture's exercise open, its draft written by another nn-tutor, " # mine" typed: its
    editor, once it said it stopped saving."""
    draft = app.config.paths.draft("tui-basics", "tui-basics.ex")
    await wait_for(pilot, lambda: app.library is not None)
    app.open_lesson("tui-basics", step=EXERCISE_STEP)
    await wait_for(pilot, lambda: bool(app.screen.query("ExerciseStepView TextArea")))
    editor = app.screen.query_one("ExerciseStepView TextArea", KeptEditor)
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text(THEIRS, encoding="utf-8")  # the other nn-tutor's draft
    editor.focus()
    await pilot.press("end", *" # mine")
    await wait_for(pilot, lambda: any("changed on disk" in t for t in toasts(app)))
    return editor


async def test_an_exercise_draft_saved_elsewhere_can_be_loaded_and_ctrl_z_brings_yours_back(
    app_factory,
):
    app = app_factory()
    draft = app.config.paths.draft("tui-basics", "tui-basics.ex")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await exercise_changed_elsewhere(pilot, app)
        mine = editor.text
        assert draft.read_text(encoding="utf-8") == THEIRS

        await pilot.press("ctrl+l")  # theirs, in place of the learner's
        await wait_for(pilot, lambda: editor.text == THEIRS)
        await pilot.press("ctrl+z")  # and back: nothing is lost either way
        await wait_for(pilot, lambda: editor.text == mine)
        await wait_for(pilot, lambda: draft.read_text(encoding="utf-8") == mine)


def test_a_second_scratch_file_on_one_path_tells_of_the_firsts_save_once(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.py"
    one, other = ScratchFile(path, "x = 0\n"), ScratchFile(path, "x = 0\n")
    one.load("en"), other.load("en")
    one.save(THEIRS)
    with pytest.raises(ChangedOnDiskError) as raised:
        other.save("mine = 1\n")
    assert raised.value.filename == str(path)
    assert path.read_text(encoding="utf-8") == THEIRS
    other.save("mine = 1\n")  # told once: the next save writes over it
    assert path.read_text(encoding="utf-8") == "mine = 1\n"


REAL_WRITE = atomic_write.write_bytes_atomic


def full_disk(path: Path, data: bytes, *, make_folder: bool = False) -> None:
    """The sandbox's code written to a full disk, as the OS says it: no file named. Other
    files (the app's own state) are written."""
    if path.name != "sandbox.py":
        REAL_WRITE(path, data, make_folder=make_folder)
        return
    with replacing(path, make_folder=make_folder):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


async def test_code_a_full_disk_would_not_take_asks_for_a_second_ctrl_q(app_factory, monkeypatch):
    app = app_factory()
    monkeypatch.setattr(atomic_write, "write_bytes_atomic", full_disk)  # write_text_atomic's
    monkeypatch.setattr(scratch_module, "write_bytes_atomic", full_disk)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        screen.query_one(TextArea).focus()
        await pilot.press("end", *"x = 1")
        await wait_for(pilot, lambda: any("Could not save" in t for t in toasts(app)))
        said = next(t for t in toasts(app) if "Could not save" in t).replace("\n", "")
        assert str(app.config.paths.scratch) in said, said  # which file was not saved
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: any("^q again quits" in t for t in toasts(app)))
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


async def test_leaving_a_sandbox_whose_saving_stopped_asks_first(app_factory):
    """Saving stopped for a change made elsewhere, esc left the sandbox and its code in silence
    (only ^q asked): it asks as for an unsaved file, and a second esc leaves."""
    app = app_factory()
    kept = app.config.paths.scratch
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_with_key(pilot, "s", SandboxScreen)
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(THEIRS, encoding="utf-8")
        await pilot.press("end", *"mine = 42")
        await wait_for(pilot, lambda: any("changed on disk" in t for t in toasts(app)))
        await pilot.press("escape", "escape")  # out of the editor, then off the screen
        await pilot.pause()
        assert app.screen is screen
        assert any(kept.name in t and "unsaved" in t for t in toasts(app)), toasts(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen not in app.screen_stack)


async def test_leaving_a_lesson_whose_exercise_stopped_saving_asks_first(app_factory):
    app = app_factory()
    draft = app.config.paths.draft("tui-basics", "tui-basics.ex")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await exercise_changed_elsewhere(pilot, app)
        lesson = app.screen
        for _ in range(2):  # out of the editor, then the lesson
            await pilot.press("escape")
            await pilot.pause()
        assert lesson in app.screen_stack
        assert any(draft.name in t and "unsaved" in t for t in toasts(app)), toasts(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: lesson not in app.screen_stack)
