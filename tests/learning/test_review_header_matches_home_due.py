"""Review's header and Home's Today panel agree on the cards due now.

After three Good ratings on new cards the header read "3 ratings · 5 to go" while Home read
"2 cards to review": the three cards in their 10-minute learning step counted as "to go" in the
one and not in the other. The header still counts them in "to go" (it never rises as they come
back), and says how many of those are to review now (Home's count) and how many come back later.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ
from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning import FixedClock
from tutor.screens.review import ReviewScreen

SIZE = (100, 32)
FIVE_CARDS = """\
format: 1
kind: cards
id: five-cards
title: {en: "Five cards", zh: "五张卡片"}
cards:
"""
CARD = """\
  - id: five.card-{n}
    front: {{en: "Front {n}", zh: "正面 {n}"}}
    back: {{en: "Back {n}", zh: "反面 {n}"}}
"""


def _config(tmp_path: Path, lang: str) -> TutorConfig:
    decks = tmp_path / "decks"
    decks.mkdir()
    text = FIVE_CARDS + "".join(CARD.format(n=n) for n in range(1, 6))
    (decks / "cards-five.yaml").write_text(text, encoding="utf-8")
    return TutorConfig.resolve(
        data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS), str(decks)], lang=lang
    )


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def _five_cards_shown(pilot, app) -> ReviewScreen:
    """``review --deck five-cards`` opened in ``app`` (its store settled), its first card shown."""
    await settle(pilot, app)
    screen = ReviewScreen(deck_id="five-cards")
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state == "card")
    return screen


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_header_says_homes_count_of_cards_to_review_now(tmp_path, lang):
    app = make_app(_config(tmp_path, lang), lang)
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app)  # no lesson finished: only the five cards are new
        screen = ReviewScreen(deck_id="five-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        assert len(screen.queue) == 5
        for rated in range(1, 4):  # Good on a new card: back in 10 minutes
            await pilot.press("space")
            await pilot.press("3")
            await wait_for(pilot, lambda n=rated: len(screen.session.ratings) == n)
        await wait_for(pilot, lambda: screen.state == "card" and screen.waiting == 3)
        status = _text(screen, "#review-status")
        assert learning.due_count("five-cards") == 2
        # "to go" still counts the three (it never rises as they come back), named apart
        said = tr("review.progress", lang, ratings=3, left=5)
        said += tr("review.to_review_now", lang, due=2, back=3)
        assert said in status, status
        now = {"en": "2 to review now", "zh": "现在待复习 2 张"}[lang]
        back = {"en": "3 coming back", "zh": "稍后再来 3 张"}[lang]
        assert now in status and back in status, status

        await pilot.press("escape")
        home = app.screen
        await wait_for(pilot, lambda: home.due is not None)
        today = _text(home, "#today")
        assert tr("home.due", lang, count=2) in today, today


async def test_the_header_names_no_cards_coming_back_when_none_are(tmp_path):
    app = make_app(_config(tmp_path, "en"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _five_cards_shown(pilot, app)
        await pilot.press("space")
        await pilot.press("4")  # Easy: due in days, not in this sitting
        await wait_for(pilot, lambda: len(screen.session.ratings) == 1)
        status = _text(screen, "#review-status")
        assert "1 rating · 4 to go" in status and "coming back" not in status, status


async def test_a_learn_ahead_sitting_says_homes_count_which_takes_every_step_due_soon(tmp_path):
    """With nothing due now Home counts every learning step due within the learn-ahead (20
    minutes): the five cards rated Good, then one of them Again, are all Home's five, none
    "coming back later" (the header read "4 to review now, 1 coming back later")."""
    app = make_app(_config(tmp_path, "en"))
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app)
        screen = ReviewScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        for rated, rating in enumerate(["3"] * 5 + ["1"], 1):  # the sixth: a learn-ahead card
            await pilot.press("space")
            await pilot.press(rating)
            await wait_for(pilot, lambda n=rated: len(screen.session.ratings) == n)
        await wait_for(pilot, lambda: screen.state == "card" and screen.waiting == 1)
        status = _text(screen, "#review-status")
        assert learning.due_count() == 5
        assert status == f"🔁 {tr('review.progress', 'en', ratings=6, left=5)}", status

        await pilot.press("escape")
        home = app.screen
        await wait_for(pilot, lambda: home.due is not None)
        assert home.due == 5


async def test_the_count_follows_the_clock_into_a_new_day_with_its_new_cards(tmp_path):
    """Two new cards a day, a card rated Good at 23:55 (back at 00:05): at midnight Home counts
    the new day's new card too, and the header, redrawn by the clock alone, says no fewer to
    review now than Home (it said "1 to review now, 1 coming back later"), and counts that card
    to go (it said "2 to go": :mod:`tests.learning.test_review_count_over_midnight`)."""
    clock = FixedClock(at=datetime(2025, 1, 15, 23, 55, tzinfo=timezone.utc))
    app = make_app(_config(tmp_path, "en"))
    async with app.run_test(size=SIZE) as pilot:
        two_a_day = replace(NO_FUZZ, new_per_day=2)
        learning = await settle(pilot, app, settings=two_a_day, clock=clock)
        screen = ReviewScreen(deck_id="five-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        await pilot.press("space")
        await pilot.press("3")
        await wait_for(pilot, lambda: len(screen.session.ratings) == 1)
        progress = tr("review.progress", "en", ratings=1, left=2)
        before = progress + tr("review.to_review_now", "en", due=1, back=1)
        assert before in _text(screen, "#review-status")

        clock.advance(minutes=6)  # 00:01
        after = tr("review.progress", "en", ratings=1, left=3)
        after += tr("review.to_review_now", "en", due=2, back=1)
        await wait_for(pilot, lambda: after in _text(screen, "#review-status"))
        assert learning.due_count("five-cards") == 2

        await pilot.press("escape")
        home = app.screen
        await wait_for(pilot, lambda: home.due is not None)
        assert home.due == 2


async def test_the_clock_for_homes_count_runs_only_while_a_card_is_shown(tmp_path):
    """The header's count follows the clock while a card is shown; the sitting's summary shows
    no count, so nothing reads the clock for it there (the 1-second timer ran on after the last
    rating), and a card shown again (the last rating undone) has it followed again."""
    app = make_app(_config(tmp_path, "en"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await _five_cards_shown(pilot, app)
        assert screen._home_clock is not None
        for rated in range(1, 6):  # Easy: due in days, none back in this sitting
            await pilot.press("space")
            await pilot.press("4")
            await wait_for(pilot, lambda n=rated: len(screen.session.ratings) == n)
        await wait_for(pilot, lambda: screen.state == "done")
        assert screen._home_clock is None

        await pilot.press("u")  # the last rating undone: its card is shown again
        await wait_for(pilot, lambda: screen.state == "card")
        assert screen._home_clock is not None
