"""A progress store another nn-tutor holds the write lock on (a review writing) when this one
opens it: a file already at this nn-tutor's schema opens all the same (WAL lets a reader through
a writer), rather than failing after the busy timeout and leaving the
session without progress. Writes wait for the lock as ever, and work once it is let go."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS, write_lock_held
from tutor.config import TutorConfig
from tutor.decks import load_for_command
from tutor.learning import Learning
from tutor.learning import store as store_module


def test_a_store_locked_by_another_nn_tutor_still_opens_and_saves_once_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)])
    library = load_for_command([], config)
    Learning.open(config, library).close()  # the store exists, at this nn-tutor's schema
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)  # a lock not let go fails at once

    with write_lock_held(config.paths.database):
        learning = Learning.open(config, library)
        assert learning.store.read_only is False
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            learning.mark_step_seen("tensors", 0)
    learning.mark_step_seen("tensors", 0)  # the lock let go: the same store saves
    assert learning.lesson_progress("tensors").seen_steps == 1
    learning.close()
