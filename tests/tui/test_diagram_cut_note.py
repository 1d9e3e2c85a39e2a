"""A diagram wider than the terminal is cut at its edge: before Tab reaches it (and the nav hint
says ←/→ scroll it) nothing told the learner there was more of it. The nav hint says so, only
while one is cut (lesson 01's first step at 60 columns: its module diagram, which fits at 80)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tutor.app import LESSON_WIDTH
from tutor.widgets.prose import WideFence

from .conftest import make_app, text_of, wait_for
from .test_tui_review_fixes_steps import open_lesson

LESSONS = Path(__file__).resolve().parents[2] / "lessons"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("size", "cut"), [((60, 24), True), ((LESSON_WIDTH, 30), False)])
async def test_the_nav_hint_says_a_diagram_is_cut(tmp_path, lang, size, cut):
    app = make_app(tmp_path, lang, decks=[LESSONS])
    async with app.run_test(size=size) as pilot:
        screen = await open_lesson(pilot, "what-is-nn", 0)
        await wait_for(pilot, lambda: bool(screen.query(WideFence)))
        await pilot.pause()
        hint = screen.query_one("#nav-hint", Static)
        said = screen.t("lesson.diagram_cut")
        assert (said in text_of(hint)) is cut, text_of(hint)
        if cut:  # as it says: tab to it, and the hint names its ←/→
            await pilot.press("tab")
            await wait_for(pilot, lambda: isinstance(app.focused, WideFence))
            assert text_of(hint) == screen.t("lesson.nav_diagram"), text_of(hint)
