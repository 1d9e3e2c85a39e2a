"""QA: a new learner opening Review was told "Nothing due right now. Nice work!" right above
"Flashcards waiting for their lesson: 156", praised with nothing done. The praise is kept for a
learner who has rated cards and cleared what was due."""

from __future__ import annotations

from typing import Any

import pytest

from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.i18n import tr
from tutor.learning import Learning
from tutor.screens.review import ReviewScreen


async def summary_of_review(pilot: Any) -> str:
    """Open Review on the app's store and wait for its summary: its text."""
    screen = ReviewScreen()
    await pilot.app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state == "done")
    return str(screen.query_one("#review-summary").render())


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_new_learner_is_not_praised_for_nothing_due(config, lang: str) -> None:
    app = make_app(config, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)  # no lesson finished, no card ever rated
        summary = await summary_of_review(pilot)
        assert tr("review.nothing_due", lang) not in summary and "🎉" not in summary
        assert tr("review.nothing_due_new_learner", lang) in summary
        assert tr("review.locked", lang, count=3) in summary  # why nothing is due


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_learner_who_cleared_what_was_due_is_praised(config, lang: str) -> None:
    app = make_app(config, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)

        def rate_all_easy(learning: Learning) -> None:
            for card in learning.due_now():  # Easy: due again in days
                learning.rate(card.id, 4)

        await app.learning_call(rate_all_easy)
        assert learning.due_count() == 0
        summary = await summary_of_review(pilot)
        assert f"🎉 {tr('review.nothing_due', lang)}" in summary
