"""The course map's mastery is read again with its count of cards due as the clock moves.

QA left nn-tutor on the course map and moved the clock a day: the Today panel's count followed
(🃏 26) but lesson 0 still said "mastery 25%" where Stats said 24% (the cards' recall fades
with time, and only the count was read again); a trip to Stats and back set the map right.
"""

from __future__ import annotations

from datetime import datetime, timezone

from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import screen_text, wait_for
from tests.tui.test_home_due_count import _config, _rate_all_and_go_home
from tutor.i18n import tr
from tutor.learning import FixedClock

SIZE = (100, 32)


def _mastery_shown(learning, lesson_id: str) -> str:
    """The words the map should show for ``lesson_id``'s mastery, read from the store now."""
    return tr("home.mastery", "en", pct=round(100 * learning.lesson_progress(lesson_id).mastery))


async def test_a_day_on_the_map_reads_the_mastery_again_with_the_count(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, home, count = await _rate_all_and_go_home(pilot, app, "3")  # Good
        await wait_for(pilot, lambda: bool(home.progress))
        lesson_id = next(
            lesson.id
            for lesson in app.library.lessons
            if learning.lesson_progress(lesson.id).mastery > 0
        )
        before = _mastery_shown(learning, lesson_id)
        assert before in screen_text(app)
        learning.clock.advance(days=1)  # nothing pressed: the learner comes back to the screen
        after = _mastery_shown(learning, lesson_id)
        assert after != before  # the cards' recall has faded: the map must show it
        await wait_for(pilot, lambda: home.due == count)
        await wait_for(pilot, lambda: after in screen_text(app))
        assert before not in screen_text(app)


async def test_the_count_alone_is_read_at_a_change_soon_after_the_progress(tmp_path):
    """The progress of a big course is slow to read: a count that changes minutes after it was
    read is read on its own; the mastery once the progress read is a few minutes old."""
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        two_to_midnight = datetime(2025, 1, 15, 23, 58, tzinfo=timezone.utc)
        learning = await settle(
            pilot, app, lessons_finished=True, clock=FixedClock(at=two_to_midnight)
        )
        home = app.screen
        for card in learning.due_now():
            learning.rate(card.id, 4)  # Easy: days on; the count may change next at midnight
        home.load_progress()
        await wait_for(pilot, lambda: home.due == 0)
        midnight = home.recount_at
        assert midnight == learning.clock.end_of_today()
        progress_reads: list[str] = []
        read_progress = learning.lesson_progress
        learning.lesson_progress = lambda i: progress_reads.append(i) or read_progress(i)
        learning.clock.advance(minutes=3)  # past midnight; the progress read 3 minutes ago
        await wait_for(pilot, lambda: home.recount_at is not None and home.recount_at > midnight)
        assert progress_reads == []
        learning.clock.advance(hours=1)  # the progress read an hour ago: its mastery is stale
        await wait_for(pilot, lambda: set(progress_reads) == {x.id for x in app.library.lessons})
