"""A card rated in one nn-tutor while another shows it is not rated twice.

Each review screen takes its queue when it opens; a second nn-tutor on the same store (another
TUI, another sitting) may rate a card the first still shows, or start the day's last new card.
The rating made on what the learner saw is then refused, and the screen goes on to its next
card with a one-line notice.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.learning.conftest import NO_FUZZ, finish_lessons
from tests.learning.tui_helpers import make_app, review_first_card
from tests.tui.conftest import wait_for
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.i18n import tr
from tutor.learning import CardChanged, FixedClock, Learning, SchedulerSettings

SIZE = (100, 32)


def test_a_card_rated_elsewhere_since_it_was_shown_is_refused(config, library, clock):
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as mine:
        finish_lessons(mine)
        card = mine.due_now()[0].id
        shown = mine.shown(card)
        with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as other:
            other.rate(card, 3)
            theirs = other.store.card(card)
        with pytest.raises(CardChanged):
            mine.rate(card, 1, shown=shown)
        assert mine.store.review_count() == 1 and mine.store.card(card) == theirs
        mine.rate(card, 1, shown=mine.shown(card))  # shown again as it is now: rated
        assert mine.store.review_count() == 2


def test_shown_carries_the_buttons_waits_and_the_edit_mark_of_the_same_row(
    config: TutorConfig, library: DeckLibrary, clock: FixedClock
) -> None:
    """The review screen reads a card once as it shows it: ``shown`` gives the waits and the
    edit mark :meth:`next_intervals` and :meth:`is_edited` give, never rated and rated."""
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        finish_lessons(learning)
        card = learning.due_now()[0].id
        fresh = learning.shown(card)
        assert fresh.intervals == learning.next_intervals(card) and fresh.last_ms is None
        learning.rate(card, 1, shown=fresh)
        again = learning.shown(card)
        assert again.intervals == learning.next_intervals(card) != fresh.intervals
        assert again.edited is learning.is_edited(card) is False
        with learning.store.write():  # the row as an older text of the card left it
            learning.store.update_card(replace(learning.store.card(card), content_hash="old"))
        assert learning.shown(card).edited is learning.is_edited(card) is True


def test_the_days_last_new_card_started_elsewhere_refuses_another(
    config: TutorConfig, library: DeckLibrary, clock: FixedClock
):
    one_a_day = SchedulerSettings(enable_fuzzing=False, new_per_day=1)
    with Learning.open(config, library, settings=one_a_day, clock=clock) as mine:
        finish_lessons(mine)
        with Learning.open(config, library, settings=one_a_day, clock=clock) as other:
            offered = mine.due_now()
            assert len(offered) == 1
            shown = mine.shown(offered[0].id)
            theirs = next(c for c in library.review_cards("tensors-cards") if c != offered[0])
            other.rate(theirs.id, 3, shown=other.shown(theirs.id))  # the day's one new card
        with pytest.raises(CardChanged):
            mine.rate(offered[0].id, 3, shown=shown)
        assert mine.new_left_today() == 0 and mine.store.review_count() == 1


async def test_the_screen_skips_a_card_rated_elsewhere_with_a_notice(config):
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        shown = screen.card.id
        with Learning.open(app.config, app.library, settings=NO_FUZZ, clock=FixedClock()) as other:
            other.rate(shown, 3)
            theirs = other.store.card(shown)
        await pilot.press("space")
        await pilot.press("1")
        said = tr("review.card_changed", "en")
        await wait_for(pilot, lambda: said in [note.message for note in app._notifications])
        assert learning.store.review_count() == 1 and learning.store.card(shown) == theirs
        assert screen.card is None or screen.card.id != shown  # on to the next card
        assert screen.session.ratings == []  # not counted as this sitting's
