"""Review screen fixes from a QA pass: rating labels never cut at 80-odd columns, a summary that
says tomorrow brings new cards, and the title of the deck asked for (``review --deck``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ
from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import drawn, wait_for
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning import FixedClock, Learning, SchedulerSettings
from tutor.learning.clock import from_ms
from tutor.screens.review import ReviewScreen

CARD = "tensors.card-count"  # the fixture course's first new card


def fixture_config(tmp_path: Path, lang: str) -> TutorConfig:
    return TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang=lang)


def rate_good_when_due(learning: Learning, clock: FixedClock, times: int) -> None:
    """Rate ``CARD`` Good ``times`` times, each when it falls due, and leave the clock a day
    past its due time: its Hard, Good and Easy buttons then offer months."""
    for _ in range(times):
        row = learning.store.card(CARD)
        if row is not None:
            clock.at = max(clock.at, from_ms(row.due_ms))
        learning.rate(CARD, 3)
    row = learning.store.card(CARD)
    assert row is not None
    clock.at = max(clock.at, from_ms(row.due_ms))
    clock.advance(days=1)


async def open_review(pilot, app, deck_id: str | None = None) -> ReviewScreen:
    screen = ReviewScreen(deck_id)
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state in ("card", "done"))
    await pilot.pause()
    return screen


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 84, 86])
async def test_rating_labels_are_never_cut(tmp_path, lang, width):
    """At 80 columns the one-line labels lost their units ("1 Again · 10", "1.1 个"): the
    two-line layout began below 80 whatever the words. Every word of every label is drawn,
    with month-long intervals, around the width where one line starts to fit."""
    app = make_app(fixture_config(tmp_path, lang), lang)
    clock = FixedClock()
    async with app.run_test(size=(width, 24)) as pilot:
        learning = await settle(pilot, app, lessons_finished=True, clock=clock)
        rate_good_when_due(learning, clock, 3)
        screen = await open_review(pilot, app)
        assert screen.card is not None and screen.card.id == CARD
        await pilot.press("space")
        await pilot.pause()
        labels = [str(screen.query_one(f"#rate-{r}", Button).label) for r in range(1, 5)]
        month = tr("interval.mo", lang, n="").strip()
        assert any(month in label for label in labels), labels  # the case QA found
        shown = drawn(app)
        for label in labels:
            for line in label.split("\n"):
                assert line in shown, (line, shown)


async def test_one_line_labels_where_they_fit(tmp_path):
    """Wide enough, the interval stays on the button's one line (the taller two-line buttons
    are for when it does not fit)."""
    app = make_app(fixture_config(tmp_path, "en"), "en")
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app, lessons_finished=True)
        screen = await open_review(pilot, app)
        await pilot.press("space")
        await pilot.pause()
        assert str(screen.query_one("#rate-3", Button).label) == "3 Good · 10 min"
        assert "3 Good · 10 min" in drawn(app)

        await pilot.resize_terminal(70, 24)  # narrowed with the answer shown: two lines now
        await pilot.pause()
        assert str(screen.query_one("#rate-3", Button).label) == "3 Good\n10 min"
        assert "3 Good · 10" not in drawn(app)
        assert "10 min" in drawn(app) and "3 Good" in drawn(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_summary_says_new_cards_come_tomorrow(tmp_path, lang):
    """With today's limit of new cards used up and new cards left, the summary said "Next card
    due in 8 d" (or, with no card started, only "Nothing due right now"): it says tomorrow
    brings new cards."""
    app = make_app(fixture_config(tmp_path, lang), lang)
    settings = SchedulerSettings(enable_fuzzing=False, new_per_day=1)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app, lessons_finished=True, settings=settings)
        screen = await open_review(pilot, app)
        await pilot.press("space", "4")  # Easy: due in days, the day's one new card used
        await wait_for(pilot, lambda: screen.state == "done")
        summary = drawn(app)
        assert tr("review.new_tomorrow", lang) in summary, summary
        next_due = tr("review.summary_next", lang, wait="@").split("@")[0]
        assert next_due not in summary, summary  # "Next card due in 8 d": new cards come first

        await pilot.press("escape")
        again = await open_review(pilot, app)  # nothing due, no card rated this sitting
        assert again.state == "done"
        summary = drawn(app)
        assert tr("review.new_tomorrow", lang) in summary, summary


async def test_no_word_of_tomorrow_when_every_new_card_is_started(tmp_path):
    """The line is for cards held back by the day's limit only."""
    app = make_app(fixture_config(tmp_path, "en"), "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app, lessons_finished=True, settings=NO_FUZZ)
        screen = await open_review(pilot, app)
        while screen.state == "card":
            await pilot.press("space", "4")
            await pilot.pause()
        await wait_for(pilot, lambda: screen.state == "done")
        summary = drawn(app)
        assert "Next card due in" in summary, summary
        assert tr("review.new_tomorrow", "en") not in summary


@pytest.mark.parametrize(("lang", "title"), [("en", "Tensor cards"), ("zh", "张量卡片")])
async def test_a_picked_deck_is_shown_by_its_title(tmp_path, lang, title):
    """``review --deck tensors-cards`` showed the raw id; it shows the deck's title in the
    learner's language."""
    app = make_app(fixture_config(tmp_path, lang), lang)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        screen = await open_review(pilot, app, "tensors-cards")
        assert screen.state == "card"
        status = screen._status().plain
        assert status.endswith(f" · {title}"), status
        assert "tensors-cards" not in drawn(app)
