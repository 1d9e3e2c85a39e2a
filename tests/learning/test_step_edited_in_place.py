"""A text or recap step without an id is kept by its English: an author who fixes a typo in it
must not un-finish the lesson for every learner who had finished it (and send Continue back to
it). Such a step, no longer found by its text, is the step of its kind between the neighbours it
was seen between, found where they are now; anything less certain leaves it unseen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS, load_library
from tests.learning.test_step_keys import FIRST_TEXT_STEP, LESSON, NEW_STEP, edit_lesson, see
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.learning import FixedClock, Learning

# the fixture lesson: 0 text (no id), 1 quiz, 2 exercise, 3 card, 4 recap (no id)
STEPS = 5
TYPO_FIXED = FIRST_TEXT_STEP.replace("A layer keeps", "A layer holds")
RECAP_POINT = '{en: "Weights are (out, in).",'
RECAP_POINT_FIXED = '{en: "Weights are (out, in) shaped.",'


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE_DECKS, tmp_path / "decks"))


def open_learning(config: TutorConfig, library: DeckLibrary, clock: FixedClock) -> Learning:
    return Learning.open(config, library, clock=clock)


def progress_after(
    config: TutorConfig, decks: Path, clock: FixedClock, seen: range, *edits: tuple[str, str]
) -> tuple[int, bool, frozenset[str]]:
    """Seen steps, finished, and locked lessons after seeing ``seen`` and then the ``edits``."""
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, *seen)
    library = load_library(decks)
    for old, new in edits:
        library = edit_lesson(decks, old, new)
    with open_learning(config, library, clock) as learning:
        progress = learning.lesson_progress(LESSON)
        return progress.seen_steps, progress.completed, learning.locked_lessons()


@pytest.mark.parametrize(
    "edit",
    [(FIRST_TEXT_STEP, TYPO_FIXED), (RECAP_POINT, RECAP_POINT_FIXED)],
    ids=["first-text-step", "last-recap-step"],
)
def test_a_step_edited_in_a_finished_lesson_keeps_it_finished(config, decks, clock, edit):
    seen, completed, locked = progress_after(config, decks, clock, range(STEPS), edit)
    assert (seen, completed) == (STEPS, True)
    assert LESSON not in locked


def test_a_step_edited_and_one_added_elsewhere_still_finds_it(config, decks, clock):
    """The new step is new; the edited one is found past it."""
    edits = [(FIRST_TEXT_STEP, TYPO_FIXED), ("  - type: recap\n", NEW_STEP + "  - type: recap\n")]
    seen, completed, _ = progress_after(config, decks, clock, range(STEPS), *edits)
    assert (seen, completed) == (STEPS, False)


def test_a_step_removed_and_another_added_is_no_edit(config, decks, clock):
    """The first text step gone and a new text step after the quiz: the new one is unseen."""
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, *range(STEPS))
    edit_lesson(decks, FIRST_TEXT_STEP, "")
    library = edit_lesson(decks, "  - type: exercise\n", NEW_STEP + "  - type: exercise\n")
    with open_learning(config, library, clock) as learning:
        progress = learning.lesson_progress(LESSON)
        assert (progress.seen_steps, progress.total_steps) == (4, 5)


def test_a_text_step_edited_into_a_recap_is_no_edit(config, decks, clock):
    recap = '  - type: recap\n    points:\n      - {en: "A new recap.", zh: "新的回顾。"}\n'
    seen, _, _ = progress_after(config, decks, clock, range(STEPS), (FIRST_TEXT_STEP, recap))
    assert seen == STEPS - 1


WRAP_UP = (
    '  - type: text\n    title: {en: "Wrap-up", zh: "小结"}\n'
    '    body: {en: "That was the layer.", zh: "层就是这样。"}\n'
)
NEXT_UP = (
    '  - type: text\n    title: {en: "Next up", zh: "下一课"}\n'
    '    body: {en: "Optimizers come next.", zh: "接下来是优化器。"}\n'
)


def test_a_step_removed_before_an_unseen_last_step_leaves_it_unseen(config, decks, clock):
    """Read up to the wrap-up, the last step never shown; the wrap-up removed: the last step is
    the one after a removed step, not an edited one (review: it read 6/6, finished)."""
    lesson = decks / "lesson-tensors.yaml"
    lesson.write_text(lesson.read_text(encoding="utf-8") + WRAP_UP + NEXT_UP, encoding="utf-8")
    seen, completed, _ = progress_after(config, decks, clock, range(STEPS + 1), (WRAP_UP, ""))
    assert (seen, completed) == (STEPS, False)
