"""QA pass 38, the code editor: Enter started every new line at column 0 (after "    a = i" the
learner typed the indentation again), and Help named none of the editor's own keys."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.conftest import drawn, make_app, open_with_key, wait_for
from tutor.screens.help import HelpScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.editor import KeptEditor


async def sandbox_editor(pilot: Any, code: str) -> KeptEditor:
    """Your sandbox, its editor holding ``code`` with the cursor at its end."""
    screen = await open_with_key(pilot, "s", SandboxScreen)
    editor = screen.query_one("#sb-editor", KeptEditor)
    editor.load_text(code)
    editor.move_cursor(editor.document.end)
    editor.focus()
    await pilot.pause()
    return editor


async def test_enter_keeps_the_lines_indentation(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await sandbox_editor(pilot, "for i in range(3):\n    a = i")
        await pilot.press("enter", *"b = a")
        assert editor.text == "for i in range(3):\n    a = i\n    b = a"


async def test_enter_after_a_colon_indents_one_level_more(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await sandbox_editor(pilot, "def f(x):\n    if x:")
        await pilot.press("enter", "x")
        assert editor.text == "def f(x):\n    if x:\n        x"


@pytest.mark.parametrize(
    ("line", "indent"),
    [
        ("    x = 1  # note:", "    "),
        ('    s = "#":', "        "),
        ("    d = {'a':", "        "),
        ("\tif x:", "\t\t"),  # a tab-indented file's level is a tab (four spaces: TabError)
    ],
)
async def test_a_colon_in_a_comment_adds_no_level(tmp_path, line, indent):
    """Only a colon of code opens a block (review: `# note:` indented the next line)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await sandbox_editor(pilot, line)
        await pilot.press("enter", "y")
        assert editor.text == f"{line}\n{indent}y"


async def test_enter_at_column_0_and_in_a_read_only_editor(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await sandbox_editor(pilot, "x = 1")
        editor.move_cursor((0, 0))
        await pilot.press("enter")
        assert editor.text == "\nx = 1"
        editor.read_only = True
        await pilot.press("enter")
        assert editor.text == "\nx = 1"


async def test_help_over_the_sandbox_names_the_editors_keys(tmp_path):
    """Help listed the screen's own bindings only: undo, redo, the clipboard and select all are
    the TextArea's, and a learner could not find them (select all is F7 there: ^a goes to the
    line's start)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 50)) as pilot:
        await sandbox_editor(pilot, "x = 1")
        await pilot.press("escape")  # out of the editor, where ? is typed
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_screen = app.screen
        shown = drawn(app)
        for words in ("Undo", "Redo", "Cut, copy, paste", "Select all", "In the code editor"):
            assert words in shown
        rows = dict(help_screen.editor_rows())
        assert rows["^z"] == "Undo" and rows["^y"] == "Redo" and rows["f7"] == "Select all"
