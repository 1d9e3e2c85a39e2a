"""QA 38: a long backlog says how long it may take, and the course map counts cards "to review".

A returning learner read "117 cards due" and "0 reviewed · 117 to go", no more. With 50 cards or
more to go the review says, on a line of its own, the time they may take at the learner's median
pace (or at a stated default before any rating was timed). The course map's count includes
today's new cards, so it says "to review" (as the Chinese 待复习 did), not "due".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from tests.learning.conftest import NO_FUZZ
from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning.scheduler import format_interval
from tutor.screens.review import ReviewScreen, interval_words

SIZE = (100, 32)
NEW = 60  # today's new cards: a backlog past the estimate's threshold


def _course(tmp_path: Path) -> TutorConfig:
    return TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")  # the bundled course


async def _open_review(pilot, app, *, timed: tuple[int, ...] = ()) -> ReviewScreen:
    """A learner with every lesson done and ``NEW`` new cards today, whose first ratings took
    ``timed`` ms each: the review, at its first card."""
    settings = replace(NO_FUZZ, new_per_day=NEW + len(timed))
    learning = await settle(pilot, app, lessons_finished=True, settings=settings)
    for card, duration_ms in zip(learning.due_now(), timed, strict=False):
        learning.rate(card.id, 4, duration_ms)  # Easy: out of the sitting for days
    screen = ReviewScreen()
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state == "card")
    return screen


def _estimate(lang: str, key: str, left: int, seconds: float) -> str:
    total = interval_words(format_interval(left * timedelta(seconds=seconds)), lang)
    each = interval_words(format_interval(timedelta(seconds=seconds)), lang)
    return tr(key, lang, time=total, each=each)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_long_backlog_says_its_time_at_a_default_pace(tmp_path, lang):
    app = make_app(_course(tmp_path), lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_review(pilot, app)
        assert len(screen.queue) == NEW
        status = str(screen.query_one("#review-status").render())
        said = _estimate(lang, "review.estimate_default", NEW, 10.0)  # the stated default
        assert said in status, status
        assert "10" in said and ("10 s" in said if lang == "en" else "10 秒" in said)
        assert status.count("\n") == 1  # the progress, then the estimate on a line of its own


async def test_a_long_backlog_says_its_time_at_the_learners_median_pace(tmp_path):
    app = make_app(_course(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_review(pilot, app, timed=(5000, 6000, 90_000))
        status = str(screen.query_one("#review-status").render())
        assert _estimate("en", "review.estimate", NEW, 6.0) in status, status
        assert "About 6 min at your pace (6 s a card)" in status


def test_course_map_counts_cards_to_review() -> None:
    assert tr("home.due", "en", count=102) == "102 cards to review"
    assert tr("home.due", "en", count=1) == "1 card to review"
    assert tr("home.due", "zh", count=102) == "102 张卡片待复习"


async def test_the_first_rating_of_a_sitting_makes_the_pace_the_learners(tmp_path):
    """It said "(no timed reviews of yours yet)" after cards had been rated and timed (QA)."""
    app = make_app(_course(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_review(pilot, app)
        await pilot.press("space", "3")
        await wait_for(
            pilot, lambda: "at your pace" in str(screen.query_one("#review-status").render())
        )
        assert "no timed reviews" not in str(screen.query_one("#review-status").render())
