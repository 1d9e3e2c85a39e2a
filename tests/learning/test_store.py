"""Schema migrations and recovery from a corrupt database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.learning.conftest import NO_FUZZ
from tutor.learning import Learning, NewerSchemaError
from tutor.learning.store import MIGRATIONS, SCHEMA_VERSION, connect, migrate


def _v1_database(path: Path) -> None:
    """A database exactly as the first release left it, with some history in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    assert migrate(conn, target=1) == 1
    conn.execute(
        "INSERT INTO cards (card_key, content_hash, state, step, stability, difficulty, due_ms, "
        "last_ms, added_ms) VALUES ('tensors.card-call', 'old-hash', 2, NULL, 3.1, 5.2, "
        "1736942400000, 1736856000000, 1736856000000)"
    )
    conn.execute(
        "INSERT INTO reviews (card_id, rating, state, at_ms, prev) VALUES (1, 3, 1, "
        "1736856000000, NULL)"
    )
    conn.execute("INSERT INTO positions VALUES ('tensors', 3, 1736856000000)")
    conn.close()


def test_v1_database_is_migrated_with_its_history(config, library, clock):
    db = config.paths.database
    _v1_database(db)
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        assert learning.notice is None
        version = learning.store.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION == len(MIGRATIONS) >= 2
        row = learning.store.card("tensors.card-call")
        assert (row.id, row.stability, row.state) == (1, 3.1, 2)
        assert learning.is_edited("tensors.card-call")  # stored hash differs from the deck's
        assert learning.position("tensors") == 3
        assert learning.store.review_count() == 1
        # v2 features work on the migrated file
        learning.flag("tensors.card-call", "typo")
        learning.rate("tensors.card-call", 3, duration_ms=4200)
        assert learning.store.reviews()[-1].duration_ms == 4200
        assert learning.stats()["flagged"][0]["note"] == "typo"


def test_migrations_are_idempotent_across_opens(config, library, clock):
    for _ in range(2):
        with Learning.open(config, library, clock=clock) as learning:
            learning.save_position("tensors", 1)
    with Learning.open(config, library, clock=clock) as learning:
        assert learning.position("tensors") == 1


def test_newer_schema_is_refused_and_left_alone(config, library, clock):
    db = config.paths.database
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(NewerSchemaError):
        Learning.open(config, library, clock=clock)
    assert db.read_bytes() == before
    assert not list(db.parent.glob("*.corrupt-*"))


def test_garbage_file_is_moved_aside_and_a_fresh_store_starts(config, library, clock):
    db = config.paths.database
    db.parent.mkdir(parents=True)
    garbage = b"this is not a database at all\n" * 200
    db.write_bytes(garbage)
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        assert learning.notice and "corrupt-" in learning.notice
        assert "\n" not in learning.notice
        learning.rate("tensors.card-call", 3)
        assert learning.store.review_count() == 1
    moved = list(db.parent.glob("progress.sqlite3.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    with Learning.open(config, library, clock=clock) as learning:  # and it stays fixed
        assert learning.notice is None
        assert learning.store.review_count() == 1


def test_damaged_pages_are_detected(config, library, clock):
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        for card in ("tensors.card-call", "tensors.card-bias", "tensors.card-count"):
            learning.rate(card, 3)
        learning.store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = config.paths.database
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) >= 3 * page
    data[page + 8 : 3 * page] = b"\xa5" * (2 * page - 8)  # smash the b-tree pages after the header
    db.write_bytes(bytes(data))
    with Learning.open(config, library, clock=clock) as learning:
        assert learning.notice is not None
        assert learning.store.review_count() == 0
    assert len(list(db.parent.glob("progress.sqlite3.corrupt-*"))) == 1


def test_a_commit_that_fails_rolls_back_and_lets_go_of_the_lock(learning: Learning):
    """A COMMIT can fail (a full disk, an I/O error) and leave SQLite's transaction open. It is
    rolled back: otherwise every later write joined it and was never committed, and the write
    lock stayed held against another nn-tutor. (A deferred foreign key makes COMMIT fail here.)"""
    store = learning.store
    with pytest.raises(sqlite3.IntegrityError), store.write():
        store.conn.execute("PRAGMA defer_foreign_keys = ON")
        store.conn.execute(
            "INSERT INTO reviews (card_id, rating, state, at_ms) VALUES (99, 3, 1, 0)"
        )
    assert not store.conn.in_transaction
    learning.save_position("tensors", 2)
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    try:
        assert other.execute("SELECT lesson_id, step_index FROM positions").fetchall() == [
            ("tensors", 2)
        ]
        assert other.execute("SELECT count(*) FROM reviews").fetchone() == (0,)
        other.execute("BEGIN IMMEDIATE")  # the lock is free
        other.execute("ROLLBACK")
    finally:
        other.close()
