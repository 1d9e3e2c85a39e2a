"""The stats screen on a frozen clock with a little history, in both languages."""

from __future__ import annotations

import pytest

from tests.learning.tui_helpers import make_app, settle
from tutor.learning import Learning
from tutor.screens.stats import StatsScreen, forecast_chart, heatmap_grid
from tutor.theme_styles import DARK

SIZE = (110, 44)


def _history(learning: Learning) -> None:
    clock = learning.clock
    clock.advance(days=-9)
    for day in range(10):
        for card in ("tensors.card-count", "tensors.card-bias", "tensors.card-call")[: 1 + day % 3]:
            learning.rate(card, 1 if day == 4 else 3)
        clock.advance(days=1)
    clock.advance(days=-1)
    learning.flag("tensors.card-bias", "two answers fit")
    learning.mark_step_seen("tensors", 0)
    learning.record_quiz("tensors.q-bias", "tensors", True, "true")


async def open_stats(pilot, app) -> tuple[Learning, StatsScreen]:
    """The stats screen over :func:`_history`, once it has read the numbers."""
    learning = await settle(pilot, app)
    _history(learning)
    screen = StatsScreen()
    await app.push_screen(screen)
    for _ in range(200):
        if screen.data is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)
    return learning, screen


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_stats_snapshot(snap_compare, config, lang):
    app = make_app(config, lang=lang)

    async def run_before(pilot) -> None:
        _, screen = await open_stats(pilot, app)
        assert screen.data is not None and screen.data["reviews_total"] == 19

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_charts_scale_to_the_data():
    chart = forecast_chart([0, 4, 2] + [0] * 27, muted=DARK.muted).plain
    assert chart.startswith(" █▄")
    from datetime import date

    grid = heatmap_grid(
        {"2025-01-15": 3, "2025-01-14": 1}, date(2025, 1, 15), weeks=2, styles=DARK.heat
    ).plain
    rows = grid.splitlines()
    assert len(rows) == 7
    assert rows[1].split() == ["·", "■"] and rows[2].split() == ["·", "■"]  # Tue, Wed
    assert rows[3].split() == ["·"]  # Thursday of this week is still to come


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [50, 60, 110])
async def test_the_heatmap_shows_the_weeks_that_fit(config, lang, width):
    """26 weeks take 52 cells: below ~58 columns each weekday's row wrapped, and this week (on
    the right) fell onto a second line. The most recent weeks that fit are shown, and the title
    says how many."""
    app = make_app(config, lang=lang)
    async with app.run_test(size=(width, 44)) as pilot:
        learning, screen = await open_stats(pilot, app)
        heat = screen.query_one("#stats-heatmap")
        rows = heat.content.plain.split("\n")[1:8]
        assert heat.content_region.height == 9, rows  # title + a row a day + the legend
        weeks = (max(len(row) for row in rows) + 1) // 2
        assert heat.region.right <= width  # all of it in view: this week is the rightmost
        assert weeks < 26 if width < 58 else weeks == 26
        title = heat.content.plain.split("\n")[0]
        assert str(weeks) in title, title
        assert rows[learning.clock.today().weekday()].rstrip()[-1:] in "▪■"  # today's review, right


async def test_a_widened_terminal_gets_all_the_weeks_again(config):
    """The screen's resize comes before its panels are laid out again: read then, the heatmap
    kept the narrow terminal's weeks after a widening."""
    app = make_app(config, lang="en")
    async with app.run_test(size=(50, 44)) as pilot:
        _, screen = await open_stats(pilot, app)
        title = lambda: screen.query_one("#stats-heatmap").content.plain.split("\n")[0]  # noqa: E731
        assert "26" not in title()
        await pilot.resize_terminal(110, 44)
        for _ in range(50):
            await pilot.pause(0.02)
        assert title() == "Reviews, last 26 weeks"


def test_the_heatmap_is_shaded_against_the_busiest_day_it_draws():
    """A 500-review day 30 weeks back, out of the four weeks drawn, set the scale: drawn days of
    5 and 120 reviews both got the faintest green. The busiest day drawn gets the darkest."""
    from datetime import date, timedelta

    today = date(2026, 12, 4)  # a Friday: row 4 of the grid
    days = {
        today.isoformat(): 120,
        (today - timedelta(days=1)).isoformat(): 5,
        (today - timedelta(weeks=30)).isoformat(): 500,
    }
    grid = heatmap_grid(days, today, weeks=4, styles=DARK.heat)
    shade = {}  # (weekday row, week column) -> style of that cell
    for span in grid.spans:
        row_start = grid.plain.rfind("\n", 0, span.start) + 1
        row = grid.plain.count("\n", 0, span.start)
        shade[row, (span.start - row_start) // 2] = str(span.style)
    assert shade[4, 3] == DARK.heat[-1]  # today, the busiest day drawn
    assert shade[3, 3] == DARK.heat[1]  # yesterday's 5 reviews: the faintest green
    assert shade[4, 2] == DARK.heat[0]  # a week ago: no reviews
