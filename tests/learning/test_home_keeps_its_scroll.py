"""The course map left shown reads the lessons' mastery again every few minutes: their lines
are drawn again in place, and the list stays where the learner scrolled it (rebuilt, it went
back to the highlighted row at the top each time: a review)."""

from __future__ import annotations

from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.config import TutorConfig


async def test_the_timed_mastery_read_keeps_the_list_where_it_was_scrolled(tmp_path):
    app = make_app(TutorConfig.resolve(data_dir=tmp_path / "data", lang="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        home = app.screen
        await wait_for(pilot, lambda: bool(home.progress) and home.reread_at is not None)
        lessons = home.query_one("#lessons")
        assert lessons.max_scroll_y > 0 and lessons.highlighted == 0
        lessons.scroll_to(y=lessons.max_scroll_y, animate=False)  # as a mouse wheel does
        await pilot.pause()
        bottom = lessons.scroll_y
        assert bottom > 0
        reads: list[str] = []
        read_progress = learning.lesson_progress
        learning.lesson_progress = lambda i: reads.append(i) or read_progress(i)
        learning.clock.advance(minutes=6)  # past the mastery's re-read
        await wait_for(pilot, lambda: len(reads) > 0 and home.reread_at is not None)
        await pilot.pause()
        assert lessons.scroll_y == bottom
        assert lessons.highlighted == 0
