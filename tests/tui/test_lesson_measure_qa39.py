"""QA 39: on a wide terminal a lesson reads at a comfortable measure, its column centred: at 200
columns the prose and a quiz's feedback ran ~180 characters a line. Up to 120 columns the step
keeps the whole width, as before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from tutor.screens.lesson import LessonScreen
from tutor.widgets.step_base import StepView

from .conftest import drawn, make_app, ready, wait_for

# The widest a step draws a line (its text, a feedback bar): the column a 120-column terminal
# gives a step.
MEASURE = 114


async def open_step(pilot: Any, step: int) -> StepView:
    await ready(pilot)
    pilot.app.open_lesson("tui-basics", step=step)
    await wait_for(
        pilot,
        lambda: isinstance(pilot.app.screen, LessonScreen) and pilot.app.screen.query(StepView),
    )
    return pilot.app.screen.query_one(StepView)


def widest_line(app: Any, view: StepView) -> int:
    """Cells from the first to the last character drawn on the step's widest row."""
    rows = drawn(app).splitlines()[view.region.y : view.region.bottom]
    return max(cell_len(row.strip()) for row in rows)


def assert_centred(app: Any, view: StepView) -> None:
    scroll = app.screen.query_one("#step-scroll")
    left = view.region.x - scroll.content_region.x
    right = scroll.content_region.right - view.region.right - scroll.scrollbar_gutter.width
    assert abs(left - right) <= 1, (left, right)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_text_step_at_a_readable_measure(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang)
    async with app.run_test(size=(200, 60)) as pilot:
        view = await open_step(pilot, 0)
        await pilot.pause()
        assert widest_line(app, view) <= MEASURE
        assert widest_line(app, view) >= MEASURE - 12  # the measure is used, not squeezed
        assert_centred(app, view)


async def test_quiz_feedback_at_a_readable_measure(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(200, 60)) as pilot:
        view = await open_step(pilot, 2)
        await pilot.press("1", "enter")
        await wait_for(pilot, lambda: app.screen.query(".feedback.-wrong"))
        feedback = app.screen.query_one(".feedback.-wrong")
        assert feedback.region.width <= MEASURE + 2  # its bar and padding
        assert widest_line(app, view) <= MEASURE
        assert_centred(app, view)


@pytest.mark.parametrize("width", [60, 80, 100, 120])
async def test_step_keeps_the_whole_width_up_to_120_columns(tmp_path: Path, width: int) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(width, 40)) as pilot:
        view = await open_step(pilot, 0)
        await pilot.pause()
        scroll = app.screen.query_one("#step-scroll")
        room = scroll.content_region.width - scroll.scrollbar_gutter.width
        assert (view.region.x, view.region.width) == (scroll.content_region.x, room)
