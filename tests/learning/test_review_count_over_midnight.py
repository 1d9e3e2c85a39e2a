"""A review sitting open over midnight takes in the new day's new cards.

Two new cards a day, one rated Good at 23:55 (back at 00:05): at midnight the new day's new card
is Home's to review, and the sitting's too. The header said "1 rating · 2 to go" (the new day's
card not queued until the queue ran out, and the bracket left out), while three were to go: the
card on screen, the new day's card and the one coming back at 00:05.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from tests.learning.conftest import NO_FUZZ
from tests.learning.test_review_header_matches_home_due import SIZE, _config, _text
from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.i18n import tr
from tutor.learning import FixedClock, Learning
from tutor.screens.review import ReviewScreen


async def _rated_before_midnight(
    pilot: Any, app: Any, clock: FixedClock, rating: str
) -> tuple[Learning, ReviewScreen]:
    """``review --deck five-cards`` at 23:55, two new cards a day, its first card rated
    ``rating``: the ``Learning`` and the screen, the day's other new card shown."""
    learning = await settle(pilot, app, settings=replace(NO_FUZZ, new_per_day=2), clock=clock)
    screen = ReviewScreen(deck_id="five-cards")
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state == "card")
    await pilot.press("space")
    await pilot.press(rating)
    await wait_for(pilot, lambda: len(screen.session.ratings) == 1 and screen.state == "card")
    return learning, screen


def _before_midnight() -> FixedClock:
    return FixedClock(at=datetime(2025, 1, 15, 23, 55, tzinfo=timezone.utc))


async def test_the_new_days_new_cards_are_to_go_and_to_review_now_after_midnight(tmp_path):
    clock = _before_midnight()
    app = make_app(_config(tmp_path, "en"))
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await _rated_before_midnight(pilot, app, clock, "3")  # back at 00:05
        first = screen.session.ratings[0][0]
        shown = screen.card.id
        before = tr("review.progress", "en", ratings=1, left=2)
        before += tr("review.to_review_now", "en", due=1, back=1)
        assert before in _text(screen, "#review-status")

        clock.advance(minutes=6)  # 00:01, the card still on screen
        after = tr("review.progress", "en", ratings=1, left=3)
        after += tr("review.to_review_now", "en", due=2, back=1)
        await wait_for(pilot, lambda: after in _text(screen, "#review-status"))
        assert learning.due_count("five-cards") == 2
        assert screen.card.id == shown and not screen.revealed  # the card stays as it was

        fronts = []
        for rated in range(2, 4):  # the card on screen, then the new day's card
            fronts.append(screen.card.id)
            await pilot.press("space")
            await pilot.press("4")  # Easy: days on
            await wait_for(pilot, lambda n=rated: len(screen.session.ratings) == n)
        assert first not in fronts and len(set(fronts)) == 2
        # the last to go: the 00:05 card, learned ahead as nothing else is due
        await wait_for(pilot, lambda: screen.state == "card" and screen.card.id == first)
        status = _text(screen, "#review-status")
        assert status == f"🔁 {tr('review.progress', 'en', ratings=3, left=1)} · Five cards"
        assert learning.due_count("five-cards") == 1

        await pilot.press("escape")
        home = app.screen
        await wait_for(pilot, lambda: home.due is not None)
        assert home.due == learning.due_count() == 1


async def test_a_rating_being_saved_holds_the_new_days_cards_back_until_it_is_done(tmp_path):
    """The clock's read is not taken in while a rating is being saved (the queue it found is
    changing): neither begun then nor landing then, and the moment is watched for again."""
    clock = _before_midnight()
    app = make_app(_config(tmp_path, "en"))
    async with app.run_test(size=SIZE) as pilot:
        # Easy: days on; one of the day's two new cards is left
        _, screen = await _rated_before_midnight(pilot, app, clock, "4")
        assert len(screen.queue) == 1
        midnight = screen._home_due_changes
        assert midnight == clock.end_of_today()

        screen._saving = True  # as while a rating is saved
        clock.advance(minutes=6)  # 00:01
        screen._check_home_clock()
        assert screen._home_due_changes == midnight and len(screen.queue) == 1  # not read
        await screen._recount_home_due(midnight).wait()  # a read landing while it is saved
        assert screen._home_due_changes == midnight and len(screen.queue) == 1  # not taken in

        screen._saving = False  # saved: the clock's next tick reads the new day's card in
        await wait_for(pilot, lambda: len(screen.queue) == 2)
        assert screen._home_due_changes == clock.end_of_today() > midnight
