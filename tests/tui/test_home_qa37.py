"""The course map after QA pass 37.

* after a resize the list kept its old scroll offset: lessons 2–4 showed while lesson 11 was
  highlighted, described below and opened by Enter;
* a new learner who only looked in on a lesson that builds on another was sent back into it by
  Continue, though the lesson it builds on was untouched;
* the prerequisite line said "🔒 take first" in English (an order, and a lock) and "建议先学"
  (suggested first) in Chinese; Help never said what the map's marks mean.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from tutor.app import TutorApp
from tutor.i18n import localize
from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen

from .conftest import DECKS, drawn, make_app, ready, screen_text, wait_for

ROOT = Path(__file__).resolve().parents[2]


def lessons_drawn(app: TutorApp) -> str:
    """The rows of the course map's list as drawn, squeezed to single spaces."""
    region = app.screen.query_one("#lessons", OptionList).region
    rows = drawn(app).splitlines()
    return " ".join(
        " ".join(row[region.x : region.right].strip("│ ").split())
        for row in rows[region.y : region.bottom]
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_resize_keeps_the_highlighted_lesson_in_view(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        lessons = app.screen.query_one("#lessons", OptionList)
        await pilot.press("end")
        await wait_for(pilot, lambda: lessons.highlighted == lessons.option_count - 1)
        last = app.library.lessons[-1]
        title = localize(last.title, lang)
        for size in [(80, 24), (60, 20)]:
            await pilot.resize_terminal(*size)
            await pilot.pause(0.3)
            assert lessons.highlighted == lessons.option_count - 1
            # its number and the start of its title are on screen, not lessons 2–4
            shown = lessons_drawn(app)
            assert f"{len(app.library.lessons) - 1} 🔒 {title[:6]}" in shown, (size, shown)


LONG = """\
format: 1
kind: lesson
id: tui-long
title: {en: "Third: three steps", zh: "第三课：三步"}
summary: {en: "Builds on the basics.", zh: "以基础课为基础。"}
prerequisites: [tui-basics]
steps:
  - type: text
    body: {en: "One.", zh: "一。"}
  - type: text
    body: {en: "Two.", zh: "二。"}
  - type: text
    body: {en: "Three.", zh: "三。"}
"""


def long_app(tmp_path: Path, lang: str) -> TutorApp:
    """The fixture course and a third lesson, three steps long, that builds on the basics (the
    fixture's second lesson is finished by looking at both its steps), for a new learner."""
    decks = tmp_path / "decks"
    shutil.copytree(DECKS, decks)
    (decks / "03-long.yaml").write_text(LONG, encoding="utf-8")
    return make_app(tmp_path, lang, decks=[decks], learning=True)


async def open_long(pilot: Pilot[None], app: TutorApp) -> LessonScreen:
    """From home on a new learner's data: open the third lesson from the map (a toast says it
    builds on the basics), at its first step."""
    await ready(pilot)
    await wait_for(pilot, lambda: app.learning is not None)
    await pilot.press("down", "down", "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    assert isinstance(app.screen, LessonScreen) and app.screen.lesson_id == "tui-long"
    return app.screen


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_continue_after_a_peek_goes_to_what_the_lesson_builds_on(
    tmp_path: Path, lang: str
) -> None:
    app = long_app(tmp_path, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_long(pilot, app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        # the peek is counted honestly: opening a lesson shows (and marks seen) its first step
        await wait_for(pilot, lambda: getattr(home.progress["tui-long"], "seen_steps", 0) == 1)
        basics = app.library.lesson("tui-basics")
        target = home.continue_target()
        assert target is not None and (target[0].id, target[1]) == ("tui-basics", 0)
        assert localize(basics.title, lang) in screen_text(app)  # the Continue box names it
        assert "1/3" in screen_text(app)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.lesson_id == "tui-basics"


async def test_continue_keeps_a_lesson_worked_on_past_its_first_step(tmp_path: Path) -> None:
    """Lessons are never locked: one the learner went on in stays their choice."""
    app = long_app(tmp_path, "en")
    async with app.run_test(size=(120, 40)) as pilot:
        lesson = await open_long(pilot, app)
        await pilot.press("right")
        await wait_for(pilot, lambda: lesson.index == 1)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        await wait_for(pilot, lambda: home.resume_steps.get("tui-long") == 1)
        target = home.continue_target()
        assert target is not None and (target[0].id, target[1]) == ("tui-long", 1)


@pytest.mark.parametrize(
    ("lang", "line"),
    [("en", "suggested first: “Basics"), ("zh", "建议先学：“基础")],
)
async def test_the_prerequisite_line_is_a_suggestion_in_both_languages(
    tmp_path: Path, lang: str, line: str
) -> None:
    app = make_app(tmp_path, lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        text = screen_text(app)
        assert line in text
        assert "🔒 " + line not in text and "take first" not in text


@pytest.mark.parametrize(
    ("lang", "meanings"),
    [
        ("en", ["✅ finished", "▶ started", "○ not started", "🔒 builds on a lesson"]),
        ("zh", ["✅ 已学完", "▶ 已开始", "○ 未开始", "🔒 它所基于的课程还没学完"]),
    ],
)
async def test_help_over_the_map_says_what_each_mark_means(
    tmp_path: Path, lang: str, meanings: list[str]
) -> None:
    app = make_app(tmp_path, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        notes = " ".join(screen_text(app).split())
        for meaning in meanings:
            assert meaning in notes
        assert "opens all the same" in notes or "照样可以打开" in notes  # never locked
