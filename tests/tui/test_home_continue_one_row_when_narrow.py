"""Home's Continue panel below 100 columns: the lesson's title on one row, cut with "…" as the
course map's titles are (at 80×24 a long one wrapped to two or three rows, taken from the course
list beside it). At 100 columns and wider it reads whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import Static

from tutor.app import TutorApp
from tutor.i18n import localize, tr
from tutor.ui_state import UiState

from .conftest import FakeLearning, make_app, ready, wait_for
from .test_home_titles_one_row_when_narrow import reads_whole

ROOT = Path(__file__).resolve().parents[2]
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


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_at_80_columns_the_continue_title_takes_one_row(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"], learning=FakeLearning())
    async with app.run_test(size=(80, 24)) as pilot:
        title, step_line = await continuing_widest(pilot, lang)
        rows = continue_rows(app)
        assert len(rows) == 3, rows  # heading, the title cut to one row, the step line
        assert rows[1].startswith("▶") and rows[1].endswith("…"), rows
        assert "".join(rows[1][1:-1].split()) in "".join(title.split()), (rows, title)
        assert step_line in rows[2], rows


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_from_100_columns_on_the_continue_title_reads_whole(
    tmp_path: Path, lang: str
) -> None:
    """Wide enough, the title wraps whole; narrowed below 100 columns it is cut, and widened
    again it reads whole as before."""
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"], learning=FakeLearning())
    async with app.run_test(size=(100, 30)) as pilot:
        title, _step_line = await continuing_widest(pilot, lang)
        whole = continue_rows(app)
        assert reads_whole(whole[1:], title) and not any("…" in row for row in whole), whole
        assert len(whole) > 3, whole  # the widest title does wrap there
        await pilot.resize_terminal(99, 30)
        await wait_for(pilot, lambda: len(continue_rows(app)) == 3)
        assert continue_rows(app)[1].endswith("…"), continue_rows(app)
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: continue_rows(app) == whole)
