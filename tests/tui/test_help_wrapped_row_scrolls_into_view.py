"""Help's key table keeps a description that wraps whole: at 80×24 in zh, opened over lesson
07's exercise (esc, then ?), the editor's enter row wraps ("…（冒号后多缩进一" / "级）") and its
second row is below the fold of Help's scrolling box, under the docked Close row's blank top
row (QA read that as the rest being lost). Scrolled down, it is there."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.i18n import tr
from tutor.screens.help import HelpScreen

from .conftest import make_app, wait_for
from .test_tui_review_fixes_steps import open_lesson

ROOT = Path(__file__).resolve().parents[2]
LESSON, EXERCISE = "containers", 29
"""Lesson 07 and its exercise step, where QA opened Help."""


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_wrapped_description_is_whole_once_scrolled_to(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson(pilot, LESSON, EXERCISE)
        await pilot.press("escape")  # the focus off the editor, as QA had it
        await pilot.pause()
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        keys = app.screen.query_one("#help-keys", Static)
        lines = [strip.text.rstrip() for strip in keys.render_lines(keys.region.reset_offset)]
        start = next(i for i, line in enumerate(lines) if line.startswith("enter "))
        indent = lines[start].index(lines[start].split()[1])  # where the descriptions begin
        wrapped = [lines[start]]
        for line in lines[start + 1 :]:  # the rows the description goes on in, keys blank
            if not line or line[:indent].strip():
                break
            wrapped.append(line)
        assert len(wrapped) > 1, wrapped  # (the case QA met: a description on two rows)
        said = "".join(line[indent:].strip() for line in wrapped)
        assert said.replace(" ", "") == tr("help.editor.enter", lang).replace(" ", ""), wrapped
        app.screen.query_one("#help-box", VerticalScroll).scroll_end(animate=False)
        await pilot.pause()
        drawn = [strip.text for strip in app.screen._compositor.render_strips()]
        for line in wrapped:
            assert any(line.strip() in row for row in drawn), (line, drawn)
