"""The code editor's dedent (QA pass on the editor): Backspace took back one space of an
auto-indent, so ending a block by hand left a line a space off (an ``IndentationError``), and
shift+tab did not dedent. Backspace in a line's indentation, shift+tab and tab over several
selected lines now move by indent stops, as in a learner's own code editor, one undo step each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets.text_area import Selection

from tests.tui.conftest import (
    FakeCheck,
    FakeResult,
    FakeSandbox,
    make_app,
    open_exercise,
    open_with_key,
    wait_for,
)
from tests.tui.test_sandbox_qa38_editor import sandbox_editor
from tutor.i18n import tr
from tutor.screens.help import HelpScreen
from tutor.widgets.editor import KeptEditor

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
SIZE = (100, 30)

RECORDER_HEAD = (
    "def record_shapes(model, x):\n"
    "    shapes = {}\n"
    "    handles = []\n"
    "    for name, module in model.named_modules():\n"
    "        if len(list(module.children())) == 0:\n"
    "            handles.append(module.register_forward_hook(\n"
    "                lambda m, args, out, name=name: shapes.__setitem__(name, tuple(out.shape))))\n"
)
"""The QA's code on l06.ex-record-shapes before it typed its ``try:`` block."""


async def test_the_qa_steps_end_a_block_with_backspace_and_check_code_that_compiles(tmp_path):
    """The QA's keys, on to a whole ``try``/``finally``: each Backspace after an auto-indented
    line ends a block, and the check runs code Python reads (it was ``7 spaces finally:``)."""
    sandbox = FakeSandbox(lambda code, **_: FakeResult(check=FakeCheck(True)))
    app = make_app(tmp_path, sandbox=sandbox, decks=[LESSONS])
    async with app.run_test(size=(110, 45)) as pilot:
        view = await open_exercise(pilot, "l06.ex-record-shapes")
        editor = view.query_one(KeptEditor)
        editor.load_text(RECORDER_HEAD)
        editor.move_cursor(editor.document.end)
        editor.focus()
        await pilot.pause()
        await pilot.press(*"    try:", "enter", *"model(x)", "enter", "backspace", *"finally:")
        assert editor.text.endswith("    try:\n        model(x)\n    finally:")
        await pilot.press("enter", *"for handle in handles:", "enter", *"handle.remove()")
        await pilot.press("enter", "backspace", "backspace", *"return shapes")
        code = RECORDER_HEAD + (
            "    try:\n"
            "        model(x)\n"
            "    finally:\n"
            "        for handle in handles:\n"
            "            handle.remove()\n"
            "    return shapes"
        )
        assert editor.text == code
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: bool(sandbox.calls))
        compile(sandbox.calls[-1]["code"], "<snippet>", "exec")  # no IndentationError


@pytest.mark.parametrize(
    ("line", "column", "left"),
    [
        ("        ", 8, "    "),  # an auto-indent, a level back
        ("       x", 7, "    x"),  # off a stop: back to the one before
        ("        y", 6, "      y"),  # in the indentation: the spaces before the cursor go
        ("  z", 2, "z"),
        ("\t\t", 2, "\t"),  # a tab is a level
        ("\t  ", 3, "\t"),
    ],
)
async def test_backspace_in_the_indentation_goes_back_to_the_stop_before(
    tmp_path, line, column, left
):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await sandbox_editor(pilot, "if x:\n" + line)
        editor.move_cursor((1, column))
        await pilot.press("backspace")
        assert editor.text == "if x:\n" + left
        assert editor.cursor_location == (1, len(left) - len(line) + column)


async def test_backspace_after_code_or_with_a_selection_is_textuals(tmp_path):
    """After code, one character (the spaces before a comment); a selection, deleted."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await sandbox_editor(pilot, "    x = 1    ")
        await pilot.press("backspace")
        assert editor.text == "    x = 1   "
        editor.selection = Selection((0, 1), (0, 3))
        await pilot.press("backspace")
        assert editor.text == "  x = 1   "


async def test_one_undo_takes_one_dedent_back(tmp_path):
    """The dedent is an undo step of its own: not one with the letter deleted before it."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await sandbox_editor(pilot, "if x:\n        y")
        await pilot.press("backspace", "backspace")
        assert editor.text == "if x:\n    "
        await pilot.press("ctrl+z")
        assert editor.text == "if x:\n        "
        await pilot.press("ctrl+z")
        assert editor.text == "if x:\n        y"


async def test_shift_tab_dedents_the_cursors_line_in_one_undo_step(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await sandbox_editor(pilot, "def f():\n        return 1")
        editor.move_cursor((1, 10))  # on "return"
        await pilot.press("shift+tab")
        assert app.focused is editor  # not the screen's focus_previous
        assert editor.text == "def f():\n    return 1"
        assert editor.cursor_location == (1, 6)  # still on "return"
        await pilot.press("shift+tab", "shift+tab")  # nothing left to take at column 0
        assert editor.text == "def f():\nreturn 1"
        await pilot.press("ctrl+z")
        assert editor.text == "def f():\n    return 1"


async def test_shift_tab_dedents_each_selected_line(tmp_path):
    """Each line a level back, tabs by a tab; an empty line and a line at column 0 stay; the
    line the selection ends at the start of is not in it. One ``ctrl+z`` takes it all back."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        code = "a\n      b\n\n\t\tc\n    d"
        editor = await sandbox_editor(pilot, code)
        editor.selection = Selection((0, 0), (4, 0))
        await pilot.press("shift+tab")
        assert editor.text == "a\n    b\n\n\tc\n    d"
        assert editor.selection == Selection((0, 0), (4, 0))
        await pilot.press("ctrl+z")
        assert editor.text == code


async def test_tab_indents_each_selected_line(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        code = "for i in x:\n  a = i\n\n\tb = a\nc"
        editor = await sandbox_editor(pilot, code)
        editor.selection = Selection((0, 4), (3, 2))
        await pilot.press("tab")
        assert editor.text == "    for i in x:\n    a = i\n\n\t\tb = a\nc"
        assert editor.selection == Selection((0, 8), (3, 3))  # on the same text
        await pilot.press("ctrl+z")
        assert editor.text == code


async def test_tab_without_a_selection_over_lines_is_textuals(tmp_path):
    """Tab still puts in spaces to the next stop at the cursor, or over a selection in a line."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await sandbox_editor(pilot, "ab")
        editor.move_cursor((0, 1))
        await pilot.press("tab")
        assert editor.text == "a   b"
        editor.selection = Selection((0, 0), (0, 2))
        await pilot.press("tab")
        assert editor.text == "    b"


async def test_shift_tab_off_a_read_only_editor_moves_the_focus_back(tmp_path):
    """An editor that takes no typing keeps Textual's shift+tab: the focus goes back."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await sandbox_editor(pilot, "    x = 1")
        editor.read_only = True
        await pilot.press("shift+tab")
        assert app.focused is not editor
        assert editor.text == "    x = 1"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_help_names_shift_tab(tmp_path, lang):
    app = make_app(tmp_path, lang)
    async with app.run_test(size=(100, 50)) as pilot:
        await open_sandbox_help(pilot)
        rows = dict(app.screen.editor_rows())
        assert rows["shift+tab"] == tr("help.editor.dedent", lang)


async def open_sandbox_help(pilot: Any) -> None:
    """Help over the sandbox, its editor focused before."""
    await sandbox_editor(pilot, "x = 1")
    await pilot.press("escape")  # out of the editor, where ? is typed
    await open_with_key(pilot, "question_mark", HelpScreen)
