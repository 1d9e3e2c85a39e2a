"""A store READ that fails is said in the learner's language as a failed write is
(test_store_error_reason_words.py): the screen that says so in place (stats, home's Today panel,
review) gets nn-tutor's own reason (a ``reason_key``) or a common OS error's in that language,
not the error's English inside its own sentence. SQLite's own words stay as they are, tested in
test_tui_store_failures.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.learning.tui_helpers import settle
from tutor.app import ReadFailed
from tutor.i18n import tr
from tutor.screens.stats import StatsScreen

from .conftest import SIZE, text_of, wait_for
from .test_store_error_reason_words import StoreErrorWithReason
from .test_tui_store_failures import errors, store_app


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_stats_that_cannot_be_read_for_want_of_permission_say_so_in_the_learners_language(
    tmp_path, monkeypatch, lang
):
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        denied = PermissionError(13, "Permission denied", str(learning.store.path))

        def stats(*args: Any) -> Any:
            raise denied

        monkeypatch.setattr(learning, "stats", stats)
        app.action_stats()
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: screen.read_error is not None)
        why = f"{denied.filename}: {tr('os.eacces', lang)}"
        said = f"⚠ {tr('stats.not_read', lang, error=why)}"
        assert text_of(screen.query_one("#stats-numbers")) == said
        assert errors(app) == []  # said in place only


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_read_failing_with_its_own_reason_answers_it_in_the_learners_language(
    tmp_path, lang
):
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.learning is not None)

        def fails(learning: Any) -> None:
            raise StoreErrorWithReason

        answer = await app.learning_call(fails, failed_read=True)
        assert answer == ReadFailed(tr("os.not_regular", lang).rstrip("。."))
