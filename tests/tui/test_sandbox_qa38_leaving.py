"""QA pass 38, leaving the sandbox: an edited lesson snippet was lost on esc without a word (a
file's unsaved changes ask first), and a run going as the screen closed (the palette's Home)
stopped silently, its output gone on return."""

from __future__ import annotations

from typing import Any

from tests.tui.conftest import HANG, FakeSandbox, make_app, ready, toasts, wait_for
from tutor.i18n import tr
from tutor.screens.home import HomeScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.editor import KeptEditor

SNIPPET = "x = nn.Linear(3, 2)\nx.weight.shape\n"
SNIPPET_EDITED = "Your edits to this lesson code are kept nowhere"


async def open_snippet(pilot: Any, typed: str = "") -> tuple[SandboxScreen, KeptEditor]:
    """A lesson code step's ``e``: the sandbox opened on its code, ``typed`` added at its end."""
    app = pilot.app
    await ready(pilot)
    app.open_sandbox(code=SNIPPET)
    await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
    screen = app.screen
    editor = screen.query_one("#sb-editor", KeptEditor)
    if typed:
        editor.move_cursor(editor.document.end)
        await pilot.press(*typed)
    return screen, editor


async def test_leaving_an_edited_lesson_snippet_asks_for_a_second_esc(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen, _ = await open_snippet(pilot, "# my experiment")
        await pilot.press("escape")  # out of the editor
        await pilot.press("escape")
        await wait_for(pilot, lambda: any(SNIPPET_EDITED in toast for toast in toasts(app)))
        assert app.screen is screen, "the edited snippet was dropped without a word"
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SandboxScreen))


async def test_an_unedited_lesson_snippet_leaves_at_once(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_snippet(pilot)
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SandboxScreen))
        assert not any(SNIPPET_EDITED in toast for toast in toasts(app))


async def test_closing_the_sandbox_mid_run_says_the_run_was_stopped(tmp_path):
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: HANG))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        screen = app.screen
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.running)
        app.action_home()  # the command palette's "Home"
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await wait_for(pilot, lambda: any("was stopped as you left" in t for t in toasts(app)))


async def test_quitting_or_the_palette_with_an_edited_snippet_says_the_edits_go(tmp_path):
    """Only esc asked first: the palette's Home dropped the edits, ^q quit at once (QA)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen, _ = await open_snippet(pilot, "# mine")
        app.action_home()
        await wait_for(pilot, lambda: any(tr("app.snippet_first", "en") in t for t in toasts(app)))
        assert app.screen is screen
        await app.action_quit()
        await pilot.pause()
        assert any(tr("sb.snippet_quit", "en") in t for t in toasts(app))
        assert app.is_running and app.screen is screen
