"""The stats screen as QA 37 read it: the course map's count of cards to review, the forecast's
counts and unit, and a label never parted from its number at 80 columns."""

from __future__ import annotations

from typing import Any

import pytest

from tests.learning.conftest import FIXTURE_DECKS
from tests.learning.test_stats_screen import open_stats
from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import drawn, open_with_key, wait_for
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.screens.stats import StatsScreen, forecast_chart
from tutor.stats_text import review_now_line, reviews_line
from tutor.theme_styles import DARK, LIGHT


@pytest.fixture
def config(tmp_path) -> TutorConfig:
    """A store over the fixture decks (``tests/learning``'s)."""
    return TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang="en")


async def _stats_read(pilot: Any, screen: StatsScreen) -> dict[str, Any]:
    await wait_for(pilot, lambda: screen.data is not None)
    assert screen.data is not None
    return screen.data


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [60, 80])
async def test_a_label_keeps_its_number_on_its_line(tmp_path, lang, width):
    """The bundled course's 150-odd cards waiting for their lesson: at 80 columns in English
    "waiting for their lesson:" ended one line and "152" stood alone on the next."""
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang=lang)
    app = make_app(config, lang=lang)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_for(pilot, lambda: app.learning is not None)
        screen = await open_with_key(pilot, "t", StatsScreen)
        data = await _stats_read(pilot, screen)
        assert data["waiting_for_lesson"] > 100
        rows = drawn(app).splitlines()
        lines = (
            tr("stats.due", lang, **data),
            reviews_line(data, lang),
            review_now_line(data, lang),
        )
        items = [item for line in lines for item in line.split(" · ")]
        assert len(items) >= 8
        for item in items:
            assert any(item in row for row in rows), (item, rows[:10])


def test_the_forecast_says_its_counts_and_its_unit():
    chart = forecast_chart([0, 4, 2] + [0] * 27, "en", muted=DARK.muted).plain.splitlines()
    assert chart[0].startswith(" █▄")
    assert chart[1].startswith("today") and chart[1].endswith("in 29 days")
    assert len(chart[1]) == 30  # under the 30 bars
    assert chart[2] == "today: 0 · peak: 4 in 1 day"
    zh = forecast_chart([3, 1] + [0] * 28, "zh", muted=LIGHT.muted).plain.splitlines()
    assert zh[1].startswith("今天") and zh[1].endswith("29 天后")
    assert zh[2] == "今天：3"  # today is the peak: said once


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_forecast_panel_shows_today_and_the_peak(config, lang):
    app = make_app(config, lang=lang)
    async with app.run_test(size=(80, 40)) as pilot:
        _, screen = await open_stats(pilot, app)
        assert screen.data is not None
        counts = screen.data["forecast"]
        peak = max(counts)
        assert peak > counts[0]  # the history leaves a later day busier than today
        shown = drawn(app)
        assert tr("stats.forecast_today", lang, count=counts[0]) in shown
        assert tr("stats.forecast_peak", lang, count=peak, days=counts.index(peak)) in shown
        assert tr("stats.forecast_last", lang, days=29) in shown


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_stats_say_the_count_the_course_map_says(config, lang):
    """The course map's "N cards due" counts today's new cards and the learning steps a review
    shows ahead; the stats said only the cards due this instant, a different number."""
    app = make_app(config, lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        home = app.screen
        await wait_for(pilot, lambda: home.due == learning.due_count())
        screen = StatsScreen()
        await app.push_screen(screen)
        data = await _stats_read(pilot, screen)
        count = learning.due_count()
        assert count > 0 and data["review_now"] == count
        assert data["review_now_new"] == count and data["due_now"] == 0  # all new today
        shown = drawn(app)
        assert tr("stats.review_now", lang, count=count) in shown
        assert review_now_line(data, lang) in shown
