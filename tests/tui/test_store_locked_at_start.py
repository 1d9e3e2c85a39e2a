"""The tutor started while another nn-tutor (a review, another tutor) holds the progress store's
write lock: the store opens all the same, as WAL lets readers through, and the session keeps its
progress once the lock is let go, rather than running the whole session without saving it. So
for a store still to be created (another nn-tutor creating it) or upgraded (an older nn-tutor's):
the first write once the lock is let go creates or upgrades it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.learning.conftest import FIXTURE_DECKS, make_empty, make_older, write_lock_held
from tests.learning.tui_helpers import make_app
from tutor.config import TutorConfig
from tutor.decks import load_for_command
from tutor.learning import Learning
from tutor.learning import store as store_module
from tutor.screens.lesson import LessonScreen

from .conftest import wait_for

SIZE = (100, 32)


def errors(app: Any) -> list[str]:
    return [note.message for note in app._notifications if note.severity == "error"]


def earlier_session(config: TutorConfig) -> None:
    Learning.open(config, load_for_command([], config)).close()


def being_created(config: TutorConfig) -> None:
    make_empty(config.paths.database, "wal")


def older_nn_tutor(config: TutorConfig) -> None:
    make_older(config.paths.database)


@pytest.mark.parametrize("left_by", [earlier_session, being_created, older_nn_tutor])
async def test_the_tutor_started_on_a_locked_store_keeps_progress_once_it_is_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, left_by: Callable[[TutorConfig], None]
) -> None:
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)])
    config.paths.database.parent.mkdir(parents=True)
    left_by(config)  # the store as it was left
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)  # a lock held fails at once

    locked = contextlib.ExitStack()
    locked.enter_context(write_lock_held(config.paths.database))  # another nn-tutor writing
    app = make_app(config)
    app.cuda = False
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, app._learning_settled.is_set)
        locked.close()
        assert app.learning is not None, app.learning_error
        assert errors(app) == []

        app.open_lesson("tensors")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("ctrl+pagedown")
        await wait_for(
            pilot,
            lambda: (
                not [w for w in app.workers if w.group == "learning-write" and not w.is_finished]
            ),
        )
        seen = await app.learning_call(lambda learning: learning.store.seen_steps("tensors"))
        assert seen == {0, 1}
