"""The QA scenario end to end: a learner leaves a lesson on a quiz, the author adds or removes a
step above it, and `c` on the course map opens that same quiz again (the progress store is the
real one, in the test's data dir): the saved position follows the step, not its index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen

from .conftest import DECKS, SIZE, make_app, screen_text, wait_for
from .test_tui_flows import open_basics

LESSON = "tui-basics"
TRUE_FALSE = 4  # the fixture lesson's true-or-false quiz
NEW_STEP = (
    "  - type: text\n"
    '    title: {en: "New intro", zh: "新的开场"}\n'
    '    body: {en: "A step the author added.", zh: "作者新加的一步。"}\n'
)


def edit_deck(decks: Path, edit: str) -> None:
    """Add a text step at the top of the lesson, or take its first step (a text step) out."""
    path = decks / "01-basics.yaml"
    text = path.read_text(encoding="utf-8")
    if edit == "insert":
        text = text.replace("steps:\n", "steps:\n" + NEW_STEP, 1)
    else:
        start = text.index("steps:\n") + len("steps:\n")
        text = text[:start] + text[text.index("  - type: code", start) :]
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("edit", "moved_to"), [("insert", TRUE_FALSE + 1), ("remove", 3)])
async def test_continue_opens_the_step_left_after_the_author_moved_it(
    tmp_path: Path, edit: str, moved_to: int
):
    decks = tmp_path / "decks"
    shutil.copytree(DECKS, decks)
    app = make_app(tmp_path, learning=True, decks=[decks])
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=TRUE_FALSE)
        await pilot.press("t", "enter")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        saved = await app.learning_call(lambda learning: learning.position(LESSON))
        assert saved == TRUE_FALSE

    edit_deck(decks, edit)
    app = make_app(tmp_path, learning=True, decks=[decks])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.learning is not None and app.library is not None)
        home = app.screen
        assert isinstance(home, HomeScreen)
        await wait_for(pilot, lambda: LESSON in home.resume_steps)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.index == moved_to
        await wait_for(pilot, lambda: "True or false?" in screen_text(app))
