"""docs/deck-format.md advises giving an id to a text or recap step one expects to edit. An author
who follows it on a released deck must not reset those steps for every learner: a step kept by its
text (before it had an id) is still found by that text while its English reads the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ, load_library, store_writes_of
from tests.learning.test_step_keys import FIRST_TEXT_STEP, LESSON, NEW_STEP, edit_lesson, see
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.learning import FixedClock, Learning

RECAP_STEP = "  - type: recap\n"
INTRO_ID = "    id: tensors.intro\n"
# the fixture lesson: 0 text (no id), 1 quiz, 2 exercise, 3 card, 4 recap (no id)
LAST_STEP = 4


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A copy of the fixture decks that a test may edit as a deck author would."""
    return Path(shutil.copytree(FIXTURE_DECKS, tmp_path / "decks"))


def open_learning(config: TutorConfig, library: DeckLibrary, clock: FixedClock) -> Learning:
    return Learning.open(config, library, settings=NO_FUZZ, clock=clock)


def with_id(step: str, id_line: str) -> str:
    """``step`` (its YAML, ``- type:`` line first) with an ``id`` line right below its type."""
    first, rest = step.split("\n", 1)
    return f"{first}\n{id_line}{rest}"


def give_ids(decks: Path) -> DeckLibrary:
    """The lesson's untitled text and recap steps get ids, their text left as it was."""
    edit_lesson(decks, FIRST_TEXT_STEP, with_id(FIRST_TEXT_STEP, INTRO_ID))
    return edit_lesson(decks, RECAP_STEP, with_id(RECAP_STEP, "    id: tensors.recap\n"))


def test_ids_given_to_text_and_recap_steps_keep_a_finished_lesson_finished(config, decks, clock):
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, *range(LAST_STEP + 1))
        assert learning.lesson_progress(LESSON).completed
        assert learning.locked_card_count() == 0
    with open_learning(config, give_ids(decks), clock) as learning:
        progress = learning.lesson_progress(LESSON)
        assert (progress.seen_steps, progress.total_steps) == (5, 5)
        assert progress.completed
        assert LESSON not in learning.locked_lessons()
        assert learning.locked_card_count() == 0  # its card deck's cards are not held back again
        assert any(card.deck_id == "tensors-cards" for card in learning.due_now())
        assert learning.position(LESSON) == LAST_STEP
        assert learning.resume_step(LESSON) == 0  # a finished lesson reads again from the top


def test_the_saved_position_follows_a_text_step_that_got_an_id_and_a_step_above(
    config, decks, clock
):
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, 0)
    # one edit: a step added at the top, and an id for the step the learner left off on
    library = edit_lesson(
        decks,
        "steps:\n" + FIRST_TEXT_STEP,
        "steps:\n" + NEW_STEP + with_id(FIRST_TEXT_STEP, INTRO_ID),
    )
    with open_learning(config, library, clock) as learning:
        assert learning.position(LESSON) == 1
        assert learning.resume_step(LESSON) == 1
        assert learning.lesson_progress(LESSON).seen_steps == 1
        see(learning, 1)  # seen again, now by its id: still one step
        assert learning.lesson_progress(LESSON).seen_steps == 1


REWRITTEN = with_id(FIRST_TEXT_STEP, INTRO_ID).replace(
    "A layer keeps **parameters**.", "A layer holds its parameters."
)


def test_a_text_whose_english_changed_as_it_got_its_id_is_found_by_its_place(config, decks, clock):
    """Found by its text no more, it is the step between its neighbours as they were seen
    (see tests/learning/test_step_edited_in_place.py)."""
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, *range(LAST_STEP + 1))
    with open_learning(config, edit_lesson(decks, FIRST_TEXT_STEP, REWRITTEN), clock) as learning:
        progress = learning.lesson_progress(LESSON)
        assert (progress.seen_steps, progress.completed) == (5, True)
        assert learning.resume_step(LESSON) == 0


@pytest.mark.parametrize("given", [0, 1], ids=["first-of-two", "second-of-two"])
def test_an_id_given_to_one_of_two_identical_steps_keeps_them_apart(config, decks, clock, given):
    """Two identical untitled text steps are told apart by occurrence (``#2``): the learner saw
    one of them, then the author gave it an id. That one stays seen, the other does not become
    seen, wherever the id went."""
    library = edit_lesson(decks, FIRST_TEXT_STEP, FIRST_TEXT_STEP * 2)
    with open_learning(config, library, clock) as learning:
        see(learning, given)
    twins = [FIRST_TEXT_STEP, FIRST_TEXT_STEP]
    twins[given] = with_id(FIRST_TEXT_STEP, INTRO_ID)
    library = edit_lesson(decks, FIRST_TEXT_STEP * 2, "".join(twins))
    with open_learning(config, library, clock) as learning:
        assert learning.position(LESSON) == given
        assert learning.lesson_progress(LESSON).seen_steps == 1
        see(learning, 1 - given)  # the other one is still to see
        assert learning.lesson_progress(LESSON).seen_steps == 2


def test_a_step_seen_before_its_id_stays_seen_when_its_text_is_edited_later(config, decks, clock):
    """The point of the id: once the learner has opened the tutor on the deck that gave it,
    what they saw is kept by the id, so the author may then edit the English freely."""
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, *range(LAST_STEP + 1))
    with open_learning(config, give_ids(decks), clock):
        pass  # the learner opens the tutor on the release that gave the ids
    library = edit_lesson(decks, "A layer keeps **parameters**.", "A layer holds its parameters.")
    library = edit_lesson(decks, "Weights are (out, in).", "A weight is (out, in).")
    with open_learning(config, library, clock) as learning:
        assert learning.lesson_progress(LESSON).completed
        assert learning.position(LESSON) == LAST_STEP


def test_a_read_only_open_finds_steps_seen_before_their_ids(config, decks, clock):
    from tutor.learning import Access

    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, *range(LAST_STEP + 1))
    with Learning.open(config, give_ids(decks), access=Access.READ, clock=clock) as learning:
        assert learning.lesson_progress(LESSON).completed
        assert learning.position(LESSON) == LAST_STEP


def test_opening_rekeys_once_and_writes_nothing_after(config, decks, clock, monkeypatch):
    """Keying by the new ids is one write at the first open; every open after finds nothing left
    to re-key and starts no write (which another nn-tutor's write lock would make wait)."""
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, 0, 1)
    library = give_ids(decks)
    with open_learning(config, library, clock) as learning:
        kept = learning.store.conn.execute("SELECT step_key FROM seen_steps ORDER BY step_index")
        assert [key for (key,) in kept] == ["tensors.intro", "tensors.q-bias"]
        assert learning.store.position(LESSON).key == "tensors.q-bias"
    calls = store_writes_of(monkeypatch, "rekey_steps")
    with open_learning(config, library, clock) as learning:
        assert calls == []
        assert learning.lesson_progress(LESSON).seen_steps == 2
