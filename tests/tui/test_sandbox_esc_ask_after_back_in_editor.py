"""The sandbox's esc that asks before dropping code kept nowhere (a file's unsaved changes, an
edited lesson snippet) answers that moment alone, as the lesson's does: once the learner is
back in the editor (a click, shift+tab), typing or not, the next esc off it asks again. Back in
the code without typing, the ask had been spent: esc, a click into the code, esc, esc closed
the sandbox without a word, the code dropped with it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.conftest import make_app, wait_for
from tests.tui.test_hints_in_a_row import said
from tests.tui.test_sandbox_qa38_leaving import SNIPPET_EDITED, open_snippet
from tutor.i18n import tr
from tutor.screens.sandbox_screen import SandboxScreen

WAYS = ["click", "shift+tab"]


async def back_in_editor(pilot: Any, way: str) -> None:
    """The learner goes back into the code from Run: a click on it, or shift+tab."""
    editor = pilot.app.screen.query_one("#sb-editor")
    if way == "click":
        await pilot.click("#sb-editor")
    else:
        await pilot.press("shift+tab")
    await wait_for(pilot, lambda: pilot.app.focused is editor)


def asked(app: Any, warning: str) -> bool:
    return any(warning in notice for notice in said(app))


async def asks_again_after_going_back(
    pilot: Any, screen: SandboxScreen, warning: str, way: str, typed: str
) -> None:
    """esc asks; back in the editor ``way``, ``typed`` typed there; esc off it asks again, and
    the esc right after that ask leaves."""
    app = pilot.app
    editor = screen.query_one("#sb-editor")
    await pilot.press("escape", "escape")  # out of the editor, then the one ask
    await wait_for(pilot, lambda: asked(app, warning))
    app.clear_notifications()
    await back_in_editor(pilot, way)
    if typed:
        await pilot.press(*typed)
        await wait_for(pilot, lambda: typed in editor.text)
    await pilot.press("escape", "escape")  # out of the editor again, then esc: asks again
    await pilot.pause()
    assert app.screen is screen and asked(app, warning), "the code was dropped unasked"
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is not screen)


@pytest.mark.parametrize("typed", ["", "# more"])
@pytest.mark.parametrize("way", WAYS)
async def test_an_edited_snippet_asks_again_after_the_learner_went_back_to_it(tmp_path, way, typed):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen, _ = await open_snippet(pilot, "# mine")
        await asks_again_after_going_back(pilot, screen, SNIPPET_EDITED, way, typed)


@pytest.mark.parametrize("typed", ["", "# more"])
@pytest.mark.parametrize("way", WAYS)
async def test_a_files_unsaved_changes_ask_again_after_the_learner_went_back_to_them(
    tmp_path, way, typed
):
    script = tmp_path / "mine.py"
    script.write_text("x = 1\n", encoding="utf-8")
    app = make_app(tmp_path, start="sandbox", start_arg=str(script))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        screen = app.screen
        editor = screen.query_one("#sb-editor")
        editor.move_cursor(editor.document.end)
        await pilot.press(*"y = 2")
        warning = tr("sb.unsaved", "en", file="mine.py")
        await asks_again_after_going_back(pilot, screen, warning, way, typed)
