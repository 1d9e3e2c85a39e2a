"""^o ("Still to pass") back to a quiz answered earlier in the lesson, and no pass: it opened at
its question, its verdict below the fold, and a right answer given after the answer was shown
still cheered "🎉 Right! That's the spirit" there, the note on why it stays to pass further down.
The verdict comes into view, and a right answer that is no pass is not cheered: why it is still
to pass follows "Right!" at once (right away as well as later)."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.i18n import tr

from .conftest import drawn, unwrapped, wait_for
from .test_tui_flows import open_basics

SINGLE = 2  # the fixture lesson's single-choice quiz: option 1 wrong, 2 right
SIZE = (80, 16)  # the verdict opens below the fold


def flat(app: Any) -> str:
    """What the screen draws, its rows' wraps undone (a note breaks across two rows, a Chinese
    one inside a word); a phrase to find in it goes through :func:`unwrapped` too."""
    rows = (row.strip(" ▌█") for row in drawn(app).splitlines())
    return unwrapped("\n".join(rows), app.lang)


async def answered(pilot: Any, *keys: str) -> None:
    await pilot.press(*keys)
    await wait_for(pilot, lambda: pilot.app.screen.step_view.graded)


async def back_by_still_to_pass(pilot: Any) -> None:
    """To the first step, then ^o: the first question still to pass after it is the quiz."""
    screen = pilot.app.screen
    await pilot.press("left", "left")
    await wait_for(pilot, lambda: screen.index == 0)
    await pilot.press("ctrl+o")
    await wait_for(pilot, lambda: screen.index == SINGLE and screen.step_view.is_mounted)
    for _ in range(4):  # laid out, focused, scrolled
        await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_right_answer_after_the_answer_was_shown_reads_as_no_pass_on_return(
    app_factory, lang
):
    app = app_factory(lang, learning=True)
    why = tr("quiz.right_after_shown", lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_basics(pilot, step=SINGLE)
        await answered(pilot, "1", "enter")  # wrong: the feedback marks the right option
        await pilot.press("enter")  # Try again
        await answered(pilot, "2", "enter")  # right, with the answer shown: no pass
        assert "🎉" not in flat(app)  # not cheered right away either
        await back_by_still_to_pass(pilot)
        shown = flat(app)
        assert unwrapped(f"🔁 {tr('quiz.right', lang)}", lang) in shown, shown
        assert unwrapped(why[:12], lang) in shown, shown  # why it is still to pass, in view
        assert "🎉" not in shown, shown


async def test_a_wrong_answer_is_in_view_with_try_again_on_return(app_factory):
    app = app_factory(learning=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_basics(pilot, step=SINGLE)
        await answered(pilot, "1", "enter")
        await back_by_still_to_pass(pilot)
        shown = flat(app)
        assert "Not quite." in shown and "Try again" in shown, shown
        assert app.focused is screen.query_one("#retry")
