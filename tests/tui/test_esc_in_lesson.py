"""esc in a lesson. While the shown step's run goes, esc cancels it wherever the focus is in the
lesson: QA found a click on the step's text (which gives the focus to the scroll around the
step) made esc leave the lesson instead, under "(esc cancels)". The footer shows the one esc
that acts, and idle it says what esc does: leave the lesson, back to the screen it was opened
from, which QA found labelled "Home"."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll

from tutor.i18n import tr
from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.fitting_footer import FOOTER_KEY, FittingFooter
from tutor.widgets.run_panel import RunPanel, run_going

from .conftest import from_palette, make_app, ready, screen_text, text_of, wait_for

SIZE = (100, 40)

RUNS_DECK = """\
format: 1
kind: lesson
id: esc-runs
title: {en: "Runs that go on", zh: "一直运行的代码"}
summary: {en: "Each step runs a loop until cancelled.", zh: "每一步都运行到被取消为止。"}
minutes: 1
steps:
  - type: code
    id: esc-runs.code
    title: {en: "A long run", zh: "一次很长的运行"}
    device: cpu
    code: &loop |
      import time
      while True:
          time.sleep(0.05)
  - type: quiz
    kind: predict
    id: esc-runs.predict
    question: {en: "What does this print?", zh: "这段代码打印什么？"}
    code: *loop
    expect: "1"
    match: exact
    why: {en: "It never ends.", zh: "它不会结束。"}
  - type: exercise
    id: esc-runs.exercise
    title: {en: "A long check", zh: "一次很长的检查"}
    prompt: {en: "Make it end.", zh: "让它结束。"}
    starter: *loop
    check: |
      assert True, {"en": "never fails", "zh": "不会失败"}
    solution: |
      pass
    hints: []
"""
"""A lesson whose code step, predict quiz and exercise each run a loop in the real sandbox,
going until esc cancels it."""

START_RUN: dict[str, tuple[int, tuple[str, ...]]] = {
    "code": (0, ("r",)),
    "predict": (1, ("1", "enter")),
    "exercise": (2, ("ctrl+r",)),  # the editor has the focus: the starter code is checked
}
"""Per step kind: the step's index in RUNS_DECK, and the keys that start its run."""

FIRST_LESSON = {"en": "Lesson 0", "zh": "第 0 课"}  # the fixture's basics, in the palette


def runs_deck(tmp_path: Path) -> Path:
    folder = tmp_path / "runs-deck"
    folder.mkdir()
    (folder / "esc-runs.yaml").write_text(RUNS_DECK, encoding="utf-8")
    return folder


def footer_esc(app: Any) -> list[str]:
    """What the footer draws for esc: each key shown as "esc", with what it says it does."""
    footer = app.screen.query_one(FittingFooter)
    return [
        f"{key.key_display} {key.description}"
        for key in footer.query_children(FOOTER_KEY)
        if key.key_display == "esc" and key.display
    ]


async def footer_esc_settled(pilot: Any, expected: list[str]) -> list[str]:
    """:func:`footer_esc` once the footer shows ``expected`` (it is redrawn a moment after the
    keys change), or as it stands when it never does, for the assertion to show."""
    with contextlib.suppress(AssertionError):
        await wait_for(pilot, lambda: footer_esc(pilot.app) == expected, tries=100)
    return footer_esc(pilot.app)


@pytest.mark.parametrize("kind", list(START_RUN))
async def test_esc_cancels_the_steps_run_after_a_click_on_its_text(tmp_path, kind):
    index, keys = START_RUN[kind]
    app = make_app(tmp_path, sandbox="real", decks=[runs_deck(tmp_path)])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_lesson("esc-runs", step=index)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        await wait_for(pilot, lambda: lesson.step_view is not None and lesson.index == index)
        view = lesson.step_view
        status = view.query_one(RunPanel).query_one(".run-status-text")
        await pilot.pause(0.1)  # the step's focus settles (the editor, the answer box)
        await pilot.press(*keys)
        running = tr("run.running", "en", device="CPU")
        # the sandbox starts (torch is imported), then runs the loop
        await wait_for(pilot, lambda: text_of(status) == running, tries=3000)
        # the step's focus as the run began (Run, Submit, the editor): one esc, the one that acts
        assert await footer_esc_settled(pilot, ["esc Cancel run"]) == ["esc Cancel run"]

        await pilot.click(".step-title")
        await pilot.pause()
        assert app.focused is lesson.query_one("#step-scroll", VerticalScroll)
        assert await footer_esc_settled(pilot, ["esc Cancel run"]) == ["esc Cancel run"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: not run_going(view), tries=1000)
        assert app.screen is lesson and lesson.step_view is view  # esc only cancelled
        assert tr("run.status.cancelled", "en") in screen_text(app)

        idle = ["esc Close"]
        assert await footer_esc_settled(pilot, idle) == idle
        await pilot.press("escape")  # idle: esc leaves the lesson, as before
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_lesson_opened_over_another_screen_says_esc_goes_back_there(tmp_path, lang):
    app = make_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SandboxScreen))
        sandbox = app.screen
        await from_palette(pilot, FIRST_LESSON[lang])
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen

        says = f"esc {tr('k.close', lang)}"
        shown = await footer_esc_settled(pilot, [says])
        home = tr("screen.home", lang)
        assert shown == [says] and home not in says  # esc does not go home from here
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = dict((description, keys) for keys, description in app.screen.key_rows())
        assert rows[tr("k.close", lang)] == "esc q" and home not in rows
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is lesson)

        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
        assert app.screen is sandbox  # back where the lesson was opened from
