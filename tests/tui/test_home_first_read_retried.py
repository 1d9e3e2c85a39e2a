"""The course map's first read of the progress, failed, is tried again while the map is shown.

When Home's first read failed (another nn-tutor holding the store locked, say), the Today panel
said the progress would be read again, but nothing was: the retry was timed from the count's
next change, and no count had been read yet. The map showed no progress until the learner left
it and came back with the store free.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tests.tui.test_home_due_count import _config
from tutor.learning import Learning
from tutor.screens.home import MASTERY_REFRESH, RECOUNT_RETRY, HomeScreen

SIZE = (100, 32)
LOCKED = "database is locked"


class StoreLock:
    """Every read of a lesson's progress fails, as with another nn-tutor writing, until
    :meth:`release`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.held = True
        self.refused: list[Learning] = []  # the store of each read refused, in order
        read_progress = Learning.lesson_progress

        def lesson_progress(learning: Learning, lesson_id: str) -> Any:
            if self.held:
                self.refused.append(learning)
                raise sqlite3.OperationalError(LOCKED)
            return read_progress(learning, lesson_id)

        monkeypatch.setattr(Learning, "lesson_progress", lesson_progress)

    def release(self) -> None:
        self.held = False


def _today(home: HomeScreen) -> str:
    return str(home.query_one("#today").render())


def _progress_read_done(app: Any) -> bool:
    """Whether Home has no read of the progress under way."""
    return not [w for w in app.workers if w.group == "home-progress" and not w.is_finished]


async def _refused_read(pilot: Any, app: Any, refused: Callable[[], bool]) -> None:
    """Wait for the read of the progress that ``refused`` tells of to be refused, and for Home
    to have taken the failure in."""
    await wait_for(pilot, refused)
    await wait_for(pilot, lambda: _progress_read_done(app))


async def _home_failed_first_read(
    pilot: Any, app: Any, lock: StoreLock
) -> tuple[Learning, HomeScreen]:
    """The frozen-clock store in, with Home's every read of the progress failed so far (the
    startup store's, then the frozen one's)."""
    learning = await settle(pilot, app, lessons_finished=True)
    home = app.screen
    assert isinstance(home, HomeScreen)
    await _refused_read(pilot, app, lambda: learning in lock.refused)
    assert LOCKED in _today(home)
    assert home.progress == {} and home.recount_at is None  # nothing read yet
    return learning, home


async def test_a_failed_first_read_is_read_again_while_the_map_is_shown(tmp_path, monkeypatch):
    lock = StoreLock(monkeypatch)
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, home = await _home_failed_first_read(pilot, app, lock)
        lock.release()  # the other nn-tutor is done
        learning.clock.advance(seconds=RECOUNT_RETRY.total_seconds())  # nothing pressed
        await wait_for(pilot, lambda: home.read_error is None and bool(home.progress))
        assert LOCKED not in _today(home)
        assert set(home.progress) == {lesson.id for lesson in app.library.lessons}
        # read, the progress is read again no sooner than before: in MASTERY_REFRESH
        assert home.reread_at == learning.clock.now() + MASTERY_REFRESH


async def test_a_failed_first_read_is_read_again_after_a_trip_away(tmp_path, monkeypatch):
    """The learner opens Help and comes back while the store is still locked: the read on
    coming back fails too, and is tried again as the clock moves."""
    lock = StoreLock(monkeypatch)
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, home = await _home_failed_first_read(pilot, app, lock)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen is not home)
        learning.clock.advance(seconds=RECOUNT_RETRY.total_seconds())  # under Help: no read
        refused_before = len(lock.refused)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is home)
        # the read on coming back
        await _refused_read(pilot, app, lambda: len(lock.refused) > refused_before)
        assert home.read_error is not None and home.progress == {}  # still locked
        lock.release()
        learning.clock.advance(seconds=RECOUNT_RETRY.total_seconds())
        await wait_for(pilot, lambda: home.read_error is None and bool(home.progress))
