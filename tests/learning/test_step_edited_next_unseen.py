"""A text step the learner has read, edited by the author before the learner went on (the step
after it never seen): it keeps its "seen" mark, held from below by the step that came after it
when it was seen, found where it is now. Removing the step instead still leaves the step that
takes its place unseen."""

from __future__ import annotations

from tests.learning.conftest import load_library
from tests.learning.test_step_edited_in_place import (
    FIRST_TEXT_STEP,
    NEXT_UP,
    STEPS,
    TYPO_FIXED,
    WRAP_UP,
    decks,  # noqa: F401 (a fixture)
    progress_after,
)
from tests.learning.test_step_id_given import REWRITTEN
from tests.learning.test_step_keys import LESSON, NEW_STEP, edit_lesson, open_learning, see


def test_a_text_step_edited_before_the_next_is_seen_stays_seen(config, decks, clock):  # noqa: F811
    seen, completed, _ = progress_after(
        config, decks, clock, range(1), (FIRST_TEXT_STEP, TYPO_FIXED)
    )
    assert (seen, completed) == (1, False)


def test_a_middle_text_step_edited_before_the_next_is_seen_stays_seen(config, decks, clock):  # noqa: F811
    """Read up to the wrap-up, the step after it (the last) never shown; the wrap-up edited."""
    lesson = decks / "lesson-tensors.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8") + WRAP_UP + NEXT_UP, encoding="utf-8")
    edited = WRAP_UP.replace("That was the layer.", "That was one layer.")
    seen, completed, _ = progress_after(config, decks, clock, range(STEPS + 1), (WRAP_UP, edited))
    assert (seen, completed) == (STEPS + 1, False)


def test_a_text_step_removed_before_the_next_is_seen_leaves_that_one_unseen(
    config,
    decks,  # noqa: F811
    clock,
):
    """A new first step read, the next never shown; the new step removed: the text step now
    first is the one that came after it, unseen, not an edit of it."""
    edit_lesson(decks, FIRST_TEXT_STEP, NEW_STEP + FIRST_TEXT_STEP)
    seen, completed, _ = progress_after(config, decks, clock, range(1), (NEW_STEP, ""))
    assert (seen, completed) == (0, False)


def test_a_text_seen_alone_whose_english_changed_as_it_got_its_id_stays_seen(
    config,
    decks,  # noqa: F811
    clock,
):
    """Only it seen, then rewritten and given an id: found by its place all the same."""
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, 0)
    with open_learning(config, edit_lesson(decks, FIRST_TEXT_STEP, REWRITTEN), clock) as learning:
        assert learning.lesson_progress(LESSON).seen_steps == 1
        assert learning.resume_step(LESSON) == 0
