"""QA 38: a card rated Again comes back when its step is over, and the status line tells the truth.

A returning learner's card rated Again ("10 min") waited behind the whole backlog (the queue was
read once, refilled only when it ran out): it came back 24-29 minutes later. Its "N to go" rose
near the end (as those cards came back), and "{done} reviewed" counted ratings, not cards.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ
from tests.learning.tui_helpers import make_app, review_first_card, settle
from tests.tui.conftest import wait_for
from tutor.config import TutorConfig
from tutor.screens.review import ReviewScreen

SIZE = (100, 32)


def _config(tmp_path: Path) -> TutorConfig:
    return TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang="en")


def _status(screen) -> str:
    return str(screen.query_one("#review-status").render())


async def _rate(pilot, screen, rating: str) -> None:
    """Reveal the card on screen and rate it; wait for the next one (or the end)."""
    shown = screen.session.ratings[:]
    await pilot.press("space")
    await pilot.press(rating)
    await wait_for(pilot, lambda: screen.session.ratings != shown and screen.state != "loading")


async def test_again_card_comes_back_when_due_before_the_backlog(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        assert len(screen.queue) >= 3, [card.id for card in screen.queue]
        again = screen.card.id
        await _rate(pilot, screen, "1")  # its first learning step: 1 min
        assert screen.card.id != again  # not due yet: the backlog goes on
        learning.clock.advance(minutes=2)
        await _rate(pilot, screen, "3")
        # due now: shown next, not after the cards still in the queue
        assert screen.state == "card" and screen.card.id == again
        assert len(screen.queue) >= 2  # the rest of the backlog waits behind it


def _to_go(screen) -> int:
    """The "N to go" the status line shows."""
    found = re.search(r"(\d+) to go", _status(screen))
    assert found is not None, _status(screen)
    return int(found.group(1))


async def test_to_go_counts_cards_coming_back_and_never_rises(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        # Again brings a card back in 30 min: past the learn-ahead, within the sitting's watch
        learning.update_settings(replace(NO_FUZZ, learning_steps_min=(30.0,)))
        total = len(screen.queue)
        assert _to_go(screen) == total
        await _rate(pilot, screen, "1")
        assert _to_go(screen) == total  # the card rated Again comes back in this sitting

        lefts = [_to_go(screen)]
        while screen.state == "card":
            learning.clock.advance(minutes=10)
            await _rate(pilot, screen, "3")
            if screen.state == "done" and screen.check_action("continue", ()):
                await pilot.press("enter")
                await wait_for(pilot, lambda: screen.state == "card")
            if screen.state == "card":
                lefts.append(_to_go(screen))
        assert lefts == sorted(lefts, reverse=True), lefts  # never rose near the end
        assert len(screen.session.ratings) == total + 1  # the card rated Again came back once


async def test_status_counts_ratings_as_the_summary_does(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        _, screen = await review_first_card(pilot, app)
        cards = len(screen.queue)
        for _ in range(cards):  # each is due again in 1 min: they come back, learned ahead
            await _rate(pilot, screen, "1")
        await wait_for(pilot, lambda: screen.state == "card")
        await _rate(pilot, screen, "3")  # a card rated a second time
        # more ratings than cards: the status says ratings, as the summary does
        status = _status(screen)
        assert f"{cards + 1} ratings ·" in status, status
        assert "reviewed" not in status, status
        assert screen.session.cards == cards
        assert "⏱" not in status  # a few cards: no estimate of the time


async def test_queued_learning_steps_keep_the_backlog_order(tmp_path):
    """Only steps come due since the queue was read go first: a learning card already in the
    backlog keeps its place behind the cards more overdue than it (most overdue first). A guard
    for the fix above, which passes on the code before it too."""
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        first, second, step = learning.due_now()[:3]
        for _ in range(2):  # two learning steps: both graduate to reviews due in days
            for card in (first, second):
                learning.rate(card.id, 3)
            learning.clock.advance(minutes=10)
        learning.clock.advance(days=60)  # both long overdue
        learning.rate(step.id, 1)  # a learning step, due in 1 min
        learning.clock.advance(minutes=5)
        screen = ReviewScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        order = [card.id for card in screen.queue]
        assert order[2] == step.id and set(order[:2]) == {first.id, second.id}, order
        await _rate(pilot, screen, "3")
        assert [card.id for card in screen.queue] == order[1:]
