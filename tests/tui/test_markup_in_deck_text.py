"""A deck's words are text, never markup: QA found a lesson title holding ``[/]`` (valid YAML, a
valid deck) crashed the app on Stats and in the palette, where Rich and Textual read strings as
markup, and a balanced ``[red]x[/red]`` was drawn red with its brackets gone."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette

from tutor.screens.stats import StatsScreen

from .conftest import drawn, make_app, plain, ready, wait_for

SIZE = (200, 50)
TITLE = "Shapes [batch, seq] [red]x[/red] [/] end"
SUMMARY = "A summary with [b]brackets[/b] and [@click=app.quit]a click[/]"

DECK = f"""\
format: 1
kind: lesson
id: brackets
title: {TITLE!r}
summary: {SUMMARY!r}
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
