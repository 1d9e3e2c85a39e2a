"""The stats heatmap without colour: under NO_COLOR on a 16-colour terminal every day was the
same ■, and levels 0 and 1 the same grey, so a day of a few reviews read as a day of none. A day
without reviews is now a dot and a light one a small square, and a legend under the grid says
which end of the scale is which."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.learning.conftest import FIXTURE_DECKS
from tests.learning.test_stats_screen import open_stats
from tests.learning.tui_helpers import make_app
from tests.tui.conftest import drawn, wait_for
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning import Learning
from tutor.screens.stats import StatsScreen


def cell(screen: StatsScreen, day: date, weeks: int) -> str:
    """The glyph the heatmap draws for ``day``: its weekday's row, its week's column."""
    assert screen.today is not None
    rows = screen.query_one("#stats-heatmap").content.plain.split("\n")[1:8]
    start = screen.today - timedelta(days=screen.today.weekday() + 7 * (weeks - 1))
    return rows[day.weekday()][(day - start).days // 7 * 2]


def busy_today(learning: Learning) -> None:
    """Nine more reviews today: the day before's one review is now the lightest level."""
    for _ in range(9):
        learning.rate("tensors.card-count", 3)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_light_day_is_told_from_a_day_without_reviews_without_colour(
    tmp_path, monkeypatch, lang
):
    monkeypatch.setenv("NO_COLOR", "1")
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang=lang)
    app = make_app(config, lang=lang)
    async with app.run_test(size=(110, 44)) as pilot:
        learning, screen = await open_stats(pilot, app)
        busy_today(learning)
        screen.action_retry()  # read the numbers again, today's nine reviews with them

        def today_count() -> int:
            return screen.data["heatmap"].get(learning.clock.today().isoformat(), 0)

        # read on the learning thread, in its own time: the numbers from before must not do
        await wait_for(pilot, lambda: bool(screen.data) and today_count() > 9)
        assert screen.data is not None and screen.today is not None
        counts = screen.data["heatmap"]
        today = screen.today
        light = [
            d
            for d in (today - timedelta(days=n) for n in range(1, 10))
            if counts.get(d.isoformat()) == 1
        ]
        idle = today - timedelta(days=20)
        assert light and not counts.get(idle.isoformat()), counts
        assert cell(screen, light[0], 26) != cell(screen, idle, 26)
        assert cell(screen, today, 26) != cell(screen, light[0], 26)  # the busiest: a full square
        legend = f"{tr('stats.heat_none', lang)} · ▪ ■ ■ ■ {tr('stats.heat_more', lang)}"
        assert legend in drawn(app), drawn(app)
