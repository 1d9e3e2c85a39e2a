"""A wrong answer brings its related cards forward and the item back into the lesson's review."""

from __future__ import annotations

from tests.learning.conftest import finish_lessons
from tutor.learning import FixedClock, Learning
from tutor.learning.clock import to_ms


def _graduate(learning: Learning, card: str) -> None:
    learning.rate(card, 4)  # Easy: days away
    assert card not in [c.id for c in learning.due_now()]


def test_wrong_quiz_brings_related_cards_forward(learning: Learning, clock: FixedClock):
    # tensors.q-bias names tensors.card-weight; tensors.card-bias names tensors.q-bias
    finish_lessons(learning)
    learning.introduce_card("tensors.card-weight")
    _graduate(learning, "tensors.card-weight")
    _graduate(learning, "tensors.card-bias")
    _graduate(learning, "tensors.card-count")
    clock.advance(hours=1)

    learning.record_quiz("tensors.q-bias", "tensors", correct=True, answer="true")
    assert learning.due_now() == [learning.card("tensors.card-call")]

    learning.record_quiz("tensors.q-bias", "tensors", correct=False, answer="false")
    due = [c.id for c in learning.due_now()]
    assert set(due[:2]) == {"tensors.card-weight", "tensors.card-bias"}
    assert "tensors.card-count" not in due
    assert learning.store.card("tensors.card-weight").due_ms == to_ms(clock.now())
    assert learning.items_to_retry("tensors") == ["tensors.q-bias"]

    learning.record_quiz("tensors.q-bias", "tensors", correct=True, answer="true")
    assert learning.items_to_retry("tensors") == []


def test_failed_exercise_introduces_an_unseen_related_card(learning: Learning):
    assert learning.store.card("tensors.card-count") is None
    learning.record_exercise("tensors.ex-no-bias", "tensors", passed=False, hints_used=2)
    assert learning.store.card("tensors.card-count") is not None
    assert "tensors.card-count" in [c.id for c in learning.due_now()]
    assert learning.items_to_retry("tensors") == ["tensors.ex-no-bias"]
    learning.record_exercise("tensors.ex-no-bias", "tensors", passed=True, hints_used=0)
    assert learning.items_to_retry("tensors") == []


def test_lesson_progress(learning: Learning, clock: FixedClock):
    progress = learning.lesson_progress("tensors")
    assert (progress.seen_steps, progress.total_steps, progress.completed) == (0, 5, False)
    assert progress.mastery == 0.0
    for step in range(5):
        learning.mark_step_seen("tensors", step)
        learning.save_position("tensors", step)
    learning.mark_step_seen("tensors", 2)  # seeing a step twice counts once
    learning.record_quiz("tensors.q-bias", "tensors", True, "true")
    learning.record_exercise("tensors.ex-no-bias", "tensors", True, 0)
    progress = learning.lesson_progress("tensors")
    assert progress.seen_steps == 5 and progress.completed
    assert (progress.quiz_correct, progress.quiz_total) == (1, 1)
    assert 2 / 3 <= progress.mastery < 1.0  # quizzes and exercises perfect, cards not yet known
    assert learning.position("tensors") == 4
    assert learning.position("unknown") is None

    for card in learning.library.review_cards("tensors"):
        learning.rate(card.id, 4)
    fresh = learning.lesson_progress("tensors").mastery
    clock.advance(days=60)
    assert learning.lesson_progress("tensors").mastery < fresh  # memory fades, so does mastery
