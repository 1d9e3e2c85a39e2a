"""``nn-tutor sandbox FILE``: the file ctrl+s writes ends with a newline, as Python files do
(``git diff`` said "No newline at end of file"), and a file opened and saved keeps its bytes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from tutor.screens.sandbox_screen import SandboxScreen

from .conftest import wait_for

SIZE = (100, 30)


async def saved_after_typing(app_factory, script: Path, typed: str, saves: int = 1) -> str:
    """What the editor shows of ``script`` opened in the sandbox, after ``typed`` is put at its
    start and ctrl+s is pressed ``saves`` times."""
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        screen = app.screen
        editor = screen.query_one(TextArea)
        shown = editor.text
        editor.insert(typed, (0, 0))
        for _ in range(saves):
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert not screen.unsaved
    return shown


async def shown_on_opening(app_factory, script: Path) -> str:
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        shown = app.screen.query_one(TextArea).text
        assert not app.screen.unsaved
    return shown


async def test_a_new_file_is_saved_with_a_last_newline(app_factory, tmp_path):
    """The QA's ``print(1)`` in a new file was saved as ``'print(1)'``; saved twice it gains no
    second newline, and opened again it shows what the file holds."""
    script = tmp_path / "x.py"
    await saved_after_typing(app_factory, script, "print(1)", saves=2)
    assert script.read_bytes() == b"print(1)\n"
    assert await shown_on_opening(app_factory, script) == "print(1)\n"


async def test_a_file_with_no_last_newline_gets_one_in_its_own_line_endings(app_factory, tmp_path):
    script = tmp_path / "win.py"
    script.write_bytes(b"x = 1\r\ny = 2")
    await saved_after_typing(app_factory, script, "# edit\n")
    assert script.read_bytes() == b"# edit\r\nx = 1\r\ny = 2\r\n"


async def test_a_file_ending_in_blank_lines_keeps_them(app_factory, tmp_path):
    """What the file holds is what the editor shows and what a save writes back: its blank
    last lines too, none added and none taken away."""
    script = tmp_path / "mine.py"
    script.write_text("x = 1\n\n", encoding="utf-8")
    assert await saved_after_typing(app_factory, script, "# edit\n", saves=2) == "x = 1\n\n"
    assert script.read_text(encoding="utf-8") == "# edit\nx = 1\n\n"


async def test_typed_text_ending_in_a_newline_gains_no_second(app_factory, tmp_path):
    script = tmp_path / "new.py"
    await saved_after_typing(app_factory, script, "x = 1\n", saves=2)
    assert script.read_bytes() == b"x = 1\n"


async def test_an_empty_file_stays_empty(app_factory, tmp_path):
    """A new file saved with nothing typed is created empty: no newline for no line."""
    script = tmp_path / "empty.py"
    await saved_after_typing(app_factory, script, "")
    assert script.read_bytes() == b""


async def test_a_file_opened_and_saved_unchanged_keeps_its_bytes(app_factory, tmp_path):
    """ctrl+s on a file the learner did not change writes nothing: no last newline is added
    to a file that has none (a reviewer: the write went ahead and changed it)."""
    script = tmp_path / "theirs.py"
    script.write_bytes(b"x = 1")
    await saved_after_typing(app_factory, script, "", saves=2)
    assert script.read_bytes() == b"x = 1"
