"""The learner picks a theme in the palette; it is kept for the next start, and the tutor's own
colours (highlighted code, the editor, the stats heatmap) stay readable under a light one."""

from __future__ import annotations

import builtins
import json
import keyword
from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from textual.color import Color as ThemeColor
from textual.command import CommandList, CommandPalette
from textual.widgets import Static, TextArea

from tests.tui.conftest import (
    colours,
    make_app,
    open_exercise,
    ready,
    take_in_palette,
    themed,
    wait_for,
)
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.theme_styles import DEFAULT_THEME, READABLE_LIGHT_EDITOR, THEMES, contrast
from tutor.widgets.choice_list import ChoiceList
from tutor.widgets.code_view import CodeView

LIGHT = "solarized-light"


def drawn_segments(widget: Any) -> list[Segment]:
    """The segments ``widget`` draws now, as Textual hands them to the terminal, less a code
    view's line numbers (a colour of their own: tests/tui/test_code_view_line_numbers.py)."""
    drawn = []
    for strip in widget.render_lines(widget.region.reset_offset):
        shown = [s for s in strip if s.text.strip() and s.style is not None]
        if shown and shown[0].text.strip().isdigit():  # the gutter's number
            shown = shown[1:]
        drawn += shown
    return drawn


def ratios(widget: Any) -> dict[str, float]:
    """Each drawn piece of text → the lowest contrast it is drawn with: its colour against its
    background, as the terminal gets them (measured as every contrast test does: ``colours``)."""
    seen: dict[str, float] = {}
    for segment in drawn_segments(widget):
        drawn = contrast(*colours(widget, segment))
        text = segment.text.strip()
        seen[text] = min(drawn, seen.get(text, drawn))
    return seen


async def choose_theme(pilot: Any, name: str) -> None:
    """Pick ``name`` as the learner does: the palette's theme command, then the theme."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: CommandPalette.is_open(app))
    await take_in_palette(pilot, "theme")
    await wait_for(pilot, lambda: app.screen.id == "--theme-palette")
    await take_in_palette(pilot, name)
    await wait_for(pilot, lambda: not CommandPalette.is_open(app))
    await pilot.pause()


async def open_code_step(pilot: Any) -> CodeView:
    app = pilot.app
    await ready(pilot)
    app.open_lesson("tui-basics", step=1)
    await wait_for(pilot, lambda: bool(app.screen.query(CodeView)))
    return app.screen.query_one(CodeView)


async def test_a_light_theme_from_the_palette_keeps_code_readable(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_code_step(pilot)
        await choose_theme(pilot, LIGHT)
        assert app.theme == LIGHT
        await pilot.pause()
        seen = ratios(view)
        # plain names (nn, Linear) are the text most of a snippet is: body text's 4.5:1
        assert seen["nn"] >= 4.5, seen
        assert min(seen.values()) >= 3.0, seen


async def test_code_already_drawn_follows_a_theme_change(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_code_step(pilot)
        assert ratios(view)["nn"] >= 4.5  # monokai on the dark default
        app.theme = "textual-light"
        await pilot.pause()
        seen = ratios(view)
        assert seen["nn"] >= 4.5, seen
        app.theme = DEFAULT_THEME  # and back: dark code on a dark theme again
        await pilot.pause()
        assert ratios(view)["nn"] >= 4.5


async def test_the_failing_line_stays_readable_on_a_light_theme(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_code_step(pilot)
        app.theme = LIGHT
        view.error_line = 2
        await pilot.pause()
        marked = view.render_lines(view.region.reset_offset)[1]
        code = [s for s in marked if s.text.strip() and s.style and s.style.bgcolor][2:]
        assert code, list(marked)  # the line's code, past its ❱ and number
        for segment in code:  # each on the marked line's own background
            measured = contrast(*colours(view, segment))
            assert measured >= 4.5, (segment, measured)


def plain_names(seen: dict[str, float]) -> dict[str, float]:
    """The pieces of code that are names of the learner's code: neither keywords nor builtins
    (highlighted in colour), nor punctuation."""
    return {
        text: ratio
        for text, ratio in seen.items()
        if text.isidentifier()
        and not keyword.iskeyword(text)
        and text not in dir(builtins)
        and text != "self"
    }


async def test_the_bug_hunt_code_stays_readable_on_a_light_theme(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.show_screen(BugHuntScreen(seed=0))
        await wait_for(pilot, lambda: isinstance(app.screen, BugHuntScreen))
        app.theme = "textual-light"
        await pilot.pause()
        names = plain_names(ratios(app.screen.query_one(ChoiceList)))
        assert names and min(names.values()) >= 4.5, names


async def test_the_exercise_editor_follows_the_theme(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = await open_exercise(pilot, "tui-basics.ex")
        editor = view.query_one(TextArea)
        assert editor.theme == "monokai"
        app.theme = LIGHT
        await pilot.pause()
        assert editor.theme == READABLE_LIGHT_EDITOR  # github_light, its line numbers readable


async def test_the_chosen_theme_is_there_after_a_restart(tmp_path: Path) -> None:
    first = make_app(tmp_path)
    assert first.theme == DEFAULT_THEME
    async with first.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await choose_theme(pilot, LIGHT)
        assert first.theme == LIGHT
    again = make_app(tmp_path)  # a new session on the same data folder
    assert again.theme == LIGHT
    async with again.run_test(size=(100, 30)) as pilot:
        view = await open_code_step(pilot)
        assert ratios(view)["nn"] >= 4.5


async def test_an_unknown_saved_theme_starts_in_the_default(tmp_path: Path) -> None:
    state = tmp_path / "data" / "ui-state.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({"theme": "no-such-theme", "last_lesson": "tui-basics"}))
    app = make_app(tmp_path)
    assert app.theme == DEFAULT_THEME
    async with app.run_test(size=(100, 30)) as pilot:
        await open_code_step(pilot)
        assert app.theme == DEFAULT_THEME


@pytest.mark.parametrize("theme", THEMES)
async def test_the_heatmap_stays_visible_on_every_theme(tmp_path: Path, theme: str) -> None:
    """The faintest levels read as a graphic's 3:1: on the dark themes a day without reviews
    (grey23) read 1.1-1.5:1 and the faintest green 2.1-3.6:1, the legend's, dimmed, less."""
    app = make_app(tmp_path, learning=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await themed(pilot, theme)
        app.action_stats()
        heat = "#stats-heatmap"
        await wait_for(
            pilot,
            lambda: (
                "■" in str(app.screen.query(heat).first(Static).render())
                if app.screen.query(heat)
                else False
            ),
        )
        seen = ratios(app.screen.query_one(heat, Static))
        # every level of the legend, the faintest green too, as a graphic's 3:1
        assert all(seen[glyph] >= 3.0 for glyph in "·▪■"), seen


def test_textual_theme_picks_a_theme_for_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEXTUAL_THEME", "nord")
    assert make_app(tmp_path).theme == "nord"
    monkeypatch.setenv("TEXTUAL_THEME", "no-such-theme")  # passed over, not a crash
    assert make_app(tmp_path).theme == DEFAULT_THEME


async def test_a_runs_stderr_and_trace_arrows_follow_the_theme(tmp_path: Path) -> None:
    """stderr was always yellow (1.96:1 on textual-light), the trace's arrows cyan/magenta."""
    from tests.tui.conftest import FakeResult, FakeSandbox, open_with_key, sandbox_settled
    from tutor.screens.sandbox_screen import SandboxScreen
    from tutor.widgets.output_view import OutputView
    from tutor.widgets.trace_view import TraceView

    event = {"phase": "forward", "module": "0", "type": "Linear", "shape": [2, 3]}
    result = FakeResult(stderr="careful: slow\n", trace=[event])
    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: result))
    async with app.run_test(size=(100, 30)) as pilot:
        await themed(pilot, "textual-light")
        screen = await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press("ctrl+r")
        await sandbox_settled(pilot)
        await wait_for(pilot, lambda: bool(screen.query(TraceView)))
        await pilot.pause()
        stderr = screen.query_one(".run-stdout", OutputView)
        assert ratios(stderr)["careful: slow"] >= 4.5
        table = ratios(screen.query_one(TraceView).query_one("DataTable"))
        assert table["→ fwd"] >= 4.5, table
        app.theme = DEFAULT_THEME  # the finished run is drawn again in the dark colours
        await wait_for(pilot, lambda: bool(screen.query(TraceView)))
        await pilot.pause()
        assert ratios(screen.query_one(".run-stdout", OutputView))["careful: slow"] >= 4.5


async def test_a_trace_on_screen_redraws_its_arrows_in_a_new_theme(tmp_path: Path) -> None:
    """A trace drawn in the dark theme kept cyan and magenta arrows after a light one was
    chosen (its colours were fixed when it was first drawn)."""
    from textual.widgets import DataTable

    from tests.tui.conftest import TRACE
    from tutor.theme_styles import DARK, LIGHT
    from tutor.widgets.trace_view import TraceView

    def arrows(view: TraceView) -> set[str]:
        table = view.query_one(DataTable)
        cells = (cell for row in range(table.row_count) for cell in table.get_row_at(row))
        kinds = {DARK.forward, DARK.backward, LIGHT.forward, LIGHT.backward}
        return {str(cell.style) for cell in cells if getattr(cell, "style", None) in kinds}

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        events = [dict(TRACE[0], phase="forward"), dict(TRACE[0], phase="backward")]
        view = TraceView(events, lang="en")
        await app.screen.mount(view)
        await pilot.pause()
        assert arrows(view) == {DARK.forward, DARK.backward}
        app.choose_theme("textual-light")
        await pilot.pause()
        assert arrows(view) == {LIGHT.forward, LIGHT.backward}


async def test_a_run_going_as_the_theme_changes_ends_in_the_new_themes_colours(
    tmp_path: Path,
) -> None:
    """A run that ended after a light theme was chosen drew its stderr in the dark theme's
    yellow (its streams were made as it began)."""
    import asyncio

    from tests.tui.conftest import FakeResult, FakeSandbox, open_with_key, sandbox_settled
    from tutor.screens.sandbox_screen import SandboxScreen
    from tutor.widgets.output_view import OutputView

    go = asyncio.Event()

    async def later() -> FakeResult:
        await go.wait()
        return FakeResult(stderr="careful: slow\n")

    app = make_app(tmp_path, sandbox=FakeSandbox(lambda code, **_: later()))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = await open_with_key(pilot, "s", SandboxScreen)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.running)
        app.theme = "textual-light"
        await pilot.pause()
        go.set()
        await sandbox_settled(pilot)
        assert ratios(screen.query_one(".run-stdout", OutputView))["careful: slow"] >= 4.5


@pytest.mark.parametrize("theme", ["textual-light", "solarized-light", "catppuccin-latte"])
async def test_titles_hints_and_values_read_on_a_light_theme(tmp_path: Path, theme: str) -> None:
    """The tutor writes titles in the theme's accent, a hint in its warning colour, a run's
    value in its success colour: textual-light's orange accent measured 1.49:1."""
    from tutor.theme_styles import READABLE

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await themed(pilot, theme)
        variables = app.theme_variables
        for name in ("accent", "warning", "success", "error", "primary"):
            for ground in ("background", "surface", "panel"):
                colour, behind = (ThemeColor.parse(variables[v]) for v in (name, ground))
                measured = contrast(colour, behind)
                assert measured >= READABLE, (name, ground, measured)


async def test_help_draws_its_keys_again_in_a_new_theme(tmp_path: Path) -> None:
    """Help drew its keys in the accent of the theme it opened in, kept after a change."""
    from tutor.screens.help import HelpScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = app.screen.query_one("#help-keys", Static)
        app.theme = "textual-light"
        await pilot.pause()
        accent = app.theme_variables["accent"].lower()
        styles = {str(column.style) for column in keys.content.columns}  # type: ignore[union-attr]
        assert any(accent in style.lower() for style in styles), (accent, styles)


@pytest.mark.parametrize(("lang", "word", "found"), [("en", "dark", 4), ("zh", "浅色", 3)])
async def test_a_theme_is_found_by_dark_or_light(tmp_path: Path, lang: str, word: str, found: int):
    """Each theme is said to be dark or light; searching those words found none (or two)."""
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.action_choose_theme()
        await wait_for(pilot, lambda: app.screen.id == "--theme-palette")
        await pilot.press(*word)

        def hits() -> int:
            return app.screen.query_one(CommandList).option_count

        await wait_for(pilot, lambda: hits() == found)
