"""The progress database: SQLite in WAL mode, versioned schema, one transaction per answer.

Why it is built this way:

* **WAL + ``synchronous=FULL``**: a commit is on disk before ``commit()`` returns, so a ``kill -9``
  (or a power cut) loses at most the answer that was being written.
* **``BEGIN IMMEDIATE`` for every write**: the write lock is taken up front, so two nn-tutor
  processes queue behind ``busy_timeout`` instead of failing with "database is locked" on a lock
  upgrade, and a read-modify-write (rating a card) can never interleave with another writer.
* **``PRAGMA user_version``** is the schema version; :data:`MIGRATIONS` upgrade any older file in
  order, each in its own transaction. A file from a *newer* nn-tutor is refused, not touched.
  One to be created or upgraded while another nn-tutor holds the write lock past the wait opens
  all the same, reading what is there (:attr:`Store.set_up_pending`), and its first write
  creates or upgrades it once the lock is let go.
* A file SQLite cannot read (or whose quick check fails) is moved aside as
  ``*.corrupt-<timestamp>`` with its ``-wal``/``-shm`` companions, and a fresh one is started.
* A file at version 0 that has nn-tutor's tables (a copy made with ``sqlite3 .dump``, which
  keeps no version) is read as the version its tables match exactly, and given that version
  when next written. One matching none, or a file without a table its version has (dropped by
  hand), is refused and left as it is.
* A caller that only reads (:class:`Access`) opens the file read-only: no move aside, no WAL
  switch, no file created. Another nn-tutor holding the write lock, a file or folder the learner
  cannot write, never stop it (WAL lets readers through a writer). The one write it may make is
  the upgrade of a file from an older nn-tutor (a sound one), as the tutor would on opening it.
"""

from __future__ import annotations

import errno
import json
import math
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_MS = 10_000

# Each entry upgrades the schema from version ``index`` to ``index + 1``. Never edit a released
# entry: add a new one.
MIGRATIONS: tuple[str, ...] = (
    # v1: the first release.
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    -- One row per card the learner has met. ``id`` is the integer id FSRS sees; ``card_key`` is
    -- the deck's explicit card id. Rows are never deleted: a card that left the decks is an orphan.
    CREATE TABLE cards (
        id           INTEGER PRIMARY KEY,
        card_key     TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        state        INTEGER NOT NULL,          -- fsrs.State: 1 learning, 2 review, 3 relearning
        step         INTEGER,
        stability    REAL,
        difficulty   REAL,
        due_ms       INTEGER NOT NULL,
        last_ms      INTEGER,                   -- NULL: introduced, never rated
        added_ms     INTEGER NOT NULL
    );
    CREATE INDEX cards_due ON cards (due_ms, card_key);  -- covering: the due queue reads only this
    -- ``prev`` is the card row before the rating (JSON), or NULL if the rating created the row;
    -- it is what undo restores.
    CREATE TABLE reviews (
        id         INTEGER PRIMARY KEY,
        card_id    INTEGER NOT NULL REFERENCES cards (id),
        rating     INTEGER NOT NULL,
        state      INTEGER NOT NULL,            -- the card's state before this rating
        at_ms      INTEGER NOT NULL,
        prev       TEXT
    );
    CREATE INDEX reviews_at ON reviews (at_ms);
    CREATE INDEX reviews_card ON reviews (card_id);
    CREATE TABLE attempts (
        id         INTEGER PRIMARY KEY,
        kind       TEXT NOT NULL,               -- 'quiz' or 'exercise'
        item_id    TEXT NOT NULL,
        lesson_id  TEXT NOT NULL,
        correct    INTEGER NOT NULL,
        answer     TEXT,
        hints_used INTEGER NOT NULL DEFAULT 0,
        at_ms      INTEGER NOT NULL
    );
    CREATE INDEX attempts_lesson ON attempts (lesson_id, item_id);
    CREATE TABLE positions (
        lesson_id  TEXT PRIMARY KEY,
        step_index INTEGER NOT NULL,
        at_ms      INTEGER NOT NULL
    );
    CREATE TABLE seen_steps (
        lesson_id  TEXT NOT NULL,
        step_index INTEGER NOT NULL,
        at_ms      INTEGER NOT NULL,
        PRIMARY KEY (lesson_id, step_index)
    ) WITHOUT ROWID;
    """,
    # v2: flagged cards, and how long each review took (for the optimizer and the summary).
    """
    CREATE TABLE flags (
        id        INTEGER PRIMARY KEY,
        card_key  TEXT NOT NULL,
        note      TEXT NOT NULL DEFAULT '',
        at_ms     INTEGER NOT NULL
    );
    CREATE INDEX flags_card ON flags (card_key);
    ALTER TABLE reviews ADD COLUMN duration_ms INTEGER;
    """,
    # v3: a count of deleted card rows. ``cards.id`` has no AUTOINCREMENT, so an undo that deletes
    # the newest row lets SQLite give its id to the next card: a process that finds new cards by
    # ``id > last seen`` would miss it. Any deletion bumps the count (a trigger, so every writer
    # does), and a process that sees the count change reads the keys afresh.
    """
    INSERT INTO meta (key, value) VALUES ('cards_removed', '0')
        ON CONFLICT (key) DO NOTHING;
    CREATE TRIGGER cards_removed AFTER DELETE ON cards BEGIN
        UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'cards_removed';
    END;
    """,
    # v4: a seen step and the saved position keep the step's key too (``step_key`` in
    # tutor/decks/model.py), so they stay with the step when an author adds or removes steps
    # above it. A row from before has none (NULL) and is still read by its index. An index may
    # now be seen as two steps (the one there before an edit, the one there after), so a seen
    # step is unique by key, and by index only in a keyless row: SQLite cannot change a primary
    # key, so the table is rebuilt (with a rowid: a key column that may be NULL cannot be in one).
    """
    ALTER TABLE positions ADD COLUMN step_key TEXT;
    CREATE TABLE seen_steps_keyed (
        lesson_id  TEXT NOT NULL,
        step_index INTEGER NOT NULL,            -- where the step was when it was seen
        step_key   TEXT,                        -- NULL: seen before v4 (or not in the lesson)
        at_ms      INTEGER NOT NULL
    );
    INSERT INTO seen_steps_keyed (lesson_id, step_index, at_ms)
        SELECT lesson_id, step_index, at_ms FROM seen_steps;
    DROP TABLE seen_steps;
    ALTER TABLE seen_steps_keyed RENAME TO seen_steps;
    CREATE UNIQUE INDEX seen_steps_key ON seen_steps (lesson_id, step_key);
    CREATE UNIQUE INDEX seen_steps_keyless ON seen_steps (lesson_id, step_index)
        WHERE step_key IS NULL;
    -- an nn-tutor from before keys, still open on this file, saves a position by index alone:
    -- the key it does not know would otherwise stay beside it and be followed back
    CREATE TRIGGER positions_index_moved AFTER UPDATE OF step_index ON positions
        WHEN NEW.step_key IS OLD.step_key AND NEW.step_index IS NOT OLD.step_index
    BEGIN
        UPDATE positions SET step_key = NULL WHERE lesson_id = NEW.lesson_id;
    END;
    """,
    # v5: an attempt made after the answer was shown to the learner in that sitting (a quiz
    # tried again under feedback that marked the right answer, an exercise checked after its
    # solution was viewed). A right one is kept as right, but does not count as passed: the item
    # stays to pass until answered without the answer showing. Rows from before were not.
    """
    ALTER TABLE attempts ADD COLUMN answer_shown INTEGER NOT NULL DEFAULT 0;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The database cannot be used as it is (other than corruption, which is recovered from)."""


class DatabaseGoneError(StoreError):
    """The file was deleted or replaced while open: SQLite would write on into the unlinked
    file, and every write from then on would vanish when the connection closes."""

    reason_key = "learning.database_gone"  # its words in the learner's language (error_line)

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"progress database {path} was deleted or replaced while nn-tutor had it open; "
            "restart nn-tutor to keep saving progress"
        )
        self.reason_values = {"path": path}


class MovedAsideError(StoreError):
    """The write that was to set up a store opened while another nn-tutor held its lock
    (:attr:`Store.set_up_pending`) found the file damaged since, and moved it aside to
    ``moved_to``: that write was not kept, and the new file started in its place takes the
    next. (A file damaged at open is said at open: ``Learning.notice``.)"""

    reason_key = "learning.corrupt_moved"  # its words in the learner's language (error_line)

    def __init__(self, path: Path, moved_to: Path) -> None:
        super().__init__(
            f"progress database {path} could not be read; it was moved to {moved_to} and a "
            "fresh one started, which the next save goes into"
        )
        self.moved_to = moved_to
        self.reason_values = {"path": moved_to}


class SchemaVersionError(StoreError):
    """The file's schema is not the one this nn-tutor reads, and it was left as it is.
    ``found`` is its schema version, ``known`` the newest this nn-tutor knows."""

    def __init__(self, message: str, found: int, known: int) -> None:
        super().__init__(message)
        self.found = found
        self.known = known


class NewerSchemaError(SchemaVersionError):
    """The file was written by a newer nn-tutor; it is left untouched rather than downgraded."""

    def __init__(self, found: int, known: int = SCHEMA_VERSION) -> None:
        super().__init__(
            f"progress database has schema v{found}; this nn-tutor knows up to "
            f"v{known}. Upgrade nn-tutor to use it.",
            found,
            known,
        )


class OlderSchemaError(SchemaVersionError):
    """A read-only open found a file from an older nn-tutor, and it could not be upgraded (a
    lock held past the wait, a file or folder the learner cannot write)."""

    def __init__(self, found: int, known: int = SCHEMA_VERSION) -> None:
        super().__init__(
            f"progress database has schema v{found}; this nn-tutor reads v{known}, and it "
            "could not be upgraded now (another nn-tutor writing, or not writable).",
            found,
            known,
        )


class UnmergedWritesError(StoreError):
    """A read-only open of a WAL database in a folder no one may write to, whose ``-wal`` holds
    writes not yet merged into the file (a tutor stopped before its checkpoint): SQLite reads
    them only through the ``-shm`` index it makes beside the file, and reading the file alone
    would miss them. Opening it where the folder can be written merges them."""


class UnversionedSchemaError(StoreError):
    """The file has nn-tutor's tables but no schema version (``user_version`` 0, as a copy made
    with ``sqlite3 .dump`` has), and they match no schema this nn-tutor knows: which version it
    is cannot be told, so it is left as it is."""


class MissingSchemaError(StoreError):
    """The file's schema version says which tables it has, and some are missing or lack a
    column (dropped by hand, a partial copy): a read of them would fail halfway through a
    command. ``missing`` names them; the file is left as it is."""

    def __init__(self, path: Path, version: int, missing: list[str]) -> None:
        super().__init__(f"{path}: schema v{version} without {', '.join(missing)}")
        self.version = version
        self.missing = missing


class ReviewSuperseded(Exception):
    """A review cannot be undone: its card was rated again since (by another nn-tutor on the same
    store), and that newer review built on the state the undo would have put back."""


class CorruptDatabaseError(sqlite3.DatabaseError):
    """SQLite's integrity check found damage."""


# SQLITE_CORRUPT and SQLITE_NOTADB: the only errors that make us move a file aside. "Database is
# locked" and friends are OperationalErrors too, and must never cost the learner their history.
_CORRUPT_CODES = {11, 26}


def is_corruption(error: sqlite3.DatabaseError) -> bool:
    if isinstance(error, CorruptDatabaseError):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def _sqlite(target: str | Path, *, uri: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit) that waits out another
    connection's lock for up to :data:`BUSY_TIMEOUT_MS`, as every connection of the store does.

    ``check_same_thread`` is off because the TUI opens the store on a worker thread and may use
    it from another; callers must still not use one connection from two threads *at once* (the
    app funnels every call through a single-thread executor).
    """
    conn = sqlite3.connect(
        target,
        uri=uri,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def connect(path: Path) -> sqlite3.Connection:
    """A connection for writing (:func:`_sqlite`): WAL, FULL sync."""
    conn = _sqlite(path)
    try:
        # before anything (even the WAL switch) writes to the file
        if _refuse_newer(conn) == 0:
            _unversioned_version(conn)
        # (a file not in WAL yet waits here for a lock another nn-tutor holds)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.DatabaseError(f"could not switch to WAL (journal_mode={mode})")
    except BaseException:
        conn.close()
        raise
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _refuse_newer(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(version)
    return version


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to ``target``, each atomically; returns the new version.

    A file at version 0 that holds nn-tutor's tables already is adopted at the version they
    match (:func:`_adopt_unversioned`), rather than given the first release's tables again.

    A file already at ``target`` is not written, so its version is read before any write lock
    is asked for: another nn-tutor holding that lock (WAL lets readers through) does not keep
    this one from opening, and without progress for its session, past the busy timeout."""
    current = _refuse_newer(conn)
    if current > 0 and target <= current:  # (a file at 0 may be adopted: a write)
        return current
    while True:
        with transaction(conn):
            version = _refuse_newer(conn)
            if version == 0:
                version = _adopt_unversioned(conn)
            if version >= target:
                return version
            # executescript would commit; run the statements one by one inside our transaction.
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")


SchemaShape = dict[str, frozenset[str]]
"""A database's own objects: ``"table cards"`` -> its columns, ``"index cards_due"`` (or a
trigger) -> the table it is on. Names and columns only: the SQL text SQLite keeps differs with
the version of SQLite that wrote it."""


def _schema_shape(conn: sqlite3.Connection) -> SchemaShape:
    shape: SchemaShape = {}
    rows = conn.execute(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table in rows:
        if kind == "table":
            quoted = name.replace('"', '""')
            columns = conn.execute(f'PRAGMA table_info("{quoted}")').fetchall()
            shape[f"table {name}"] = frozenset(column[1] for column in columns)
        else:
            shape[f"{kind} {name}"] = frozenset({table})
    return shape


@cache
def _version_shapes() -> tuple[SchemaShape, ...]:
    """The shape of each schema version, built by its migrations: ``[k - 1]`` is version k's."""
    conn = _sqlite(":memory:")
    try:
        shapes = []
        for version in range(1, SCHEMA_VERSION + 1):
            migrate(conn, version)
            shapes.append(_schema_shape(conn))
        return tuple(shapes)
    finally:
        conn.close()


def _shape_version(shape: SchemaShape) -> int | None:
    """The schema version whose objects are exactly those in ``shape``; ``None`` for none."""
    return next((k for k, known in enumerate(_version_shapes(), 1) if known == shape), None)


def _has_tutor_tables(shape: SchemaShape) -> bool:
    return any(name in shape for name in _version_shapes()[0] if name.startswith("table "))


def _unversioned_version(conn: sqlite3.Connection) -> int:
    """The version of a file whose ``user_version`` is 0: 0 for a new one (or one holding none
    of nn-tutor's tables), else the version its tables match. Every version's objects differ
    from the others', so the match is exact or none; none raises
    :class:`UnversionedSchemaError`."""
    shape = _schema_shape(conn)
    if not shape or not _has_tutor_tables(shape):  # (an empty one: the shapes are built so)
        return 0
    version = _shape_version(shape)
    if version is None:
        raise UnversionedSchemaError("schema version missing, and its tables match none known")
    return version


def _adopt_unversioned(conn: sqlite3.Connection) -> int:
    """:func:`_unversioned_version`, written into the file as its version (call inside a
    transaction)."""
    version = _unversioned_version(conn)
    if version:
        conn.execute(f"PRAGMA user_version = {version}")
    return version


def _missing_objects(conn: sqlite3.Connection, version: int) -> list[str]:
    """The tables (or columns), indexes and triggers that a file at schema ``version`` should
    have and has not, as ``"table flags"``; empty when it has them all (more is left be)."""
    shape = _schema_shape(conn)
    missing = []
    for name, parts in _version_shapes()[version - 1].items():
        have = shape.get(name)
        if have is None:
            missing.append(name)
        elif not parts <= have:
            missing += [f"{name}.{column}" for column in sorted(parts - have)]
    return missing


def _refuse_missing(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Raise :class:`MissingSchemaError` when the file lacks what its ``version`` has (a file
    being upgraded by another nn-tutor meanwhile has more, never less: each migration only
    adds, or rebuilds a table with more columns)."""
    if version < 1:
        return
    missing = _missing_objects(conn, version)
    if missing:
        raise MissingSchemaError(path, version, missing)


def _statements(script: str) -> Iterator[str]:
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any exception, a failed ``COMMIT`` too.

    Inside an open transaction it simply joins it, so several writes can share one commit. A
    ``COMMIT`` that fails (a full disk, an I/O error) may leave SQLite's transaction open: every
    later write would join it and never be committed, and the write lock would stay held. An
    error SQLite already rolled back for leaves none open to roll back.
    """
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a broken database (and its WAL/SHM files) to ``*.corrupt-<timestamp>``."""
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    path.rename(target)
    return target


def open_database(path: Path) -> tuple[sqlite3.Connection, Path | None]:
    """Open (creating or upgrading) the database at ``path``.

    Returns the connection and, when the old file was unreadable and had to be moved aside, where
    it went. Raises :class:`NewerSchemaError` for a file from a newer release.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        raise _folder_in_place(path)
    moved: Path | None = None
    for attempt in range(2):
        conn: sqlite3.Connection | None = None
        try:
            conn = connect(path)
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise CorruptDatabaseError(f"quick_check: {check}")
            # a damaged file (a table dropped by hand) is said as such, before an upgrade
            # would fail on it halfway, and after
            _refuse_missing(conn, path, _refuse_newer(conn))
            _refuse_missing(conn, path, migrate(conn))
            return conn, moved
        except StoreError:  # (a schema left as it is)
            if conn is not None:
                conn.close()
            raise
        except sqlite3.DatabaseError as error:
            if conn is not None:
                conn.close()
            if attempt or not path.exists() or not is_corruption(error):
                raise
            moved = move_aside(path)
    raise AssertionError("unreachable")


def _seen_next_meta(lesson_id: str, step_key: str) -> str:
    """The meta key keeping which step followed a seen step kept by its text (``text:…``)."""
    return f"seen_next:{lesson_id}:{step_key}"


def _folder_in_place(path: Path) -> IsADirectoryError:
    """The error for a folder where the database should be: SQLite says only "disk I/O error"
    or "unable to open database file"."""
    return IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))


class Access(Enum):
    """What a caller will do with the store, which decides how :meth:`Store.open` opens it."""

    WRITE = "write"
    """Saves progress (the tutor, a review, a setting changed): opened for writing, created,
    upgraded and repaired as needed (:func:`open_database`)."""
    READ = "read"
    """Only reads (stats, settings shown): opened read-only (:func:`open_read_only`), so a lock
    another nn-tutor holds or a file the learner cannot write never stops it. A file from an
    older nn-tutor is upgraded first where it can be, as the tutor would."""
    READ_MOSTLY = "read-mostly"
    """Reads, and keeps a little when it can (an Anki export's timestamp): opened for writing,
    else (a lock held past the wait, a read-only file or folder) read-only."""


# SQLITE_READONLY (the low byte of the extended code): in a read-only open, what a read meets when
# SQLite cannot make a WAL database's ``-shm`` index beside it (SQLITE_READONLY_DIRECTORY).
_READONLY_CODE = 8
_BUSY_CODE = 5  # SQLITE_BUSY: another connection holds the lock past the busy timeout
_CANTOPEN_CODE = 14  # what SQLite says on a read-only file system (EROFS)


def open_read_only(path: Path) -> sqlite3.Connection:
    """Open the database at ``path`` for reading only; nothing is written to it, ever.

    No file yet (or one no nn-tutor ever set up) is no progress yet: an empty database in memory
    stands in, and nothing is created; a folder in its place raises :class:`IsADirectoryError`.
    A file SQLite cannot read, or whose quick check fails, is an error here, left where it is
    (moving it aside is a write). Raises :class:`NewerSchemaError` or :class:`OlderSchemaError`
    for a sound file whose schema is not this nn-tutor's: upgrading one is a write
    (:meth:`Store.open` does it where it can); :class:`MissingSchemaError` or
    :class:`UnversionedSchemaError` for one whose tables are not a schema's.
    """
    try:
        found = path.stat()
    except FileNotFoundError:  # (a data dir that is a file, or one not to be entered, raises)
        return _empty_database()
    if stat.S_ISDIR(found.st_mode):
        raise _folder_in_place(path)
    conn = _connect_read_only(path, immutable=False)
    try:
        try:
            version = _refuse_newer(conn)  # the first read: where a missing WAL index shows
        except sqlite3.OperationalError as error:
            if _wal_has_frames(path):
                if _wal_index_missing_for_good(path):
                    message = f"{path}: writes kept in its -wal, in a read-only folder"
                    raise UnmergedWritesError(message) from error
                raise
            if not _wal_index_unmakeable(error, path):
                raise
            conn.close()
            conn = _connect_read_only(path, immutable=True)
            version = _refuse_newer(conn)
        if version == 0:
            # no progress yet, or a copy that lost its version (``sqlite3 .dump``): that is
            # read as the version its tables match, and adopted as such when next written
            if not _has_tutor_tables(_schema_shape(conn)):
                conn.close()
                return _empty_database()
            version = _unversioned_version(conn)
        # before the version: a damaged file from an older nn-tutor must not go on to be
        # upgraded, which would move it aside (Store.open)
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise CorruptDatabaseError(f"quick_check: {check.splitlines()[0]}")
        _refuse_missing(conn, path, version)  # (an older one too: its upgrade would fail)
        if version < SCHEMA_VERSION:
            raise OlderSchemaError(version)
        conn.execute("PRAGMA query_only = ON")
        return conn
    except BaseException:
        conn.close()
        raise


def _connect_read_only(path: Path, *, immutable: bool) -> sqlite3.Connection:
    """A read-only connection (SQLite's ``mode=ro``), waiting out a checkpoint like :func:`connect`.

    ``immutable`` tells SQLite the file cannot change while open, so it reads it without the
    ``-shm`` index a WAL database otherwise needs: only true of a file in a folder no one can
    write to (no writer could make the ``-wal`` it would write to), with no ``-wal`` left over.
    """
    uri = path.absolute().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
    return _sqlite(uri, uri=True)


def _wal_index_unmakeable(error: sqlite3.OperationalError, path: Path) -> bool:
    """Whether a read-only open failed because SQLite could not make the WAL's ``-shm`` index
    (its folder is read-only), rather than for any other reason (a lock, a damaged file). A
    folder on a read-only file system (a read-only mount) makes SQLite say it cannot open the
    file, not that it is read-only: that counts where the folder cannot be written."""
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is None:
        return "readonly database" in str(error)
    if code & 0xFF == _READONLY_CODE:
        return True
    return code & 0xFF == _CANTOPEN_CODE and not os.access(path.parent, os.W_OK)


def _wal_has_frames(path: Path) -> bool:
    """Whether a ``-wal`` beside the file may hold writes not yet in the file itself (an
    immutable read would miss them): an empty or missing one holds none. (One that is not empty
    may hold frames already checkpointed, when a reader closed last: refused all the same.)"""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


def _wal_index_missing_for_good(path: Path) -> bool:
    """Whether the ``-shm`` index of a WAL database is missing and cannot be made (its folder is
    read-only): SQLite then refuses to open it ("unable to open database file") while its
    ``-wal`` holds frames, the one way to read them."""
    shm = path.with_name(path.name + "-shm")
    return not shm.exists() and not os.access(path.parent, os.W_OK)


def _is_busy(error: Exception) -> bool:
    """Whether ``error`` is another connection's lock held past the busy timeout."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is None:
        return "database is locked" in str(error)
    return code & 0xFF == _BUSY_CODE


def _stand_in(path: Path) -> sqlite3.Connection:
    """What the file at ``path`` holds, read at this nn-tutor's schema without writing to it,
    for a store whose creation or upgrade waits for another nn-tutor's write lock: the file
    itself read-only where it is at this schema (or an empty database in memory where it has no
    progress yet, :func:`open_read_only`), else a copy of it in memory, upgraded there, read-only.
    The copy is one snapshot (a backup reads in one transaction): never a half-done upgrade."""
    try:
        return open_read_only(path)
    except OlderSchemaError:
        pass  # (a sound file: open_read_only checked it first)
    source = _connect_read_only(path, immutable=False)
    copy = _sqlite(":memory:")
    try:
        source.backup(copy)
        migrate(copy)
    except BaseException:
        copy.close()
        raise
    finally:
        source.close()
    copy.execute("PRAGMA query_only = ON")
    return copy


def _empty_database() -> sqlite3.Connection:
    """A database in memory at the current schema with nothing in it: what a read-only open
    reads where there is no progress yet. Read-only too, so nothing can be kept in it by mistake."""
    conn = _sqlite(":memory:")
    migrate(conn)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _file_identity(path: Path) -> tuple[int, int] | None:
    """The file's device and inode (``None`` when it is not there)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


# ------------------------------------------------------------------------------------ data access


@dataclass
class CardRow:
    """A card's scheduling state as stored. ``last_ms is None``: introduced but never rated."""

    id: int
    key: str
    content_hash: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due_ms: int
    last_ms: int | None
    added_ms: int

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> CardRow:
        return cls(**json.loads(text))

    def usable(self) -> bool:
        """Whether fsrs can schedule from this row. SQLite keeps whatever a hand or a tool wrote
        (a state of 7, a stability of "NaN", a due time in words), and a row like that made
        every screen and command that read it fail with a traceback."""
        numbers = (self.stability, self.difficulty)
        return (
            isinstance(self.content_hash, str)
            and type(self.state) is int
            and self.state in _STATES
            and (self.step is None or (type(self.step) is int and self.step >= 0))
            # fsrs reviews and relearns from a stability and a difficulty, and relearns in steps
            and (numbers == (None, None) or all(_positive(n) for n in numbers))
            and (self.state == LEARNING or numbers != (None, None))
            and (self.state != RELEARNING or self.step is not None)
            and is_time_ms(self.due_ms)
            and (self.last_ms is None or is_time_ms(self.last_ms))
            and is_time_ms(self.added_ms)
        )

    def started_over(self) -> CardRow:
        """What is kept of a row that is not :meth:`usable`: the card, as new and due at once
        (its reviews stay in their own table)."""
        added = self.added_ms if is_time_ms(self.added_ms) else 0
        kept = self.content_hash if isinstance(self.content_hash, str) else ""
        return CardRow(self.id, self.key, kept, 1, None, None, None, added, None, added)


LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs.State's values
_STATES = frozenset({LEARNING, REVIEW, RELEARNING})
LAST_TIME_MS = 253_402_300_799_000  # 9999-12-31T23:59:59Z: datetime goes no further


def is_time_ms(value: object) -> bool:
    """Whether ``value`` is a time as the store keeps it (ms since the epoch) that a datetime
    can hold: a tool that wrote nanoseconds wrote times past the year 9999."""
    return type(value) is int and 0 <= value <= LAST_TIME_MS  # type: ignore[operator]


def _positive(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and value > 0  # type: ignore[arg-type]


def _card_row(row: tuple[Any, ...]) -> CardRow:
    """A card's row as read: one fsrs cannot schedule from as started over (a read-only store
    keeps it; see :meth:`Store.start_over_unusable_cards`)."""
    card = CardRow(*row)
    return card if card.usable() else card.started_over()


_CARD_COLUMNS = (
    "id, card_key, content_hash, state, step, stability, difficulty, due_ms, last_ms, added_ms"
)
_KEYS_A_QUERY = 500  # keys bound in one statement (SQLite's limit was 999 before 3.32)


@dataclass(frozen=True)
class Attempt:
    """One answer to a quiz or exercise, as stored: ``answer`` is the text the service wrote (see
    ``Learning.record_quiz``), ``None`` where nothing was kept."""

    kind: str
    item_id: str
    lesson_id: str
    correct: bool
    at_ms: int
    answer: str | None = None
    hints_used: int = 0
    answer_shown: bool = False  # made after the answer was shown (v5): a right one is no pass

    @property
    def passed(self) -> bool:
        """Whether this attempt shows the learner knows the item: right, with the answer not
        shown to them first."""
        return self.correct and not self.answer_shown

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Attempt:
        """An attempt from a row of :data:`_ATTEMPT_COLUMNS` (flags are stored as 0/1)."""
        kind, item_id, lesson_id, correct, at_ms, answer, hints_used, answer_shown = row
        return cls(
            kind, item_id, lesson_id, bool(correct), at_ms, answer, hints_used, bool(answer_shown)
        )


_ATTEMPT_COLUMNS = "kind, item_id, lesson_id, correct, at_ms, answer, hints_used, answer_shown"


@dataclass(frozen=True)
class StepMark:
    """A lesson step as progress keeps it (seen, the saved position): where it was when kept and
    its key, ``None`` in a row from before keys (v4) or for a step the lesson did not have. The
    store does not know the lessons: the service finds the step in the lesson as it is now."""

    index: int
    key: str | None


@dataclass(frozen=True)
class ReviewRow:
    card_id: int
    rating: int
    state: int
    at_ms: int
    duration_ms: int | None


class Store:
    """Typed reads and writes over one connection. Every public write is one transaction."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        moved_aside: Path | None = None,
        *,
        read_only: bool = False,
        set_up_pending: bool = False,
    ):
        self.conn = conn
        self.path = path
        self.moved_aside = moved_aside
        self.read_only = read_only
        """Opened read-only (:data:`Access.READ`, or :data:`Access.READ_MOSTLY` that could not
        write): every write fails, and a caller that writes only if it can checks this first."""
        self.set_up_pending = set_up_pending
        """The file could not be created or upgraded when opened (another nn-tutor held its
        write lock past the wait): :attr:`conn` reads a stand-in (:func:`_stand_in`), and the
        next write sets the file up first (:meth:`write`). Writes made only to tidy up at open
        wait for the next open rather than for the lock."""
        self._identity = _file_identity(path)

    @classmethod
    def open(cls, path: Path, access: Access = Access.WRITE) -> Store:
        """Open the store as ``access`` says the caller will use it."""
        if access is Access.READ:
            try:
                return cls(open_read_only(path), path, read_only=True)
            except OlderSchemaError as older:
                # an older nn-tutor's file: upgrade it, as the tutor would on opening it, rather
                # than refuse every read until then; say so only where it cannot be written
                try:
                    conn, moved = open_database(path)
                except (sqlite3.OperationalError, OSError) as error:
                    if _is_busy(error):  # (it waits for another nn-tutor: read it upgraded)
                        return cls(_stand_in(path), path, read_only=True)
                    raise older from None
                return cls(conn, path, moved)
        try:
            conn, moved = open_database(path)
        except (sqlite3.OperationalError, OSError) as error:
            busy = _is_busy(error)
            if access is Access.WRITE:
                if busy:
                    # being created or upgraded by another nn-tutor, or waiting for its lock to
                    # be: read what is there, and set it up at the first write (write())
                    return cls(_stand_in(path), path, set_up_pending=True)
                raise
            # locked past the wait (an older file read upgraded), or a read-only file or
            # folder: it can still be read
            return cls(_stand_in(path) if busy else open_read_only(path), path, read_only=True)
        return cls(conn, path, moved)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """One transaction for a read-modify-write that spans several calls.

        Refused with :class:`DatabaseGoneError` when the file at :attr:`path` is no longer the
        one this connection writes to (deleted or replaced since it was opened). A store whose
        set-up is pending (:attr:`set_up_pending`) is set up first, in that same file only: that
        waits for the lock as any write does, and fails as one does ("database is locked") when
        it is held past the wait, to be tried again by the next write; it fails with
        :class:`MovedAsideError` where it found the file damaged and started a new one."""
        if not self.conn.in_transaction:
            self._check_file()
            if self.set_up_pending:
                self._set_up()
        with transaction(self.conn):
            yield self

    def _set_up(self) -> None:
        """Create or upgrade the file (:func:`open_database`) and read and write it from now
        on, in place of the stand-in read until then. A file found damaged is moved aside and a
        new one set up, and the learner is told (:class:`MovedAsideError`): what they read until
        then is not in the new one."""
        conn, self.moved_aside = open_database(self.path)
        self.conn.close()
        self.conn = conn
        self._identity = _file_identity(self.path)
        self.set_up_pending = False
        if self.moved_aside is not None:
            raise MovedAsideError(self.path, self.moved_aside)

    def _check_file(self) -> None:
        if self._identity is not None and _file_identity(self.path) != self._identity:
            raise DatabaseGoneError(self.path)

    # ---------------------------------------------------------------------------------- meta

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a meta value (call inside :meth:`write`, or it autocommits on its own)."""
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def delete_meta(self, key: str) -> None:
        """Remove a meta value, if there is one (inside :meth:`write`, as :meth:`set_meta`)."""
        self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    # --------------------------------------------------------------------------------- cards

    def card(self, key: str) -> CardRow | None:
        row = self.conn.execute(
            f"SELECT {_CARD_COLUMNS} FROM cards WHERE card_key = ?", (key,)
        ).fetchone()
        return _card_row(row) if row else None

    def last_rated(self, keys: Iterable[str]) -> dict[str, int | None]:
        """When each of ``keys`` was last rated (``None``: never, or no row), as :meth:`card`
        reads it: in batches, as SQLite limits a statement's parameters."""
        keys = list(dict.fromkeys(keys))
        found: dict[str, int | None] = dict.fromkeys(keys)
        for start in range(0, len(keys), _KEYS_A_QUERY):
            batch = keys[start : start + _KEYS_A_QUERY]
            marks = ",".join("?" * len(batch))
            rows = self.conn.execute(
                f"SELECT {_CARD_COLUMNS} FROM cards WHERE card_key IN ({marks})", batch
            )
            found.update((card.key, card.last_ms) for card in map(_card_row, rows))
        return found

    def cards(self) -> list[CardRow]:
        return [_card_row(r) for r in self.conn.execute(f"SELECT {_CARD_COLUMNS} FROM cards")]

    def start_over_unusable_cards(self) -> list[str]:
        """Start again, as new, each card whose row fsrs cannot schedule from (see
        :meth:`CardRow.usable`); their reviews stay. Returns their keys. A read-only store, or
        one whose set-up is pending, is left as it is (its rows are read as started over)."""
        rows = [CardRow(*r) for r in self.conn.execute(f"SELECT {_CARD_COLUMNS} FROM cards")]
        unusable = [row for row in rows if not row.usable()]
        if unusable and not (self.read_only or self.set_up_pending):
            with self.write():
                for row in unusable:
                    self.update_card(row.started_over())
        return [str(row.key) for row in unusable]

    def due_after(self, after_ms: int, *, learning: bool = False) -> Iterator[tuple[str, int]]:
        """``(key, due_ms)`` of cards due after ``after_ms``, soonest first (lazily); with
        ``learning``, only the learning and relearning cards :meth:`learning_keys` takes."""
        only = " AND state IN (1, 3) AND last_ms IS NOT NULL" if learning else ""
        yield from self.conn.execute(
            "SELECT card_key, due_ms FROM cards WHERE due_ms > ? AND typeof(due_ms) = 'integer'"
            f"{only} ORDER BY due_ms",
            (after_ms,),
        )

    def known_keys(self) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT card_key FROM cards")}

    def keys_after(self, row_id: int) -> list[tuple[int, str]]:
        """``(id, key)`` of cards with a row id above ``row_id``, oldest first. Ids grow until a
        row is deleted (see :meth:`cards_removed`): the next row may then reuse the top id."""
        rows = self.conn.execute(
            "SELECT id, card_key FROM cards WHERE id > ? ORDER BY id", (row_id,)
        )
        return [(r[0], r[1]) for r in rows]

    def cards_removed(self) -> int:
        """How many card rows were ever deleted (undo of a first rating): while it stays the same,
        no row id was freed for reuse, so new rows are exactly those past the last id seen."""
        return int(self.meta("cards_removed") or 0)

    def max_card_id(self) -> int:
        """The largest card row id (0 for none): a new row gets the next one."""
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM cards").fetchone()[0])

    def due_keys(self, until_ms: int) -> list[str]:
        """Keys of cards due by ``until_ms``, most overdue first."""
        rows = self.conn.execute(
            "SELECT card_key FROM cards WHERE due_ms <= ? ORDER BY due_ms", (until_ms,)
        )
        return [r[0] for r in rows]

    def learning_keys(self, until_ms: int) -> list[str]:
        """Keys of learning and relearning cards (rated at least once) due by ``until_ms``,
        soonest first: what a session may show early rather than end (Anki's learn-ahead)."""
        rows = self.conn.execute(
            "SELECT card_key FROM cards WHERE due_ms <= ? AND state IN (1, 3) "
            "AND last_ms IS NOT NULL ORDER BY due_ms",
            (until_ms,),
        )
        return [r[0] for r in rows]

    def new_rated_between(self, since_ms: int, until_ms: int) -> int:
        """How many never-introduced cards got their first rating from ``since_ms`` up to (not
        including) ``until_ms``.

        Those are the deck cards that count against the new-cards-per-day limit (a rating that
        created its card's row has no ``prev``). Bounded on both sides: ratings dated after the
        day (a clock that ran ahead, since put right) must not use up the days before them.
        """
        return self.conn.execute(
            "SELECT count(*) FROM reviews WHERE at_ms >= ? AND at_ms < ? AND prev IS NULL",
            (since_ms, until_ms),
        ).fetchone()[0]

    def introduce(self, key: str, content_hash: str, now_ms: int) -> bool:
        """Add a card as new and due now; ``False`` if the learner already has it."""
        with self.write():
            cursor = self.conn.execute(
                "INSERT INTO cards (card_key, content_hash, state, due_ms, added_ms) "
                "VALUES (?, ?, 1, ?, ?) ON CONFLICT (card_key) DO NOTHING",
                (key, content_hash, now_ms, now_ms),
            )
            return cursor.rowcount > 0

    def bring_forward(self, keys: list[str], now_ms: int) -> int:
        """Make the given known cards due now (never later than they already are)."""
        if not keys:
            return 0
        with self.write():
            marks = ",".join("?" * len(keys))
            cursor = self.conn.execute(
                f"UPDATE cards SET due_ms = ? WHERE due_ms > ? AND card_key IN ({marks})",
                (now_ms, now_ms, *keys),
            )
            return cursor.rowcount

    def insert_card(self, row: CardRow) -> int:
        cursor = self.conn.execute(
            "INSERT INTO cards (card_key, content_hash, state, step, stability, difficulty, "
            "due_ms, last_ms, added_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.key,
                row.content_hash,
                row.state,
                row.step,
                row.stability,
                row.difficulty,
                row.due_ms,
                row.last_ms,
                row.added_ms,
            ),
        )
        return int(cursor.lastrowid or 0)

    def update_card(self, row: CardRow) -> None:
        self.conn.execute(
            "UPDATE cards SET content_hash = ?, state = ?, step = ?, stability = ?, "
            "difficulty = ?, due_ms = ?, last_ms = ? WHERE id = ?",
            (
                row.content_hash,
                row.state,
                row.step,
                row.stability,
                row.difficulty,
                row.due_ms,
                row.last_ms,
                row.id,
            ),
        )

    # ------------------------------------------------------------------------------- reviews

    def insert_review(
        self,
        card_id: int,
        rating: int,
        state: int,
        at_ms: int,
        prev: CardRow | None,
        duration_ms: int | None,
    ) -> int:
        cursor = self.conn.execute(
            "INSERT INTO reviews (card_id, rating, state, at_ms, prev, duration_ms) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (card_id, rating, state, at_ms, prev.to_json() if prev else None, duration_ms),
        )
        return int(cursor.lastrowid or 0)

    def undo_review(self, review_id: int) -> str | None:
        """Delete a review and put its card back as it was; the card's key, or ``None`` when the
        review is gone.

        Only a card's newest review can be undone: ``prev`` is the card before this review, and
        a newer one (another nn-tutor rated the card since) built on what this review left.
        Putting ``prev`` back would lose that rating's state, leaving a card that no longer
        matches its newest review (or, for the card's first review, delete the card under it).
        Such a review raises :class:`ReviewSuperseded` and nothing changes."""
        with self.write():
            row = self.conn.execute(
                "SELECT r.card_id, r.prev, c.card_key, "
                "(SELECT max(n.id) FROM reviews n WHERE n.card_id = r.card_id) "
                "FROM reviews r JOIN cards c ON c.id = r.card_id WHERE r.id = ?",
                (review_id,),
            ).fetchone()
            if row is None:
                return None
            card_id, prev, key, newest = row
            if newest != review_id:
                raise ReviewSuperseded(key)
            self.conn.execute("DELETE FROM reviews WHERE id = ?", (review_id,))
            if prev is None:
                self.conn.execute("DELETE FROM cards WHERE id = ?", (card_id,))
            else:
                self.update_card(CardRow.from_json(prev))
            return str(key)

    def reviews(self, since_ms: int | None = None) -> list[ReviewRow]:
        sql = "SELECT card_id, rating, state, at_ms, duration_ms FROM reviews"
        params: tuple[int, ...] = ()
        if since_ms is not None:
            sql += " WHERE at_ms >= ?"
            params = (since_ms,)
        return [ReviewRow(*r) for r in self.conn.execute(sql + " ORDER BY id", params)]

    def latest_durations(self, count: int) -> list[int]:
        """How long (ms) each of the latest ``count`` timed ratings took, oldest first."""
        rows = self.conn.execute(
            "SELECT duration_ms FROM reviews WHERE duration_ms > 0 ORDER BY id DESC LIMIT ?",
            (count,),
        )
        return [int(ms) for (ms,) in rows][::-1]

    def last_ratings(self, card_ids: Iterable[int]) -> dict[int, int]:
        """The latest rating of each of ``card_ids`` (card row ids) that has been rated."""
        ids = list(card_ids)
        latest: dict[int, int] = {}
        for start in range(0, len(ids), 500):  # under SQLite's limit of bound parameters
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            sql = (
                "SELECT card_id, rating FROM reviews WHERE id IN "
                f"(SELECT max(id) FROM reviews WHERE card_id IN ({marks}) GROUP BY card_id)"
            )
            latest.update(self.conn.execute(sql, chunk).fetchall())
        return latest

    def review_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]

    # ---------------------------------------------------------------------- lessons, attempts

    def record_attempt(
        self,
        kind: str,
        item_id: str,
        lesson_id: str,
        correct: bool,
        answer: str | None,
        hints_used: int,
        at_ms: int,
        answer_shown: bool = False,
    ) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO attempts (kind, item_id, lesson_id, correct, answer, hints_used, "
                "at_ms, answer_shown) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    kind,
                    item_id,
                    lesson_id,
                    int(correct),
                    answer,
                    hints_used,
                    at_ms,
                    int(answer_shown),
                ),
            )

    def latest_attempts(self, lesson_id: str) -> dict[str, Attempt]:
        """Each item's most recent attempt in a lesson."""
        rows = self.conn.execute(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE lesson_id = ? ORDER BY id",
            (lesson_id,),
        )
        return {attempt.item_id: attempt for attempt in map(Attempt.from_row, rows)}

    def last_attempt(self, lesson_id: str, item_id: str) -> Attempt | None:
        """An item's most recent attempt in a lesson (``None`` if never tried): one row, read
        through the ``attempts_lesson`` index, for a step that shows how it was left."""
        row = self.conn.execute(
            f"SELECT {_ATTEMPT_COLUMNS} FROM attempts WHERE lesson_id = ? AND item_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (lesson_id, item_id),
        ).fetchone()
        return Attempt.from_row(row) if row else None

    def activity_ms(self) -> list[int]:
        """When the learner did anything that counts towards a streak (ratings, answers)."""
        rows = self.conn.execute("SELECT at_ms FROM reviews UNION ALL SELECT at_ms FROM attempts")
        return [r[0] for r in rows]

    def save_position(
        self, lesson_id: str, step_index: int, at_ms: int, step_key: str | None = None
    ) -> None:
        # Written anew, not updated: the trigger that drops the key of a position an nn-tutor
        # from before keys moves (positions_index_moved) would take a kept key moved to the
        # step's new index (steps added above it) for that, and drop it.
        with self.write():
            self.conn.execute("DELETE FROM positions WHERE lesson_id = ?", (lesson_id,))
            self.conn.execute(
                "INSERT INTO positions (lesson_id, step_index, step_key, at_ms) "
                "VALUES (?, ?, ?, ?)",
                (lesson_id, step_index, step_key, at_ms),
            )

    def position(self, lesson_id: str) -> StepMark | None:
        row = self.conn.execute(
            "SELECT step_index, step_key FROM positions WHERE lesson_id = ?", (lesson_id,)
        ).fetchone()
        return StepMark(*row) if row else None

    def mark_seen(
        self,
        lesson_id: str,
        step_index: int,
        at_ms: int,
        step_key: str | None = None,
        next_key: str | None = None,
    ) -> None:
        """Keep a step as seen; a step already kept (by key, or by index in a keyless row) stays
        as it was, with the time it was first seen. ``next_key``, for a step kept by its text
        (no id), is the key of the step after it now: kept too (the latest), for
        :meth:`seen_next_key` to find the step again once its text is edited."""
        with self.write():
            self.conn.execute(
                "INSERT INTO seen_steps (lesson_id, step_index, step_key, at_ms) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (lesson_id, step_index, step_key, at_ms),
            )
            if step_key is not None and next_key is not None:
                self.set_meta(_seen_next_meta(lesson_id, step_key), next_key)

    def seen_next_key(self, lesson_id: str, step_key: str) -> str | None:
        """The key of the step that followed the step kept by ``step_key`` when it was last
        seen (:meth:`mark_seen`); ``None`` where none was kept."""
        return self.meta(_seen_next_meta(lesson_id, step_key))

    def index_only_lessons(self) -> dict[str, set[int]]:
        """Lessons with seen steps or a saved position kept by index alone (before v4, or by an
        older nn-tutor since), and those indexes: :meth:`key_steps` gives them keys."""
        return self._marks_by_lesson("step_index", "step_key IS NULL")

    def _marks_by_lesson(self, column: str, which: str) -> dict[str, set[Any]]:
        """``column`` of the seen steps and saved positions ``which`` (an SQL condition), by
        lesson."""
        rows = self.conn.execute(
            f"SELECT lesson_id, {column} FROM seen_steps WHERE {which} "
            f"UNION SELECT lesson_id, {column} FROM positions WHERE {which}"
        )
        lessons: dict[str, set[Any]] = {}
        for lesson_id, value in rows:
            lessons.setdefault(lesson_id, set()).add(value)
        return lessons

    def key_steps(self, lesson_id: str, keys: list[str]) -> None:
        """Give the lesson's steps kept by index alone the key of the step at that index in
        ``keys`` (the lesson as it is now); a step seen by key too keeps that row alone. An index
        past the lesson's end stays as it is."""
        at = [(lesson_id, index, key) for index, key in enumerate(keys)]
        with self.write():
            self.conn.executemany(
                "DELETE FROM seen_steps WHERE lesson_id = ?1 AND step_index = ?2 "
                "AND step_key IS NULL AND EXISTS (SELECT 1 FROM seen_steps "
                "WHERE lesson_id = ?1 AND step_key = ?3)",
                at,
            )
            for table in ("seen_steps", "positions"):
                self.conn.executemany(
                    f"UPDATE {table} SET step_key = ?3 "
                    "WHERE lesson_id = ?1 AND step_index = ?2 AND step_key IS NULL",
                    at,
                )

    def kept_step_keys(self) -> dict[str, set[str]]:
        """The keys that seen steps and saved positions are kept by, per lesson: a read that
        tells whether :meth:`rekey_steps` has anything to do, so an open writes only when so."""
        return self._marks_by_lesson("step_key", "step_key IS NOT NULL")

    def rekey_steps(self, lesson_id: str, renames: dict[str, str]) -> None:
        """Keep the lesson's steps kept by a key in ``renames`` by the key it maps to (a text
        step's key from before it had an id, to that id); a step kept by both keeps the row with
        the new key alone, as the one row per step and key requires."""
        pairs = [(lesson_id, old, new) for old, new in renames.items()]
        with self.write():
            self.conn.executemany(
                "DELETE FROM seen_steps WHERE lesson_id = ?1 AND step_key = ?2 "
                "AND EXISTS (SELECT 1 FROM seen_steps WHERE lesson_id = ?1 AND step_key = ?3)",
                pairs,
            )
            for table in ("seen_steps", "positions"):
                self.conn.executemany(
                    f"UPDATE {table} SET step_key = ?3 WHERE lesson_id = ?1 AND step_key = ?2",
                    pairs,
                )

    def seen_steps(self, lesson_id: str) -> set[int]:
        """The indexes the lesson's seen steps had when seen (:meth:`seen_marks` has their keys)."""
        return {mark.index for mark in self.seen_marks(lesson_id)}

    def seen_marks(self, lesson_id: str) -> list[StepMark]:
        rows = self.conn.execute(
            "SELECT step_index, step_key FROM seen_steps WHERE lesson_id = ?", (lesson_id,)
        )
        return [StepMark(*row) for row in rows]

    def seen_marks_by_lesson(self) -> dict[str, list[StepMark]]:
        """:meth:`seen_marks` of every lesson with a step seen, in one query."""
        seen: dict[str, list[StepMark]] = {}
        for lesson_id, step_index, step_key in self.conn.execute(
            "SELECT lesson_id, step_index, step_key FROM seen_steps"
        ):
            seen.setdefault(lesson_id, []).append(StepMark(step_index, step_key))
        return seen

    # --------------------------------------------------------------------------------- flags

    def add_flag(self, key: str, note: str, at_ms: int) -> None:
        """Flag a card, once: the same flag again (``f`` pressed twice) adds no second row,
        which ``stats`` would list as a second flagged card."""
        with self.write():
            self.conn.execute(
                "INSERT INTO flags (card_key, note, at_ms) SELECT ?, ?, ? WHERE NOT EXISTS "
                "(SELECT 1 FROM flags WHERE card_key = ? AND note = ?)",
                (key, note, at_ms, key, note),
            )

    def remove_flags(self, key: str) -> None:
        """Unflag a card: every flag it has goes, with its note (``f`` on a flagged card)."""
        with self.write():
            self.conn.execute("DELETE FROM flags WHERE card_key = ?", (key,))

    def is_flagged(self, key: str) -> bool:
        """Whether the card has a flag (``stats`` lists it among the flagged)."""
        row = self.conn.execute("SELECT 1 FROM flags WHERE card_key = ? LIMIT 1", (key,))
        return row.fetchone() is not None

    def flags(self) -> list[tuple[str, str, int]]:
        """``(card key, note, at_ms)``, newest first."""
        rows = self.conn.execute("SELECT card_key, note, at_ms FROM flags ORDER BY id DESC")
        return [(r[0], r[1], r[2]) for r in rows]
