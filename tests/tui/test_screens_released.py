"""A screen left is let go: nothing of the app keeps it, and every widget it held, alive. Each
screen once watched the app's language itself, so the app's list of watchers kept every lesson
ever opened until the language next changed (QA: ~40 MB a walk of the course)."""

from __future__ import annotations

import gc
import weakref
from collections import Counter

from textual.widget import Widget

from tutor.i18n import tr
from tutor.screens.lesson import LessonScreen

from .conftest import make_app, ready, wait_for


async def test_a_lesson_left_is_let_go_and_the_open_one_still_changes_language(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        lesson_id = app.library.lessons[0].id
        app.open_lesson(lesson_id)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        left = weakref.ref(app.screen)
        app.pop_screen()
        await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
        await pilot.pause(0.2)
        gc.collect()
        assert left() is None, "the lesson left is still alive"

        app.open_lesson(lesson_id)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        hint = app.screen.query_one("#nav-hint")
        assert str(hint.render()) == tr("lesson.nav", "en")
        await pilot.press("f2")  # the app tells the screens in its stack, as they watch nothing
        await pilot.pause(0.2)
        assert str(hint.render()) == tr("lesson.nav", "zh")


async def test_no_widget_of_a_lesson_walked_and_left_stays_alive(tmp_path):
    """Code views watch the app's language, device toggles its CUDA flag, a screen's Header its
    title, footer keys their footer's ``compact``: each was kept by what it watched."""
    app = make_app(tmp_path)
    seen: list[weakref.ref[Widget]] = []  # every widget the walk showed (not other tests')
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        for lesson in app.library.lessons:
            app.open_lesson(lesson.id)
            await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
            for index in range(len(lesson.steps)):
                app.screen.index = index
                await pilot.pause(0)
                seen += [weakref.ref(w) for w in app.screen.walk_children(with_self=True)]
            app.pop_screen()
            await wait_for(pilot, lambda: not isinstance(app.screen, LessonScreen))
        await pilot.pause(0.3)
        gc.collect()
        left = [w for ref in seen if (w := ref()) is not None and not w.is_attached]
        assert Counter(type(w).__name__ for w in left) == Counter()
