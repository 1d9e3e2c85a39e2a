"""The course map's "N cards due" is what ``r`` would show, and follows the clock.

A learner who leaves nn-tutor on the course map overnight read "0 cards due" in the morning
(it was read only when the screen was shown), and one told "0 cards due" pressed ``r`` and was
handed a learning step due in a few minutes (the review learns ahead, the count did not).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.learning.conftest import FIXTURE_DECKS
from tests.learning.tui_helpers import make_app, review_first_card
from tests.tui.conftest import wait_for
from tutor.config import TutorConfig
from tutor.i18n import tr

SIZE = (100, 32)


async def _rate_all_and_go_home(pilot, app, rating: str) -> tuple[object, object, int]:
    """Review every card of the first sitting with ``rating`` and go back to the course map."""
    learning, screen = await review_first_card(pilot, app)
    count = len(screen.queue)
    for _ in range(count):
        await pilot.press("space")
        await pilot.press(rating)
        await pilot.pause()
    await pilot.press("escape")
    home = app.screen
    await wait_for(pilot, lambda: home.id == "home" and home.due is not None)
    return learning, home, count


def _config(tmp_path: Path) -> TutorConfig:
    return TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang="en")


async def test_the_count_is_the_cards_a_review_would_show(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, home, count = await _rate_all_and_go_home(pilot, app, "3")  # Good: 10 min on
        assert learning.due_now() == []  # none due this minute; all within the learn-ahead
        await wait_for(pilot, lambda: home.due == count)
        assert tr("home.due", "en", count=count) in str(home.query_one("#today").render())
        await pilot.press("r")
        await wait_for(pilot, lambda: getattr(app.screen, "state", None) == "card")
        assert len(app.screen.queue) == count


async def test_the_count_follows_the_clock_while_the_course_map_is_shown(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, home, count = await _rate_all_and_go_home(pilot, app, "4")  # Easy: days on
        await wait_for(pilot, lambda: home.due == 0)
        learning.clock.advance(days=60)  # nothing pressed: the learner comes back to the screen
        await wait_for(pilot, lambda: home.due == count)
        assert tr("home.due", "en", count=count) in str(home.query_one("#today").render())
        # (when the lessons' progress is read with it: test_home_mastery_follows_the_clock)


async def test_a_count_that_could_not_be_read_is_said_and_read_again(tmp_path):
    """A store locked for a moment (another nn-tutor writing) when the count was due to change:
    the map said nothing and stopped following the clock for good."""
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, home, count = await _rate_all_and_go_home(pilot, app, "4")
        await wait_for(pilot, lambda: home.due == 0)
        real, locked = learning.due_count, [True]

        def due_count(*args):
            if locked[0]:
                raise sqlite3.OperationalError("database is locked")
            return real(*args)

        learning.due_count = due_count
        learning.clock.advance(days=60)
        await wait_for(pilot, lambda: home.read_error is not None)
        assert "database is locked" in str(home.query_one("#today").render())
        locked[0] = False
        learning.clock.advance(seconds=30)
        await wait_for(pilot, lambda: home.due == count and home.read_error is None)


async def test_the_count_follows_the_clock_on_the_map_the_app_opened_on(tmp_path):
    """The map looks at the clock while it is shown: from the start too, not only once another
    screen has been and gone."""
    from tests.learning.tui_helpers import settle

    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        home = app.screen
        cards = learning.due_now()
        for card in cards:
            learning.rate(card.id, 4)  # Easy: days on
        home.load_progress()
        await wait_for(pilot, lambda: home.due == 0)
        learning.clock.advance(days=60)
        await wait_for(pilot, lambda: home.due == len(cards))
