"""A card rated Again comes back in the same sitting, as in Anki.

Learning and relearning cards due within the learn-ahead window are shown at once rather than
ending the session; a session that still ends with a card due soon offers it when it falls due
(the screen watches the app's clock, which these tests move by hand).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ
from tests.learning.tui_helpers import make_app, review_first_card
from tests.tui.conftest import screen_text, wait_for
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning.service import LEARN_AHEAD

SIZE = (100, 32)


def _config(tmp_path: Path) -> TutorConfig:
    return TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang="en")


async def _rate_all(pilot, screen, rating: str) -> list[str]:
    """Reveal and rate every card of the queue as it stood at the start; their ids."""
    ids = [card.id for card in screen.queue]
    for _ in ids:
        await pilot.press("space")
        await pilot.press(rating)
        await pilot.pause()
    return ids


async def test_again_cards_come_back_without_waiting(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        ids = await _rate_all(pilot, screen, "1")  # each is due again in 1 min
        await wait_for(pilot, lambda: screen.state == "card" and len(screen.queue) == len(ids))
        assert sorted(card.id for card in screen.queue) == sorted(ids)
        assert learning.due_now() == []  # the clock stood still: they came back by learning ahead
        assert learning.due_count() == len(ids)  # as the course map counts them


async def test_session_end_offers_a_card_when_it_falls_due(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        # a first learning step past the learn-ahead window: the session ends on Again
        step = LEARN_AHEAD.total_seconds() / 60 + 10
        learning.update_settings(replace(NO_FUZZ, learning_steps_min=(step,)))
        ids = await _rate_all(pilot, screen, "1")
        await wait_for(pilot, lambda: screen.state == "done")
        summary = screen_text(app)
        assert tr("review.wait_here", "en") in summary
        assert not screen.check_action("continue", ())

        learning.clock.advance(minutes=step - 1)
        await pilot.pause(1.5)
        assert screen.state == "done" and not screen.check_action("continue", ())

        learning.clock.advance(minutes=1)
        await wait_for(pilot, lambda: screen.check_action("continue", ()))
        assert tr("review.due_again", "en", count=len(ids)) in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.state == "card")
        assert sorted(card.id for card in screen.queue) == sorted(ids)
