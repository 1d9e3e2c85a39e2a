"""A deck's words are text, never markup: QA found a lesson title holding ``[/]`` (valid YAML, a
valid deck) crashed the app on Stats and in the palette, where Rich and Textual read strings as
markup, and a balanced ``[red]x[/red]`` was drawn red with its brackets gone."""

from __future__ import annotations

import json
from pathlib import Path

from textual.command import CommandList, CommandPalette

from tutor.screens.stats import StatsScreen

from .conftest import drawn, make_app, plain, ready, wait_for

SIZE = (200, 50)
TITLE = "Shapes [batch, seq] [red]x[/red] [/] end"
SUMMARY = "A summary with [b]brackets[/b], [@click=app.quit]a click[/] and \\[y = Wx\\] C:\\"

DECK = f"""\
format: 1
kind: lesson
id: brackets
title: {TITLE!r}
summary: {json.dumps(SUMMARY)}  # (JSON is YAML: one backslash each)
steps:
  - type: text
    body: "A step."
"""


def bracket_deck(tmp_path: Path) -> Path:
    folder = tmp_path / "bracket-deck"
    folder.mkdir()
    (folder / "brackets.yaml").write_text(DECK, encoding="utf-8")
    return folder


async def test_stats_draws_a_lesson_title_as_written(tmp_path):
    app = make_app(tmp_path, decks=[bracket_deck(tmp_path)], learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        await wait_for(pilot, lambda: TITLE in drawn(app), tries=800)
        assert app.is_running


async def test_the_palette_shows_a_lesson_title_and_summary_as_written(tmp_path):
    app = make_app(tmp_path, decks=[bracket_deck(tmp_path)], learning=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: CommandPalette.is_open(app))
        options = app.screen.query_one(CommandList)
        shown = lambda: [plain(option.prompt) for option in options.options]  # noqa: E731
        await wait_for(pilot, lambda: any(TITLE in said for said in shown()), tries=800)
        assert any(SUMMARY in said for said in shown())
        await pilot.press(*"Shapes")  # a search: its hits are highlighted, still as written
        await wait_for(pilot, lambda: any("red" in said for said in shown()), tries=800)
        hits = [said for said in shown() if "Shapes" in said]
        assert hits and TITLE in hits[0] and SUMMARY in hits[0], hits
        assert app.is_running


STEPS_DECK = f"""\
format: 1
kind: lesson
id: brackets-steps
title: "First [/] lesson"
summary: "Steps titled with brackets."
steps:
  - type: text
    title: {TITLE!r}
    body: "A step."
  - type: code
    id: brackets-steps.code
    title: {TITLE!r}
    code: "1 + 1"
  - type: exercise
    id: brackets-steps.ex
    title: {TITLE!r}
    prompt: "Set x."
    starter: "x = 0"
    check: |
      assert x == 1, "x is not 1"
    solution: "x = 1"
  - type: recap
    title: {TITLE!r}
    points: ["One point."]
"""
NEXT_DECK = """\
format: 1
kind: lesson
id: brackets-next
title: "Next [/] lesson [b]bold[/b]"
summary: "Comes after."
prerequisites: [brackets-steps]
steps:
  - type: text
    body: "More."
"""


def steps_decks(tmp_path: Path) -> Path:
    folder = tmp_path / "bracket-steps"
    folder.mkdir()
    (folder / "a.yaml").write_text(STEPS_DECK, encoding="utf-8")
    (folder / "b.yaml").write_text(NEXT_DECK, encoding="utf-8")
    return folder


def notes(app) -> list[str]:
    return [str(note.message) for note in app._notifications]


async def test_every_step_title_and_the_next_up_note_are_shown_as_written(tmp_path):
    """Step titles were f-strings in a Static (markup): ``[/]`` crashed the lesson as it opened,
    for text, code, exercise and recap steps alike; finishing a lesson toasts the next lesson's
    title, which crashed the app the same way. Notifications are on, as in the app."""
    from tutor.screens.lesson import LessonScreen

    app = make_app(tmp_path, decks=[steps_decks(tmp_path)], learning=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.open_lesson("brackets-steps")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        for index in range(4):
            await wait_for(pilot, lambda i=index: lesson.index == i and TITLE in drawn(app))
            await pilot.press("ctrl+pagedown")
        await wait_for(pilot, lambda: any("Next [/] lesson [b]bold[/b]" in n for n in notes(app)))
        await pilot.pause(0.2)  # the note is drawn
        assert app.is_running


async def test_a_mistyped_lesson_id_is_said_as_written(tmp_path):
    app = make_app(tmp_path, learning=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.open_lesson("no[/]such")
        await wait_for(pilot, lambda: any("no[/]such" in n for n in notes(app)))
        await pilot.pause(0.2)
        assert app.is_running


async def test_a_sandbox_file_that_cannot_be_read_is_said_as_written(tmp_path):
    """``nn-tutor sandbox 'x[/]y'`` where that is a folder: the note named it through markup
    (a crash) and gave the OS's English inside the Chinese UI."""
    from tutor.screens.sandbox_screen import SandboxScreen

    folder = tmp_path / "x[/]y"  # (a folder "]y" in a folder "x[")
    folder.mkdir(parents=True)
    app = make_app(tmp_path, lang="zh")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await app.push_screen(SandboxScreen(file=str(folder)))
        await wait_for(pilot, lambda: any(str(folder) in n for n in notes(app)))
        said = next(n for n in notes(app) if str(folder) in n)
        assert "Errno" not in said and "directory" not in said, said
        await pilot.pause(0.2)
        assert app.is_running
