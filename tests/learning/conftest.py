from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, DeckLoader, load_for_command
from tutor.learning import FixedClock, Learning, SchedulerSettings

FIXTURE_DECKS = Path(__file__).parent / "fixtures" / "decks"
NO_FUZZ = SchedulerSettings(enable_fuzzing=False)


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
