"""Home's Continue panel: the lesson's title on one row, cut with "…" as the course map's titles
are, where read whole it would make the side panel beside the course map overflow its height.
The panel is 32 columns at any width, so a long title wraps to three rows there however wide the
terminal (at 100×24 and 140×24, beside the deck problems, a scrollbar showed, narrowing the Games
panel, and its last row was pushed out of view). Where the side panel has the rows for it, at any
width, the title reads whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.containers import Vertical
from textual.pilot import Pilot
from textual.widgets import Static

from tutor.app import TutorApp
from tutor.i18n import localize, tr
from tutor.ui_state import UiState

from .conftest import FakeLearning, make_app, ready, wait_for
from .test_home_titles_one_row_when_narrow import reads_whole

ROOT = Path(__file__).resolve().parents[2]
GAMES_ROWS = 6  # its border, heading, and a line for each game and for F2
RESUME_STEP = 2  # past the first step: Continue keeps the lesson (no groundwork before it)


def continue_rows(app: TutorApp) -> list[str]:
    """The Continue panel's rows as drawn, inside its border: heading, title, step line."""
    box = app.screen.query_one("#continue-box", Static)
    rows = [strip.text for strip in box.render_lines(box.region.reset_offset)]
    return [row.strip("│ ") for row in rows[1:-1]]


async def continuing_widest(pilot: Pilot, lang: str) -> tuple[str, str]:
    """Once the decks are in, make the lesson whose title in ``lang`` is widest the one the
    learner continues, part-way through; its title and its step line."""
    app = pilot.app
    await ready(pilot)
    lesson = max(app.library.lessons, key=lambda x: cell_len(localize(x.title, lang)))
    app.learning.positions[lesson.id] = RESUME_STEP
    UiState(app.config.data_dir).remember("last_lesson", lesson.id)
    app.screen.load_progress()
    step_line = tr("home.step_of", lang, step=RESUME_STEP + 1, total=len(lesson.steps))
    await wait_for(pilot, lambda: step_line in "".join(continue_rows(app)))
    return localize(lesson.title, lang), step_line


def side_panel_fits(app: TutorApp) -> bool:
    """Whether the side panel shows all its panels without scrolling: no scrollbar, and the
    Games panel, the last, in view to its bottom border, as wide as the panel's column (a
    scrollbar took 3 columns from it) and a row for each of its lines."""
    side = app.screen.query_one("#side", Vertical)
    games = app.screen.query_one("#games", Static)
    return (
        side.max_scroll_y == 0
        and not side.show_vertical_scrollbar
        and games.region.bottom <= side.region.bottom
        and games.outer_size.width == side.outer_size.width - side.styles.gutter.width
        and games.outer_size.height == GAMES_ROWS
    )


def side_rows(app: TutorApp) -> int:
    """The rows the side panel's panels take, one under the other."""
    side = app.screen.query_one("#side", Vertical)
    return sum(panel.outer_size.height for panel in side.displayed_children)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (100, 24), (140, 24)])
async def test_at_24_rows_the_side_panel_fits(
    tmp_path: Path, lang: str, size: tuple[int, int]
) -> None:
    """However wide the terminal, the side panel keeps its 32 columns, so the widest title
    wraps as at 80 columns: at 24 rows, beside the deck problems (these decks name cards not
    loaded), the panels still fit, the title whole or cut to one row."""
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"], learning=FakeLearning())
    async with app.run_test(size=size) as pilot:
        title, step_line = await continuing_widest(pilot, lang)
        # the panel the side must make room for: without it the panels fit with any title
        assert app.screen.query_one("#problems").display
        await wait_for(pilot, lambda: side_panel_fits(app))
        rows = continue_rows(app)
        cut = len(rows) == 3 and rows[1].endswith("…")
        assert cut or reads_whole(rows[1:], title), rows
        assert step_line in rows[-1], rows


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 140])
async def test_the_title_reads_whole_where_the_side_panel_has_the_rows(
    tmp_path: Path, lang: str, width: int
) -> None:
    """At any width: with exactly the rows the panels take with the title whole, it reads
    whole; one row fewer, it is cut to one row with "…"; given the row back, whole again."""
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"], learning=FakeLearning())
    async with app.run_test(size=(width, 40)) as pilot:
        title, step_line = await continuing_widest(pilot, lang)
        whole = continue_rows(app)
        assert reads_whole(whole[1:], title) and not any("…" in row for row in whole), whole
        assert len(whole) > 3, whole  # the widest title does wrap
        side = app.screen.query_one("#side", Vertical)
        chrome = 40 - side.outer_size.height  # the header and the footer
        fitting = side_rows(app) + chrome  # the fewest terminal rows that fit it whole

        await pilot.resize_terminal(width, fitting)
        await wait_for(pilot, lambda: side.outer_size.height == fitting - chrome)
        assert continue_rows(app) == whole and side_panel_fits(app), continue_rows(app)

        await pilot.resize_terminal(width, fitting - 1)
        await wait_for(pilot, lambda: len(continue_rows(app)) == 3)
        rows = continue_rows(app)
        assert rows[1].startswith("▶") and rows[1].endswith("…"), rows
        assert "".join(rows[1][1:-1].split()) in "".join(title.split()), (rows, title)
        assert step_line in rows[2] and side_panel_fits(app), rows

        await pilot.resize_terminal(width, fitting)
        await wait_for(pilot, lambda: continue_rows(app) == whole)
        assert side_panel_fits(app)
