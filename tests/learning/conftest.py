from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, DeckLoader, load_for_command
from tutor.learning import FixedClock, Learning, SchedulerSettings
from tutor.learning.store import SCHEMA_VERSION, connect, migrate

FIXTURE_DECKS = Path(__file__).parent / "fixtures" / "decks"
NO_FUZZ = SchedulerSettings(enable_fuzzing=False)
LESSON = "tensors"
"""A lesson of the fixture decks, with the quiz :data:`QUIZ`."""
QUIZ = "tensors.q-bias"


@contextmanager
def write_lock_held(db: Path) -> Iterator[None]:
    """Another connection to the store's file holds its write lock, as another nn-tutor would
    while it writes."""
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def store_writes_of(monkeypatch: pytest.MonkeyPatch, method: str) -> list[str]:
    """Replace ``Store.<method>`` (a write taking the lesson id first) with a recorder of the
    lesson ids it is called with, for a test to tell an open that writes from one that does not."""
    calls: list[str] = []
    monkeypatch.setattr(
        f"tutor.learning.store.Store.{method}",
        lambda self, lesson_id, *_args: calls.append(lesson_id),
    )
    return calls


def load_library(path: Path = FIXTURE_DECKS) -> DeckLibrary:
    library = DeckLoader([path]).load()
    assert library.ok, library.errors
    return library


@pytest.fixture
def config(tmp_path: Path) -> TutorConfig:
    return TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang="en")


@pytest.fixture
def library() -> DeckLibrary:
    return load_library()


@pytest.fixture
def course(tmp_path: Path) -> TutorConfig:
    """A fresh store over the bundled course, for histories that need its 200-odd cards (fsrs'
    optimizer learns from at most 64 reviews a card: the fixture decks' four are too few)."""
    return TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")


def open_course(config: TutorConfig, clock: FixedClock) -> Learning:
    """The course's store on ``clock``, fuzz off so intervals are exact."""
    return Learning.open(config, load_for_command([], config), settings=NO_FUZZ, clock=clock)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


def finish_lessons(learning: Learning) -> None:
    """Mark every step of every loaded lesson seen, so the card decks written for the lessons are
    offered (they wait for their lesson: ``Learning.locked_lessons``)."""
    for lesson in learning.library.lessons:
        for index in range(len(lesson.steps)):
            learning.mark_step_seen(lesson.id, index)


@pytest.fixture
def learning(config: TutorConfig, library: DeckLibrary, clock: FixedClock) -> Iterator[Learning]:
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as opened:
        yield opened


def make_empty(db: Path, journal_mode: str) -> None:
    """The file another nn-tutor has just made and is about to create the tables in."""
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.close()


def make_older(db: Path) -> None:
    """A store as the previous nn-tutor left it, with a right answer kept."""
    conn = connect(db)
    assert migrate(conn, target=SCHEMA_VERSION - 1) == SCHEMA_VERSION - 1
    conn.execute(
        "INSERT INTO attempts (kind, item_id, lesson_id, correct, answer, hints_used, at_ms) "
        "VALUES ('quiz', ?, ?, 1, '\"true\"', 0, 1736856000000)",
        (QUIZ, LESSON),
    )
    conn.close()
