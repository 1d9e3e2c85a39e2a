"""``nn-tutor sandbox FILE`` reads a file as Python does (a BOM, a ``# coding:`` line) and ctrl+s
writes it back as it was stored: its encoding, its line endings, through a symlink."""

from __future__ import annotations

from textual.widgets import TextArea

from tutor.screens.sandbox_screen import SandboxScreen

from .conftest import screen_text, toasts, wait_for

SIZE = (100, 40)


async def open_file(app, pilot) -> tuple[SandboxScreen, TextArea]:
    await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
    return app.screen, app.screen.query_one(TextArea)


async def run_and_wait(app, pilot, done: str) -> None:
    app.screen.action_run()
    await wait_for(pilot, lambda: done in screen_text(app), tries=1500)


async def test_a_windows_file_runs_and_is_saved_with_its_bom_and_crlf(
    app_factory, real_sandbox, tmp_path
):
    """Notepad's UTF-8 has a byte-order mark and CRLF: the editor shows the code without them,
    it runs, and ctrl+s writes both back."""
    script = tmp_path / "win.py"
    script.write_bytes(b"\xef\xbb\xbfx = 1\r\nprint(f'sum {x + 1}')\r\n")
    app = app_factory(sandbox=real_sandbox(), start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, editor = await open_file(app, pilot)
        assert editor.text == "x = 1\nprint(f'sum {x + 1}')\n"
        await run_and_wait(app, pilot, "sum 2")
        assert "U+FEFF" not in screen_text(app)
        editor.insert("# edit\n", (0, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not screen.unsaved
    assert script.read_bytes() == b"\xef\xbb\xbf# edit\r\nx = 1\r\nprint(f'sum {x + 1}')\r\n"


async def test_a_latin_1_file_runs_and_stays_latin_1(app_factory, real_sandbox, tmp_path):
    """A ``# coding: latin-1`` file: shown and run decoded, saved in latin-1 again; a character
    latin-1 cannot hold is not saved (the file is left as it was) and the learner is told."""
    script = tmp_path / "old.py"
    original = b"# -*- coding: latin-1 -*-\nprint('caf\xe9')\n"
    script.write_bytes(original)
    app = app_factory(sandbox=real_sandbox(), start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, editor = await open_file(app, pilot)
        assert editor.text == "# -*- coding: latin-1 -*-\nprint('caf\u00e9')\n"
        await run_and_wait(app, pilot, "café")
        editor.insert("# très bien\n", (1, 0))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert script.read_bytes() == (
            b"# -*- coding: latin-1 -*-\n# tr\xe8s bien\nprint('caf\xe9')\n"
        )
        editor.insert("# 中文\n", (1, 0))
        await pilot.press("escape", "escape")  # to the Run button, then: leave? (warned)
        await pilot.press("ctrl+s")
        said = "its encoding, latin-1, cannot hold '中文' (line 2)"
        await wait_for(pilot, lambda: any(said in t for t in toasts(app)))
        assert screen.unsaved
        await pilot.press("escape")  # the save failed: warned again, not left
        await pilot.pause()
        assert app.screen is screen
    assert script.read_bytes() == b"# -*- coding: latin-1 -*-\n# tr\xe8s bien\nprint('caf\xe9')\n"


async def test_saving_through_a_symlink_writes_its_target_and_keeps_the_link(app_factory, tmp_path):
    real = tmp_path / "real" / "model.py"
    real.parent.mkdir()
    real.write_text("x = 1\n", encoding="utf-8")
    link = tmp_path / "model.py"
    link.symlink_to(real)
    app = app_factory(start="sandbox", start_arg=str(link))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        _, editor = await open_file(app, pilot)
        editor.load_text("x = 2\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert link.is_symlink() and link.readlink() == real
    assert real.read_text(encoding="utf-8") == "x = 2\n"
    assert [p.name for p in real.parent.iterdir()] == ["model.py"]  # no temporary file left


async def test_a_file_that_cannot_be_read_is_not_edited_in_vain(app_factory, tmp_path):
    """A file that could not be read (bytes that are not UTF-8, no coding line) left an empty
    editor that took typing, which nothing could save and esc threw away."""
    script = tmp_path / "odd.py"
    script.write_bytes(b"x = 'caf\xe9'\n")
    app = app_factory(start="sandbox", start_arg=str(script))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, editor = await open_file(app, pilot)
        said = "its bytes are not UTF-8, and no '# coding:' line names another encoding"
        await wait_for(pilot, lambda: any(said in t for t in toasts(app)))
        assert editor.read_only
        await pilot.press("a", "b")
        assert editor.text == "" and not screen.unsaved


async def test_a_fifo_is_refused_not_read(app_factory, tmp_path):
    """Reading a FIFO waits for a writer: the app hung before its first frame, ctrl+q and
    ctrl+c dead in the raw terminal."""
    import os
    import threading

    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    # were it read, a writer coming and going lets that read end (a failure, not a hang)
    unblock = threading.Timer(10, lambda: os.close(os.open(fifo, os.O_WRONLY)))
    unblock.daemon = True
    unblock.start()
    app = app_factory(start="sandbox", start_arg=str(fifo))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        _screen, editor = await open_file(app, pilot)
        await wait_for(pilot, lambda: any("not a regular file" in t for t in toasts(app)))
        assert editor.read_only
    unblock.cancel()
