"""A progress store being created (a file with no progress yet, another nn-tutor creating it) or
upgraded (a file from an older nn-tutor) while another nn-tutor holds its write lock: it opens
all the same, reading what the file holds at this nn-tutor's schema, and is set up (created,
upgraded) by the first write once the lock is let go, rather than failing after the busy timeout
and leaving the whole session without progress. Nothing is written to the file until then: no
half-done upgrade, and nothing kept is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.learning.conftest import (
    FIXTURE_DECKS,
    LESSON,
    QUIZ,
    make_empty,
    make_older,
    store_writes_of,
    write_lock_held,
)
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, load_for_command
from tutor.error_line import error_line
from tutor.i18n import tr
from tutor.learning import Access, Learning
from tutor.learning import store as store_module
from tutor.learning.store import SCHEMA_VERSION, connect, migrate


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TutorConfig:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)  # a lock held fails at once
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)])
    config.paths.database.parent.mkdir(parents=True)
    return config


@pytest.fixture
def library(config: TutorConfig) -> DeckLibrary:
    return load_for_command([], config)


def user_version(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_a_store_being_created_elsewhere_opens_and_is_created_once_free(
    config: TutorConfig, library: DeckLibrary, journal_mode: str
) -> None:
    db = config.paths.database
    make_empty(db, journal_mode)
    with write_lock_held(db):
        learning = Learning.open(config, library)
        assert learning.lesson_progress(LESSON).seen_steps == 0  # no progress yet
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            learning.mark_step_seen(LESSON, 0)
        assert user_version(db) == 0  # nothing created under the other's lock
    learning.mark_step_seen(LESSON, 0)  # the lock let go: the store is created, and saves
    assert learning.lesson_progress(LESSON).seen_steps == 1
    learning.close()
    assert user_version(db) == SCHEMA_VERSION
    with Learning.open(config, library) as again:
        assert again.lesson_progress(LESSON).seen_steps == 1


def test_an_older_store_opens_with_its_progress_and_is_upgraded_once_free(
    config: TutorConfig, library: DeckLibrary
) -> None:
    db = config.paths.database
    make_older(db)
    with write_lock_held(db):
        learning = Learning.open(config, library)
        attempt = learning.last_attempt(LESSON, QUIZ)  # read at this nn-tutor's schema
        assert attempt is not None and attempt.correct
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            learning.mark_step_seen(LESSON, 0)
        assert user_version(db) == SCHEMA_VERSION - 1  # left as it was: no half-done upgrade
    learning.mark_step_seen(LESSON, 0)  # the lock let go: upgraded, and saved
    learning.close()
    assert user_version(db) == SCHEMA_VERSION
    with Learning.open(config, library) as again:
        assert again.lesson_progress(LESSON).seen_steps == 1
        kept = again.last_attempt(LESSON, QUIZ)
        assert kept is not None and kept.correct  # the answer kept before is still there


def test_what_the_other_nn_tutor_set_up_meanwhile_is_kept(
    config: TutorConfig, library: DeckLibrary
) -> None:
    """The other nn-tutor finishes creating the store and saves a step before this one writes:
    this one's write goes into that store, and the other's step stays."""
    db = config.paths.database
    make_empty(db, "wal")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    learning = Learning.open(config, library)
    for statement in store_module._statements("".join(store_module.MIGRATIONS)):
        other.execute(statement)
    other.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    other.execute(
        "INSERT INTO seen_steps (lesson_id, step_index, at_ms) VALUES (?, 1, 1736856000000)",
        (LESSON,),
    )
    other.execute("COMMIT")
    other.close()

    learning.mark_step_seen(LESSON, 0)
    assert learning.store.seen_steps(LESSON) == {0, 1}
    learning.close()


def test_an_older_store_with_a_card_fsrs_cannot_schedule_still_opens(
    config: TutorConfig, library: DeckLibrary
) -> None:
    """Starting such a card over is a write: it waits for the next open, as in a read-only
    store (the card is read as started over meanwhile), rather than failing this one."""
    db = config.paths.database
    make_older(db)
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO cards (card_key, content_hash, state, due_ms, added_ms) "
        "VALUES ('tensors.c1', '', 7, 0, 0)"
    )
    conn.commit()
    conn.close()
    with write_lock_held(db):
        learning = Learning.open(config, library)
        card = learning.store.card("tensors.c1")
        assert card is not None and card.state == store_module.LEARNING
    learning.close()


def test_steps_kept_by_index_are_keyed_at_a_later_open_not_under_the_lock(
    config: TutorConfig, library: DeckLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = config.paths.database
    conn = connect(db)
    migrate(conn, target=3)  # before step keys
    conn.execute("INSERT INTO seen_steps VALUES (?, 0, 1736856000000)", (LESSON,))
    conn.close()
    keyed = store_writes_of(monkeypatch, "key_steps")
    with write_lock_held(db):
        learning = Learning.open(config, library)
        assert learning.lesson_progress(LESSON).seen_steps == 1  # read by index meanwhile
        learning.close()
    assert keyed == []


def test_a_store_moved_away_before_its_set_up_is_refused_not_taken_over(
    config: TutorConfig, library: DeckLibrary
) -> None:
    """The learner read their progress from the file that was there at open: the first write
    refuses to set up whatever is at the path now, as any write after a move is refused."""
    db = config.paths.database
    make_older(db)
    with write_lock_held(db):
        learning = Learning.open(config, library)
    db.rename(db.with_name("moved.sqlite3"))
    with pytest.raises(store_module.DatabaseGoneError):
        learning.mark_step_seen(LESSON, 0)
    assert not db.exists()  # no new, empty store made in its place
    learning.close()


def damage(db: Path) -> None:
    """The store's file goes bad (while its set-up waits for the lock): the same file, not a
    database any more."""
    for companion in ("-wal", "-shm"):
        db.with_name(db.name + companion).unlink(missing_ok=True)
    db.write_bytes(b"not a database" * 1000)


def test_a_store_found_damaged_at_its_set_up_says_where_it_was_moved(
    config: TutorConfig, library: DeckLibrary
) -> None:
    """The file went bad while its set-up waited: the write that moves it aside fails naming
    where it went (the learner hears of it as of any failed save), and the next one saves."""
    db = config.paths.database
    make_older(db)
    with write_lock_held(db):
        learning = Learning.open(config, library)
    damage(db)
    with pytest.raises(store_module.MovedAsideError) as failed:
        learning.mark_step_seen(LESSON, 0)
    moved = failed.value.moved_to
    assert str(moved) in str(failed.value) and moved.read_bytes().startswith(b"not a database")
    # said in the learner's language wherever a store error is (settings, optimize, the app)
    assert error_line(failed.value, lang="zh") == tr("learning.corrupt_moved", "zh", path=moved)
    assert learning.lesson_progress(LESSON).seen_steps == 0  # that write was not kept
    learning.mark_step_seen(LESSON, 0)  # the new store takes the next
    learning.close()
    with Learning.open(config, library) as again:
        assert again.lesson_progress(LESSON).seen_steps == 1
        assert again.notice is None  # (said once, by the failed write)


MET = ("tensors.card-count", "tensors.card-bias")
"""Cards of the fixture's card deck the learner met in the file that went bad (row ids 1, 2)."""
NEVER_MET = "tensors.card-call"
"""The fixture card deck's third card: never met in that file."""
CARD_DECK = "tensors-cards"


def offered_new(learning: Learning) -> set[str]:
    """The card deck's cards offered now (none is due: each is new)."""
    return {card.id for card in learning.due_now(CARD_DECK)}


def moved_aside_after_reading(config: TutorConfig, library: DeckLibrary) -> Learning:
    """A learner whose store, set up late, had met :data:`MET` (the queue read them) and was
    found damaged at its set-up: moved aside by the first write, a new, empty one in its place."""
    db = config.paths.database
    make_older(db)
    conn = sqlite3.connect(db)
    conn.executemany(  # met, and due long after the test
        "INSERT INTO cards (card_key, content_hash, state, due_ms, added_ms) "
        "VALUES (?, '', 1, 4102444800000, 0)",
        [(key,) for key in MET],
    )
    conn.commit()
    conn.close()
    with write_lock_held(db):
        learning = Learning.open(config, library)
        assert offered_new(learning) == {NEVER_MET}
    damage(db)
    with pytest.raises(store_module.MovedAsideError):
        learning.mark_step_seen(LESSON, 0)
    return learning


def test_cards_met_in_a_store_moved_aside_at_its_set_up_are_new_again(
    config: TutorConfig, library: DeckLibrary
) -> None:
    """The new store has none of them: the queue reads it, not what it kept of the old one."""
    with moved_aside_after_reading(config, library) as learning:
        assert offered_new(learning) == {*MET, NEVER_MET}


def test_a_card_rated_in_the_store_set_up_after_a_move_aside_is_met(
    config: TutorConfig, library: DeckLibrary
) -> None:
    """Its row is the new store's first (id 1), below the old store's last one (2): the
    queue's count of what it read of the store starts again with the new one."""
    with moved_aside_after_reading(config, library) as learning:
        learning.rate(NEVER_MET, 3)
        rated = learning.store.card(NEVER_MET)
        assert rated is not None and rated.id == 1
        assert offered_new(learning) == set(MET)


@pytest.mark.parametrize("access", [Access.READ, Access.READ_MOSTLY])
def test_an_older_store_opens_to_read_while_another_holds_the_lock(
    config: TutorConfig, library: DeckLibrary, access: Access
) -> None:
    """As it opens to write: read in a copy upgraded in memory, the file left as it is."""
    db = config.paths.database
    make_older(db)
    with write_lock_held(db):
        with Learning.open(config, library, access=access) as learning:
            assert learning.store.read_only
            attempt = learning.last_attempt(LESSON, QUIZ)
            assert attempt is not None and attempt.correct
        assert user_version(db) == SCHEMA_VERSION - 1


def test_connect_closes_its_connection_when_the_wal_switch_fails(
    config: TutorConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = config.paths.database
    make_empty(db, "delete")
    made: list[sqlite3.Connection] = []

    def recorded(target: str | Path, *, uri: bool = False) -> sqlite3.Connection:
        made.append(real(target, uri=uri))
        return made[-1]

    real = store_module._sqlite
    monkeypatch.setattr(store_module, "_sqlite", recorded)
    with write_lock_held(db), pytest.raises(sqlite3.OperationalError, match="locked"):
        connect(db)
    [conn] = made
    with pytest.raises(sqlite3.ProgrammingError):  # closed, not left holding the file open
        conn.execute("SELECT 1")
