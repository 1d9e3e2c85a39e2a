"""FSRS through the store: the stored state is exactly what the fsrs package computes."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ, finish_lessons, load_library
from tutor.decks import DeckLoader
from tutor.learning import FixedClock, Learning, SchedulerSettings, format_interval
from tutor.learning.clock import from_ms
from tutor.learning.scheduler import split_interval


def test_ratings_match_fsrs_and_keep_a_stable_integer_id(learning: Learning, clock: FixedClock):
    card_id = "tensors.card-count"
    reference = Scheduler(enable_fuzzing=False)
    expected: Card | None = None
    row_id = None
    for rating, wait in [(3, 0), (3, 10), (3, 60 * 24 * 3), (1, 60 * 24 * 9), (3, 10)]:
        clock.advance(minutes=wait)
        learning.rate(card_id, rating)
        row = learning.store.card(card_id)
        assert row is not None
        row_id = row.id if row_id is None else row_id
        assert row.id == row_id  # fsrs sees one integer id for the card's whole life
        if expected is None:
            expected = Card(card_id=row.id, due=clock.now())
        expected, _ = reference.review_card(expected, Rating(rating), clock.now())
        assert from_ms(row.due_ms) == expected.due
        assert row.state == expected.state
        assert row.stability == pytest.approx(expected.stability)
        assert row.difficulty == pytest.approx(expected.difficulty)
    assert learning.store.review_count() == 5


def test_new_card_graduates_through_learning_steps(learning: Learning, clock: FixedClock):
    card_id = "tensors.card-bias"
    finish_lessons(learning)
    assert card_id in [c.id for c in learning.due_now()]
    learning.rate(card_id, 3)
    assert card_id not in [c.id for c in learning.due_now()]  # next step: 10 minutes
    clock.advance(minutes=10)
    assert card_id in [c.id for c in learning.due_now()]
    learning.rate(card_id, 3)
    row = learning.store.card(card_id)
    assert row.state == State.Review
    assert from_ms(row.due_ms) - clock.now() >= timedelta(days=1)


def test_next_intervals_are_the_button_labels(learning: Learning, clock: FixedClock):
    assert learning.next_intervals("tensors.card-call") == {1: "1m", 2: "6m", 3: "10m", 4: "8d"}
    learning.rate("tensors.card-call", 3)
    labels = learning.next_intervals("tensors.card-call")
    assert labels[1] == "1m" and labels[3].endswith("d")
    # previewing does not change anything
    assert learning.store.review_count() == 1


def test_new_cards_per_day_limit(config, library, clock: FixedClock):
    settings = SchedulerSettings(enable_fuzzing=False, new_per_day=2)
    with Learning.open(config, library, settings=settings, clock=clock) as learning:
        finish_lessons(learning)
        first = [c.id for c in learning.due_now()]
        assert len(first) == 2
        learning.rate(first[0], 4)
        learning.rate(first[1], 4)
        assert learning.due_now() == []  # both scheduled days out, no new left today
        assert learning.new_left_today() == 0
        clock.advance(days=1)
        assert len(learning.due_now()) == 1  # the last card-deck card; limit reset


def test_introduced_lesson_card_is_queued_outside_the_new_limit(config, library, clock):
    settings = SchedulerSettings(enable_fuzzing=False, new_per_day=0)
    with Learning.open(config, library, settings=settings, clock=clock) as learning:
        assert learning.due_now() == []
        learning.introduce_card("tensors.card-weight")
        assert [c.id for c in learning.due_now()] == ["tensors.card-weight"]
        assert [c.id for c in learning.due_now(deck_id="tensors-cards")] == []
        with pytest.raises(KeyError):
            learning.introduce_card("no.such-card")


def test_settings_persist_and_fitted_parameters_are_used(config, library, clock):
    with Learning.open(config, library, clock=clock) as learning:
        learning.update_settings(SchedulerSettings(desired_retention=0.85, new_per_day=5))
        params = [p * 1.01 if i < 4 else p for i, p in enumerate(Scheduler().parameters)]
        learning.save_parameters(params)
    with Learning.open(config, library, clock=clock) as learning:
        assert learning.settings.desired_retention == 0.85
        assert learning.settings.new_per_day == 5
        assert learning.settings.parameters == pytest.approx(tuple(params))
    with pytest.raises(ValueError):
        SchedulerSettings(desired_retention=1.5)


def test_rating_must_be_one_to_four(learning: Learning):
    with pytest.raises(ValueError):
        learning.rate("tensors.card-call", 5)
    assert learning.store.review_count() == 0


@pytest.mark.parametrize(
    ("delta", "label"),
    [
        (timedelta(seconds=30), "30s"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=45), "1.5mo"),
        (timedelta(days=730), "2y"),
        # just under a unit rounds up to that unit, not to 60 of the one below
        (timedelta(seconds=59.6), "1m"),
        (timedelta(minutes=59.7), "1h"),
        (timedelta(hours=23.6), "1d"),
        (timedelta(days=29.6), "1mo"),
        (timedelta(days=364.9), "1y"),
    ],
)
def test_format_interval(delta, label):
    assert format_interval(delta) == label
    number, unit = split_interval(label)
    assert number + unit == label and not unit[0].isdigit()


def test_fuzz_setting_reaches_fsrs(config, library, clock):
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        assert learning.scheduler._fsrs.enable_fuzzing is False
    with Learning.open(config, library, clock=clock) as learning:
        assert learning.scheduler._fsrs.enable_fuzzing is True


def test_deck_cards_wait_until_their_lesson_is_finished(learning: Learning):
    deck_cards = {"tensors.card-count", "tensors.card-bias", "tensors.card-call"}
    assert learning.locked_lessons() == {"tensors"}
    assert learning.due_now() == []
    assert learning.locked_card_count() == 3
    assert (learning.stats()["new_available"], learning.stats()["waiting_for_lesson"]) == (0, 3)
    # picking the deck (or its lesson) by id is the learner's choice: nothing waits
    assert {c.id for c in learning.due_now(deck_id="tensors-cards")} == deck_cards
    assert {c.id for c in learning.due_now(deck_id="tensors")} == deck_cards

    for step in range(4):
        learning.mark_step_seen("tensors", step)
    learning.mark_step_seen("tensors", 7)  # a step the lesson no longer has does not count
    assert learning.due_now() == []
    learning.mark_step_seen("tensors", 4)  # the last of its 5 steps
    assert learning.locked_lessons() == frozenset()
    assert {c.id for c in learning.due_now()} == deck_cards
    assert learning.locked_card_count() == 0


def test_a_deck_written_for_no_lesson_is_offered_at_once(config, tmp_path, clock):
    decks = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, decks)
    path = decks / "cards-tensors.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("lesson: tensors\n", ""), "utf-8")
    library = load_library(decks)
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        assert learning.locked_lessons() == {"tensors"}
        assert len(learning.due_now()) == 3
        assert learning.locked_card_count() == 0


def test_a_lesson_skipped_for_an_error_keeps_its_cards_waiting(config, tmp_path, clock):
    """Its deck left out for an author's slip, a lesson cannot be finished: its cards went into
    the daily review at once (QA), about what the course had not shown."""
    decks = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, decks)
    path = decks / "lesson-tensors.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "bogus: 1\n", "utf-8")
    library = DeckLoader([decks]).load()
    assert [lesson.id for lesson in library.lessons] == [] and len(library.card_decks) == 1
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        assert learning.locked_lessons() == {"tensors"}
        assert learning.due_now() == [] and learning.locked_card_count() == 3
        assert len(learning.due_now(deck_id="tensors-cards")) == 3  # picked by id: offered


def test_the_due_count_changes_next_when_a_card_comes_within_the_learn_ahead(
    config, library, clock: FixedClock
):
    """``next_count_change`` is always ahead of now (the course map reads the count again
    then): a card's due time, a learning step's learn-ahead start (only those are learned
    ahead), the day's end, whichever comes first."""
    from tutor.learning.service import LEARN_AHEAD

    steps = SchedulerSettings(enable_fuzzing=False, learning_steps_min=(1.0, 30.0), new_per_day=0)
    with Learning.open(config, library, settings=steps, clock=clock) as learning:
        finish_lessons(learning)
        review, step = "tensors.card-count", "tensors.card-bias"
        learning.rate(step, 1)  # Again: due in a minute, within the learn-ahead at once
        assert learning.due_count() == 1
        assert learning.next_count_change() == from_ms(learning.store.card(step).due_ms)
        clock.advance(minutes=2)
        learning.rate(step, 4)  # Easy: graduates, days on
        learning.rate(review, 4)
        review_due = from_ms(learning.store.card(review).due_ms)
        # a review card is not learned ahead: the count changes when it is due, or at midnight
        assert learning.next_count_change() == min(review_due, clock.end_of_today())
        clock.at = review_due - timedelta(minutes=15)
        learning.rate("tensors.card-weight", 3)  # Good on a new card: its 30-minute step
        step_due = from_ms(learning.store.card("tensors.card-weight").due_ms)
        assert step_due - clock.now() == timedelta(minutes=30)
        # that step comes within the learn-ahead 10 minutes on, before the review card is due
        assert learning.next_count_change() == step_due - LEARN_AHEAD
        clock.at = step_due + timedelta(days=400)
        assert learning.next_count_change() > clock.now()
