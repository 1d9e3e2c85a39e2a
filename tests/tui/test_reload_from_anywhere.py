"""ctrl+l (load the file's code) works wherever ctrl+s (write mine over it) does while an
editor's saving is held for a change made on disk: anywhere on the sandbox screen and the
exercise step, not only in the editor; the footer offers it while held."""

from __future__ import annotations

import pytest
from textual.widgets import Button

from tutor.widgets.editor import KeptEditor

from .conftest import drawn, toasts, wait_for
from .test_kept_code_elsewhere_qa39 import (
    SIZE,
    THEIRS,
    exercise_changed_elsewhere,
    sandbox_changed_elsewhere,
)


@pytest.fixture(autouse=True)
def quick_saves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KeptEditor, "SAVE_DELAY", 0.05)


def footer(app: object) -> str:
    return drawn(app).splitlines()[-1]


async def test_ctrl_l_loads_the_sandbox_file_from_outside_the_editor(app_factory):
    app = app_factory()
    kept = app.config.paths.scratch
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await sandbox_changed_elsewhere(pilot, app)
        mine = editor.text
        await pilot.pause()
        assert footer(app).count("^l") == 1, footer(app)  # the editor's and the screen's: one
        await pilot.press("escape")  # out of the editor: the Run button has the focus
        await wait_for(pilot, lambda: isinstance(app.focused, Button))
        assert "^l" in footer(app), footer(app)
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: editor.text == THEIRS)
        assert not editor.held
        await wait_for(pilot, lambda: "^l" not in footer(app))
        # in the editor now, where the ^z the warning promised works: the learner's code back,
        # and saved again
        assert app.focused is editor
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: kept.read_text(encoding="utf-8") == mine)


async def test_ctrl_s_off_the_sandbox_editor_says_it_wrote_over_the_change(app_factory):
    """As the editor's own ctrl+s says (and the exercise step's from anywhere): not the plain
    "kept" news, which hid that the change made elsewhere is gone."""
    app = app_factory()
    kept = app.config.paths.scratch
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await sandbox_changed_elsewhere(pilot, app)
        mine = editor.text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.focused, Button))
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any("over the change made elsewhere" in t for t in toasts(app))
        )
        assert kept.read_text(encoding="utf-8") == mine
        assert not editor.held


@pytest.mark.parametrize("key", ["ctrl+l", "ctrl+s"])
async def test_ctrl_l_and_ctrl_s_work_from_the_exercise_steps_buttons(app_factory, key):
    app = app_factory()
    draft = app.config.paths.draft("tui-basics", "tui-basics.ex")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        editor = await exercise_changed_elsewhere(pilot, app)
        mine = editor.text
        app.screen.query_one("#check", Button).focus()
        await pilot.pause()
        assert "^l" in footer(app) and "^s" in footer(app), footer(app)
        await pilot.press(key)
        if key == "ctrl+l":  # theirs, in place of the learner's, and ^z brings it back
            await wait_for(pilot, lambda: editor.text == THEIRS)
            assert app.focused is editor
            await pilot.press("ctrl+z")
            await wait_for(pilot, lambda: editor.text == mine)
        else:  # the learner's, over theirs
            await wait_for(pilot, lambda: draft.read_text(encoding="utf-8") == mine)
            assert editor.text == mine
        assert not editor.held
        await wait_for(pilot, lambda: "^l" not in footer(app))
