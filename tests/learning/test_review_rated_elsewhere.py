"""Cards another nn-tutor rated while this one's review is open are not shown again.

Two nn-tutors on one data dir: A has the review open, B rates A's queue. A refused only the card
it was showing; it went on to show the cards B had just rated (their rows read as each came up,
so nothing was "changed since shown") and kept second ratings of them, while "to go" still
counted them. A's course map kept its count of cards due until the screen was shown again.
"""

from __future__ import annotations

from typing import Any

from textual import events

from tests.learning.conftest import NO_FUZZ
from tests.learning.tui_helpers import make_app, review_first_card, settle
from tests.tui.conftest import wait_for
from tutor.i18n import tr
from tutor.learning import FixedClock, Learning

SIZE = (100, 32)


def _rate_elsewhere(app: Any, card_ids: list[str], rating: int = 3) -> int:
    """Another nn-tutor (its own store connection) rates ``card_ids``; its review count after."""
    with Learning.open(app.config, app.library, settings=NO_FUZZ, clock=FixedClock()) as other:
        for card_id in card_ids:
            other.rate(card_id, rating)
        return other.store.review_count()


def _notes(app: Any) -> list[str]:
    return [note.message for note in app._notifications]


async def test_cards_rated_elsewhere_since_the_queue_was_read_are_skipped(config):
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        queue = [card.id for card in screen.queue]
        assert len(queue) >= 3
        current, elsewhere, last = queue[0], queue[1:-1], queue[-1]
        theirs = _rate_elsewhere(app, elsewhere)
        await pilot.press("space")
        await pilot.press("3")  # the card on screen: B never rated it, so it is kept
        await wait_for(pilot, lambda: screen.card is not None and screen.card.id != current)
        assert screen.card.id == last  # B's cards are passed over
        assert not set(elsewhere) & {card.id for card in screen.queue}
        # to go: the last card, and the card just rated Good coming back in 10 min; not B's
        # cards, which B's learning steps would bring back within the sitting too
        assert screen.waiting == 1 and len(screen.queue) == 1
        status = str(screen.query_one("#review-status").render())
        assert tr("review.progress", "en", ratings=1, left=2) in status
        said = tr("review.rated_elsewhere", "en", count=len(elsewhere))
        await wait_for(pilot, lambda: said in _notes(app))
        # the rest of the sitting never brings them back either (the clock is frozen: the
        # learning steps are learned ahead once the queue runs out)
        shown = await _rate_through(pilot, screen, 20)
        assert screen.state == "done"
        assert not set(elsewhere) & set(shown)
        assert learning.store.review_count() == theirs + len(shown) + 1


async def test_a_queue_rated_elsewhere_whole_ends_the_sitting_without_second_ratings(config):
    """The QA run: B rates every card of A's queue, the one A shows included; A's rating of it
    is refused, and A shows none of the others."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        theirs = _rate_elsewhere(app, [card.id for card in screen.queue])
        await pilot.press("space")
        await pilot.press("3")
        await wait_for(pilot, lambda: screen.state == "done")
        assert tr("review.card_changed", "en") in _notes(app)
        assert learning.store.review_count() == theirs
        assert screen.session.ratings == []


async def test_a_card_rated_elsewhere_as_it_comes_up_is_refused(config):
    """B rates a card the moment A reads it to show it: A's rating is made on the card as A's
    queue had it, and is refused, not kept as a second rating."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        second = screen.queue[1].id
        read_shown = learning.shown
        rated: list[int] = []

        def shown_as_b_rates(card_id: str) -> Any:
            if card_id == second and not rated:
                rated.append(_rate_elsewhere(app, [second]))
            return read_shown(card_id)

        learning.shown = shown_as_b_rates
        await pilot.press("space")
        await pilot.press("3")
        await wait_for(pilot, lambda: screen.card is not None and screen.card.id == second)
        assert rated
        await pilot.press("space")
        await pilot.press("3")
        await wait_for(pilot, lambda: tr("review.card_changed", "en") in _notes(app))
        assert learning.store.review_count() == rated[0]  # A's first rating and B's, no more


async def test_the_course_map_recounts_when_the_learner_comes_back_to_it(config):
    """B rates every card due while A's course map is shown; when A's terminal gets the focus
    back (the learner turns to it), its count is read again."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        home = app.screen
        await wait_for(pilot, lambda: home.id == "home" and home.due == learning.due_count() > 0)
        app.post_message(events.AppBlur())  # the learner turns to B's window
        await pilot.pause()
        _rate_elsewhere(app, [card.id for card in learning.due_now()], rating=4)
        assert learning.due_count() == 0
        app.post_message(events.AppFocus())  # and back to A's
        await wait_for(pilot, lambda: home.due == 0)
        assert tr("home.due", "en", count=0) in str(home.query_one("#today").render())


async def _rate_through(pilot: Any, screen: Any, most: int = 40) -> list[str]:
    """Show and rate Good every card the sitting offers; the ids shown, in order."""
    shown = []
    for _ in range(most):
        if screen.state != "card":
            break
        shown.append(screen.card.id)
        await pilot.press("space")
        await pilot.press("3")
        await pilot.pause()
    return shown


async def test_a_card_rated_elsewhere_then_undone_there_comes_back(config):
    """Passed over as rated elsewhere, a card undone there is due as before: the sitting that
    kept it out for good ended saying nothing was left while it was due."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        _, screen = await review_first_card(pilot, app)
        current, other_card = screen.queue[0].id, screen.queue[1].id
        other = Learning.open(app.config, app.library, settings=NO_FUZZ, clock=FixedClock())
        other.rate(other_card, 3)
        await pilot.press("space")
        await pilot.press("3")  # the next card comes up: the one rated elsewhere is passed over
        await wait_for(pilot, lambda: screen.card is not None and screen.card.id != current)
        assert other_card not in [card.id for card in screen.queue]
        assert other.undo() == other_card
        other.close()
        assert other_card in await _rate_through(pilot, screen)


async def test_a_card_rated_again_elsewhere_is_offered_when_it_falls_due(config):
    """Rated Again in a window since closed: the summary promised it in a minute, and the
    watch never offered it, though due."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        other_card = screen.queue[1].id
        _rate_elsewhere(app, [other_card], rating=1)
        await _rate_through(pilot, screen)
        learning.clock.advance(minutes=2)
        await wait_for(
            pilot, lambda: other_card in [card.id for card in screen.due_again], tries=400
        )
