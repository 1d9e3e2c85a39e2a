"""Under ``review --deck`` the moment the header's count may next change is the deck's.

A card of another deck in its 10-minute learning step made the sitting's clock wake at its due
time and read the count again, which that card cannot change: the deck's count changes at
midnight (its new cards) or when one of its own cards falls due.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.learning.conftest import NO_FUZZ
from tests.learning.test_review_header_matches_home_due import SIZE, _config
from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.decks import DeckLoader
from tutor.learning import FixedClock, Learning
from tutor.learning.clock import from_ms
from tutor.learning.service import LEARN_AHEAD
from tutor.screens.review import ReviewScreen

OTHER = "tensors.card-bias"  # a card of the fixture decks, not of five-cards


async def test_the_moment_the_count_may_change_is_the_reviewed_decks(tmp_path):
    clock = FixedClock()
    app = make_app(_config(tmp_path, "en"))
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app, clock=clock)
        learning.rate(OTHER, 3)  # Good on a new card: back in 10 minutes
        other_due = from_ms(learning.store.card(OTHER).due_ms)
        assert other_due - clock.now() == timedelta(minutes=10)
        assert learning.next_count_change() == other_due  # all decks': that card's

        screen = ReviewScreen(deck_id="five-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        assert screen._home_due_changes == clock.end_of_today()
        assert learning.next_count_change("five-cards") == clock.end_of_today()


def test_only_the_decks_learning_steps_bring_its_moment_forward(tmp_path):
    """A learning step of another deck coming within the learn-ahead changes the count of every
    deck, not the deck's; one of the deck's own does."""
    config, clock = _config(tmp_path, "en"), FixedClock()
    library = DeckLoader(config.deck_paths).load()
    steps = replace(NO_FUZZ, learning_steps_min=(1.0, 30.0))
    with Learning.open(config, library, settings=steps, clock=clock) as learning:
        learning.rate(OTHER, 3)  # Good on a new card: its 30-minute step
        other_ahead = from_ms(learning.store.card(OTHER).due_ms) - LEARN_AHEAD
        assert learning.next_count_change() == other_ahead
        assert learning.next_count_change("five-cards") == clock.end_of_today()
        clock.advance(minutes=1)
        learning.rate("five.card-1", 3)
        own_ahead = from_ms(learning.store.card("five.card-1").due_ms) - LEARN_AHEAD
        assert learning.next_count_change("five-cards") == own_ahead
