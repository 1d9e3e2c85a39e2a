"""Seen steps and the saved position follow a step by its key, not by its place: a deck author
who adds or removes a step must not move the learner's progress onto another step."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS, load_library, store_writes_of
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.learning import FixedClock, Learning
from tutor.learning.store import SCHEMA_VERSION, connect, migrate

LESSON = "tensors"
LESSON_FILE = "lesson-tensors.yaml"
# the fixture lesson: 0 text (no id), 1 quiz, 2 exercise, 3 card, 4 recap (no id)
EXERCISE = 2
NEW_STEP = (
    "  - type: text\n"
    '    title: {en: "Before we start", zh: "开始之前"}\n'
    '    body: {en: "A new first step.", zh: "新的第一步。"}\n'
)
FIRST_TEXT_STEP = (
    "  - type: text\n"
    '    title: {en: "Parameters", zh: "参数"}\n'
    '    body: {en: "A layer keeps **parameters**.", zh: "层保存**参数**。"}\n'
)


@pytest.fixture
def decks(tmp_path: Path) -> Path:
    """A copy of the fixture decks that a test may edit as a deck author would."""
    target = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, target)
    return target


def edit_lesson(decks: Path, old: str, new: str) -> DeckLibrary:
    """Rewrite the lesson file (``old`` becomes ``new``, once) and load the library again."""
    path = decks / LESSON_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_library(decks)


def insert_step_at_top(decks: Path) -> DeckLibrary:
    return edit_lesson(decks, "steps:\n", "steps:\n" + NEW_STEP)


def remove_first_step(decks: Path) -> DeckLibrary:
    return edit_lesson(decks, FIRST_TEXT_STEP, "")


def see(learning: Learning, *steps: int) -> None:
    """Show ``steps`` as the lesson player does: each is seen, then becomes the saved position."""
    for step in steps:
        learning.mark_step_seen(LESSON, step)
        learning.save_position(LESSON, step)


def open_learning(config: TutorConfig, library: DeckLibrary, clock: FixedClock) -> Learning:
    return Learning.open(config, library, clock=clock)


def test_a_step_added_at_the_top_of_a_finished_lesson_is_the_one_left_to_see(config, decks, clock):
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, 0, 1, 2, 3, 4)
        assert learning.lesson_progress(LESSON).completed
    with open_learning(config, insert_step_at_top(decks), clock) as learning:
        progress = learning.lesson_progress(LESSON)
        assert (progress.seen_steps, progress.total_steps) == (5, 6)
        assert learning.resume_step(LESSON) == 0  # the new step, the only one not seen
        assert learning.position(LESSON) == 5  # the old last step, where it now is
        see(learning, 0)
        assert learning.lesson_progress(LESSON).completed  # every old step still counts
        assert LESSON not in learning.locked_lessons()


def test_a_step_added_above_the_saved_position_keeps_the_learner_on_their_step(
    config, decks, clock
):
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, 0, 1, EXERCISE)
    with open_learning(config, insert_step_at_top(decks), clock) as learning:
        assert learning.resume_step(LESSON) == EXERCISE + 1
        assert learning.lesson_progress(LESSON).seen_steps == 3  # not the new step


def test_a_position_saved_again_at_its_steps_new_index_keeps_its_key(config, decks, clock):
    """The player saves the position each time it shows a step: after a step was added above,
    it saved the same step at its new index, and the trigger meant for an nn-tutor from before
    keys took that for one and dropped the key (a second step added above then moved the
    learner off their step)."""
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, 0, 1, EXERCISE)
    with open_learning(config, insert_step_at_top(decks), clock) as learning:
        see(learning, learning.resume_step(LESSON))  # the lesson opened there, and saved it
    library = edit_lesson(
        decks, "steps:\n", "steps:\n" + NEW_STEP.replace("A new first", "Another first")
    )
    with open_learning(config, library, clock) as learning:
        assert learning.resume_step(LESSON) == EXERCISE + 2


def test_a_step_removed_above_the_saved_position_keeps_the_learner_on_their_step(
    config, decks, clock
):
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, 0, 1, EXERCISE)
    with open_learning(config, remove_first_step(decks), clock) as learning:
        assert learning.resume_step(LESSON) == EXERCISE - 1
        progress = learning.lesson_progress(LESSON)
        assert (progress.seen_steps, progress.total_steps) == (2, 4)  # the quiz and the exercise


def test_a_text_step_edited_without_an_id_is_found_between_its_neighbours(config, decks, clock):
    """Its key is its English: a Chinese wording changed is the same key; an English one is
    not, and the step is found by its place instead (tests/learning/test_step_edited_in_place.py
    has where it is not)."""
    with open_learning(config, load_library(decks), clock) as learning:
        see(learning, 0, 1, 2, 3, 4)
    before = load_library(decks).lesson(LESSON).step_keys()
    library = edit_lesson(decks, "层保存**参数**。", "层里保存着**参数**。")
    assert library.lesson(LESSON).step_keys() == before
    with open_learning(config, library, clock) as learning:
        assert learning.lesson_progress(LESSON).completed
    library = edit_lesson(decks, "A layer keeps **parameters**.", "A layer holds parameters.")
    assert library.lesson(LESSON).step_keys()[0] != before[0]
    with open_learning(config, library, clock) as learning:
        assert learning.lesson_progress(LESSON).seen_steps == 5
        assert learning.resume_step(LESSON) == 0


def test_two_identical_steps_are_told_apart(config, decks, clock):
    library = edit_lesson(decks, FIRST_TEXT_STEP, FIRST_TEXT_STEP + FIRST_TEXT_STEP)
    lesson = library.lesson(LESSON)
    assert lesson is not None
    keys = lesson.step_keys()
    assert len(set(keys)) == len(keys) == 6
    with open_learning(config, library, clock) as learning:
        see(learning, 0)
        assert learning.lesson_progress(LESSON).seen_steps == 1
        see(learning, 1)
        assert learning.lesson_progress(LESSON).seen_steps == 2
        assert learning.resume_step(LESSON) == 1


def test_a_step_key_is_its_id_or_its_kind_and_english_text(library):
    lesson = library.lesson(LESSON)
    assert lesson is not None
    keys = lesson.step_keys()
    assert keys[1:4] == ["tensors.q-bias", "tensors.ex-no-bias", "tensors.card-weight"]
    assert keys[0].startswith("text:") and keys[4].startswith("recap:")


# ------------------------------------------------------------------- stores from before keys

PREVIOUS_VERSION = 3  # the last schema before step keys (v4)


def _index_only_database(path: Path, seen: list[int], position: int) -> None:
    """A store as the last nn-tutor before step keys left it: seen steps and the saved position
    kept by index only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    assert migrate(conn, target=PREVIOUS_VERSION) == PREVIOUS_VERSION
    for index in seen:
        conn.execute("INSERT INTO seen_steps VALUES (?, ?, 1736856000000)", (LESSON, index))
    conn.execute("INSERT INTO positions VALUES (?, ?, 1736856000000)", (LESSON, position))
    conn.close()


def test_migration_from_the_previous_schema_keeps_every_row(config):
    db = config.paths.database
    _index_only_database(db, [0, 1, 2], 2)
    conn = connect(db)
    try:
        assert migrate(conn) == SCHEMA_VERSION
        rows = conn.execute(
            "SELECT lesson_id, step_index, step_key FROM seen_steps ORDER BY step_index"
        ).fetchall()
        assert rows == [(LESSON, 0, None), (LESSON, 1, None), (LESSON, 2, None)]
        assert conn.execute("SELECT lesson_id, step_index, step_key FROM positions").fetchall() == [
            (LESSON, 2, None)
        ]
    finally:
        conn.close()


def test_progress_from_before_keys_gets_them_on_opening_so_an_added_step_follows(
    config, decks, clock
):
    """A learner who finished a lesson before step keys: the first open (for writing) keys what
    they had seen by the steps at those indexes then, so a step the author adds later is the one
    left to see, as for progress kept since."""
    _index_only_database(config.paths.database, [0, 1, 2, 3, 4], 4)
    with open_learning(config, load_library(decks), clock) as learning:
        assert learning.lesson_progress(LESSON).completed
        keyless = "SELECT count(*) FROM seen_steps WHERE step_key IS NULL"
        assert learning.store.conn.execute(keyless).fetchone()[0] == 0
    with open_learning(config, insert_step_at_top(decks), clock) as learning:
        progress = learning.lesson_progress(LESSON)
        assert (progress.seen_steps, progress.total_steps) == (5, 6)
        assert learning.resume_step(LESSON) == 0
        assert learning.position(LESSON) == 5


def test_opening_writes_no_keys_when_none_can_be_given(config, library, clock, monkeypatch):
    """A step kept by index past the lesson's end (the lesson got shorter) can get no key: it
    stays as it is, and opening starts no write for it (which another nn-tutor's write lock
    would make wait), however often the store is opened."""
    total = len(library.lesson(LESSON).steps)
    _index_only_database(config.paths.database, [total + 2], total + 2)
    with open_learning(config, library, clock):
        pass  # the first open upgrades the file, then has no key to give
    calls = store_writes_of(monkeypatch, "key_steps")
    with open_learning(config, library, clock) as learning:
        assert calls == []
        assert learning.store.index_only_lessons() == {LESSON: {total + 2}}


def test_a_step_seen_by_index_and_by_key_is_kept_once(config, library, clock):
    """An index-only row for a step that was also seen by key since (an older nn-tutor on the
    same store) goes when keys are given, rather than breaking the one row per step."""
    _index_only_database(config.paths.database, [0, 1], 1)
    conn = connect(config.paths.database)
    migrate(conn)
    key = library.lesson(LESSON).step_keys()[1]
    conn.execute("INSERT INTO seen_steps VALUES (?, 1, ?, 1736856000001)", (LESSON, key))
    conn.close()
    with open_learning(config, library, clock) as learning:
        rows = learning.store.conn.execute(
            "SELECT step_index, step_key FROM seen_steps ORDER BY step_index"
        ).fetchall()
        assert rows == [
            (index, k) for index, k in enumerate(library.lesson(LESSON).step_keys()[:2])
        ]
        assert learning.lesson_progress(LESSON).seen_steps == 2


def test_an_older_nn_tutor_saving_a_position_drops_the_key_it_does_not_know(config, library, clock):
    """An nn-tutor from before keys, still open on an upgraded store, saves a position by index
    alone: the key saved before must not stay beside it (it would send the learner back there)."""
    with open_learning(config, library, clock) as learning:
        see(learning, 3)
    conn = connect(config.paths.database)
    conn.execute("UPDATE positions SET step_index = 1, at_ms = 1 WHERE lesson_id = ?", (LESSON,))
    conn.close()
    with open_learning(config, library, clock) as learning:
        assert learning.position(LESSON) == 1 and learning.resume_step(LESSON) == 1


def test_an_index_only_store_still_resumes_and_counts_as_before(config, library, clock):
    _index_only_database(config.paths.database, [0, 1, 2], 2)
    with open_learning(config, library, clock) as learning:
        assert learning.resume_step(LESSON) == 2
        assert learning.position(LESSON) == 2
        assert learning.lesson_progress(LESSON).seen_steps == 3
        see(learning, 2)  # seen again, now by key: still one step
        assert learning.lesson_progress(LESSON).seen_steps == 3
        see(learning, 3, 4)
        assert learning.lesson_progress(LESSON).completed
        assert learning.resume_step(LESSON) == 0


def test_a_read_only_open_upgrades_an_index_only_store(config, library, clock):
    from tutor.learning import Access

    _index_only_database(config.paths.database, [0, 1], 1)
    with Learning.open(config, library, access=Access.READ, clock=clock) as learning:
        assert learning.lesson_progress(LESSON).seen_steps == 2
        assert learning.resume_step(LESSON) == 1
    conn = sqlite3.connect(config.paths.database)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        conn.close()
