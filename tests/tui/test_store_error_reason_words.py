"""A learning-store failure that carries nn-tutor's own reason (a ``reason_key``, as
``MovedAsideError`` does) is said in the learner's language, whatever the error: not only the
file moved aside; so is a common OS error (no permission, a full disk). Other failures (SQLite's
"database is locked") keep their own words, tested in test_tui_store_failures.py."""

from __future__ import annotations

from typing import Any

import pytest

from tutor.i18n import tr
from tutor.learning.store import StoreError

from .conftest import SIZE, wait_for
from .test_tui_store_failures import errors, store_app


class StoreErrorWithReason(StoreError):
    """A store error with words of its own in the catalogue, and English ones of its own."""

    reason_key = "os.not_regular"

    def __init__(self) -> None:
        super().__init__("the store's own English, which no learner should read")


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_store_error_with_its_own_reason_is_said_in_the_learners_language(tmp_path, lang):
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.learning is not None)

        def fails(learning: Any) -> None:
            raise StoreErrorWithReason

        for _ in range(2):
            await app.learning_call(fails, failed="app.progress_not_saved", once=True)
        why = tr("os.not_regular", lang).rstrip("。.")
        # said once, as any failure but a file moved aside
        assert errors(app) == [tr("app.progress_not_saved", lang, error=why)]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_os_error_of_the_store_is_said_in_the_learners_language(tmp_path, lang):
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.learning is not None)
        denied = PermissionError(13, "Permission denied", str(tmp_path / "progress.db"))

        def fails(learning: Any) -> None:
            raise denied

        await app.learning_call(fails, failed="app.progress_not_saved", once=True)
        await pilot.pause()
        why = f"{denied.filename}: {tr('os.eacces', lang)}"
        assert errors(app) == [tr("app.progress_not_saved", lang, error=why)]
