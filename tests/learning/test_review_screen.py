"""The review screen through Textual's pilot: reveal, rate, undo, flag; and its snapshots."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Button, Markdown

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ, finish_lessons
from tests.learning.tui_helpers import make_app, review_first_card, settle
from tests.tui.conftest import drawn, wait_for
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning import FixedClock, Learning, SchedulerSettings
from tutor.screens.review import ReviewScreen

SIZE = (100, 32)


async def test_reveal_rate_undo(config):
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        assert [c.id for c in screen.queue] == [
            "tensors.card-count",
            "tensors.card-bias",
            "tensors.card-call",
        ]
        buttons = screen.query_one("#rating-buttons")
        assert not buttons.display and not screen.query_one("#card-back").display

        await pilot.press("3")  # rating before revealing does nothing
        assert learning.store.review_count() == 0

        await pilot.press("space")
        assert screen.revealed and buttons.display
        label = str(screen.query_one("#rate-3", Button).label)
        assert label == "3 Good · 10 min"
        assert str(screen.query_one("#rate-4", Button).label) == "4 Easy · 8 d"

        await pilot.press("3")
        await wait_for(pilot, lambda: screen.card.id == "tensors.card-bias")
        assert learning.store.review_count() == 1
        assert not screen.revealed

        await pilot.press("u")
        await wait_for(pilot, lambda: screen.card.id == "tensors.card-count")
        assert learning.store.review_count() == 0
        assert learning.store.card("tensors.card-count") is None
        assert screen.session.ratings == []

        await pilot.press("f")
        await pilot.pause()
        assert learning.store.flags()[0][0] == "tensors.card-count"

        for _ in range(3):  # Easy on everything: the session ends
            await pilot.press("enter")
            await pilot.press("4")
            await pilot.pause()
        await wait_for(pilot, lambda: screen.state == "done")
        assert learning.store.review_count() == 3
        summary = str(screen.query_one("#review-summary").render())
        assert "Cards: 3" in summary and "Accuracy: 100%" in summary
        assert "Next card due in 8 d" in summary


async def test_the_summary_counts_cards_apart_from_ratings(config):
    """A card rated Again comes back in the same sitting: three cards rated four times were
    "Cards: 4"."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        _learning, screen = await review_first_card(pilot, app)
        again = screen.card.id
        await pilot.press("space", "1")
        for _ in range(3):  # the other two, then the first again (due in a minute, learnt ahead)
            await wait_for(pilot, lambda: screen.state == "card" and not screen.revealed)
            await pilot.press("space", "4")
        await wait_for(pilot, lambda: screen.state == "done")
        assert [card for card, _ in screen.session.ratings].count(again) == 2
        summary = str(screen.query_one("#review-summary").render())
        assert "Cards: 3 · 4 ratings" in summary, summary


def test_the_sessions_time_stops_at_its_last_rating(monkeypatch):
    """The summary's time went on counting while the learner was on other screens."""
    from tutor.screens import review

    now = iter([130.0, 400.0])
    monkeypatch.setattr(review.time, "monotonic", lambda: next(now))
    session = review.Session(started=100.0)
    session.rated("a", 3)  # rated at 130
    assert session.seconds == 30  # read at any later time
    assert session.cards == 1


def test_the_sessions_time_leaves_out_the_wait_before_its_first_card_and_time_away(monkeypatch):
    """QA: the summary counted from the screen's opening (a learner idle on it before the first
    card) and the time spent in a card's lesson (``e``) between two ratings."""
    from tutor.screens import review

    now = iter([100.0, 130.0, 500.0])
    monkeypatch.setattr(review.time, "monotonic", lambda: next(now))
    session = review.Session()
    session.left_for(40.0, 90.0)  # before any card: nothing to leave out
    assert session.seconds == 0
    session.begin()  # the first card, at 100
    session.left_for(95.0, 105.0)  # the card came up under help: 5 s of it were away
    session.left_for(110.0, 125.0)  # 15 s in a lesson, between the first card and its rating
    session.rated("a", 3)  # at 130
    session.left_for(200.0, 500.0)  # after the last rating: the summary stays as it was
    assert session.seconds == 10


async def test_undo_of_a_rating_another_nn_tutor_rated_over_says_so(config):
    """Another nn-tutor rated the card after this screen did: undo leaves the card as the other
    left it and says why, rather than "Nothing to undo" with a rating plainly made."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        rated = screen.queue[0].id
        await pilot.press("space")
        await pilot.press("3")
        await wait_for(pilot, lambda: screen.card.id != rated)
        with Learning.open(app.config, app.library, settings=NO_FUZZ, clock=FixedClock()) as other:
            other.rate(rated, 1)
            theirs = other.store.card(rated)

        await pilot.press("u")
        said = tr("review.undo_rated_since", "en")
        await wait_for(pilot, lambda: said in [note.message for note in app._notifications])
        assert tr("review.nothing_to_undo", "en") not in [n.message for n in app._notifications]
        assert learning.store.card(rated) == theirs
        assert screen.card.id != rated  # the screen stays on the card it shows


async def test_review_of_one_deck_and_markdown_back(config):
    app = make_app(config, lang="zh")
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app)  # a deck picked by id does not wait for its lesson
        await app.learning_call(lambda store: store.introduce_card("tensors.card-weight"))
        screen = ReviewScreen(deck_id="tensors-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        assert "tensors.card-weight" not in [c.id for c in screen.queue]
        await pilot.press("space")
        await pilot.pause()
        back = screen.query_one("#card-back", Markdown)
        assert "六个权重" in back.source
        assert str(screen.query_one("#rate-1", Button).label).startswith("1 重来")
        assert learning.store.review_count() == 0


async def test_deck_cards_wait_for_their_lesson(config):
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = ReviewScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "done")
        assert screen.queue == []
        summary = str(screen.query_one("#review-summary").render())
        assert "Nothing due right now" in summary
        assert "Flashcards waiting for their lesson: 3" in summary

        await app.learning_call(finish_lessons)
        await app.pop_screen()
        screen = ReviewScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        assert len(screen.queue) == 3


def _review_snapshot(config, lang: str, state: str):
    """The review screen showing a card's ``front``, its ``revealed`` back, or (for a learner
    who has finished no lesson) the ``waiting`` summary."""
    app = make_app(config, lang=lang)

    async def run_before(pilot) -> None:
        await settle(pilot, app, lessons_finished=state != "waiting")
        screen = ReviewScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == ("done" if state == "waiting" else "card"))
        if state == "revealed":
            await pilot.press("space")
        await pilot.pause(0.1)

    return app, run_before


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", ["front", "revealed", "waiting"])
def test_review_snapshot(snap_compare, config, lang, state):
    app, run_before = _review_snapshot(config, lang, state)
    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


NARROW = (60, 32)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_review_narrow_snapshot(snap_compare, config, lang):
    """Below 80 columns each rating button puts its interval on a second line. The app's toast
    about the narrow terminal is cleared: it would cover the buttons."""
    app, reveal = _review_snapshot(config, lang, "revealed")

    async def run_before(pilot) -> None:
        await reveal(pilot)
        app.clear_notifications()
        await pilot.pause(0.1)

    assert snap_compare(app, run_before=run_before, terminal_size=NARROW)


async def back_and_rate(pilot, screen: ReviewScreen, card: str) -> int:
    """Close the screen over the review, reveal and rate ``card`` Good: its kept duration (ms)."""
    app = pilot.app
    app.pop_screen()
    await wait_for(pilot, lambda: app.screen is screen)
    await pilot.press("space", "3")
    await wait_for(pilot, lambda: screen.session.ratings)
    return await app.learning_call(
        lambda learning: learning.store.conn.execute(
            "SELECT duration_ms FROM reviews JOIN cards ON cards.id = reviews.card_id "
            "WHERE card_key = ?",
            (card,),
        ).fetchone()[0]
    )


async def test_a_ratings_time_leaves_out_the_time_on_another_screen(config):
    """The time kept with a rating counted the minutes spent in the card's lesson (``e``) or in
    help before it was rated (QA): the time away from the card is left out."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        _, screen = await review_first_card(pilot, app)
        card = screen.queue[0].id
        screen._shown_at = time.monotonic() - 1.0  # looked at for a second so far
        app.action_help()
        await wait_for(pilot, lambda: app.screen is not screen)
        await pilot.pause(3.0)  # away, reading help
        duration = await back_and_rate(pilot, screen, card)
        assert 1000 <= duration < 3500, duration  # not the 4 s and more with help counted


async def test_a_card_that_came_up_under_another_screen_has_no_negative_time(config):
    """Help opened while the review still loaded (a slow store): the first card came up under
    it, and all the time in help was taken off the card's, which was shown for less, so its
    rating was kept with a negative duration and the summary read "-1:59" (review)."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        slow = learning.session_queue

        def session_queue(*args, **kwargs):  # another nn-tutor's lock, a slow disk
            time.sleep(1.0)
            return slow(*args, **kwargs)

        learning.session_queue = session_queue
        screen = ReviewScreen()
        await app.push_screen(screen)
        await pilot.pause(0.1)
        app.action_help()  # "?" while the cards load
        await wait_for(pilot, lambda: app.screen is not screen)
        await wait_for(pilot, lambda: screen.state == "card")  # under help
        await pilot.pause(1.5)
        duration = await back_and_rate(pilot, screen, screen.queue[0].id)
        assert duration >= 0 and screen.session.seconds >= 0, (duration, screen.session.seconds)


async def test_undo_back_past_a_card_that_came_back_queues_it_once(config):
    """A rated Again came back (learn-ahead) after B and C; three undos put A first again, but
    the queue still held the A that came back: it was shown and rated twice, one more review in
    the store than ratings made (QA)."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        again = screen.card.id
        await pilot.press("space", "1")
        for _ in range(2):
            await wait_for(pilot, lambda: screen.state == "card" and not screen.revealed)
            await pilot.press("space", "4")
        await wait_for(pilot, lambda: screen.state == "card" and screen.card.id == again)
        for _ in range(3):
            await pilot.press("u")
            await pilot.pause(0.3)
        ids = [card.id for card in screen.queue]
        assert ids[0] == again and ids.count(again) == 1, ids
        while screen.state == "card":
            await pilot.press("space", "4")
            await pilot.pause(0.2)
        await wait_for(pilot, lambda: screen.state == "done")
        assert learning.store.review_count() == len(screen.session.ratings) == 3


class FakeTime:
    """The review screen's clock (``time.monotonic``), moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


async def test_the_wait_on_the_summary_for_a_card_due_again_is_no_time_on_cards(
    config, monkeypatch
):
    """The sitting's summary counted the half hour the learner waited on it for a card rated
    Again to come due, then the card: "Time: 30:40" for 40 s on cards (QA)."""
    from tutor.screens import review

    fake = FakeTime()
    monkeypatch.setattr(review, "time", fake)
    clock = FixedClock()
    steps = SchedulerSettings(enable_fuzzing=False, learning_steps_min=(30.0,))
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lessons_finished=True, settings=steps, clock=clock)
        screen = ReviewScreen()
        await app.push_screen(screen)
        for rating in ("1", "4", "4"):
            await wait_for(pilot, lambda: screen.state == "card" and not screen.revealed)
            fake.now += 10  # ten seconds a card
            await pilot.press("space", rating)
        await wait_for(pilot, lambda: screen.state == "done")
        fake.now += 1800  # half an hour on the summary, waiting for the card rated Again
        clock.advance(minutes=31)
        await wait_for(pilot, lambda: bool(screen.due_again), tries=400)
        await pilot.press("space")
        await wait_for(pilot, lambda: screen.state == "card")
        fake.now += 10
        await pilot.press("space", "4")
        await wait_for(pilot, lambda: screen.state == "done")
        assert screen.session.seconds == 40


async def test_e_is_offered_only_where_the_cards_lesson_is_loaded(tmp_path):
    """A card deck whose lesson is not loaded (its file removed, or skipped for an error): the
    footer offered "e Lesson", and e only said there was no such lesson (QA)."""
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "cards-tensors.yaml").write_bytes((FIXTURE_DECKS / "cards-tensors.yaml").read_bytes())
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(decks)], lang="en")
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        screen = ReviewScreen(deck_id="tensors-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        assert screen.card.lesson_id == "tensors"
        assert not screen.check_action("open_lesson", ())
        assert "Lesson" not in drawn(app).splitlines()[-1]


def test_a_card_flagged_twice_is_flagged_once(learning):
    """f pressed twice kept two rows, and stats listed the card twice among the flagged (QA)."""
    learning.flag("tensors.card-count")
    learning.flag("tensors.card-count")
    learning.flag("tensors.card-count", "a typo in the back")
    assert [(key, note) for key, note, _ in learning.store.flags()] == [
        ("tensors.card-count", "a typo in the back"),
        ("tensors.card-count", ""),
    ]
