"""Where opening a lesson picks up: the saved position, the first unseen step, or the top."""

from __future__ import annotations

from tests.learning.conftest import load_library
from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.learning import Learning
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen


def _see(learning: Learning, lesson_id: str, *steps: int) -> None:
    """Show ``steps`` as the lesson player does: each is seen, then becomes the saved position."""
    for step in steps:
        learning.mark_step_seen(lesson_id, step)
        learning.save_position(lesson_id, step)


def test_resume_step_follows_the_learner(learning: Learning):
    assert learning.resume_step("tensors") == 0  # never opened
    assert learning.resume_step("unknown") == 0
    _see(learning, "tensors", 0, 1, 2)
    assert learning.resume_step("tensors") == 2  # on the way: where they left

    _see(learning, "tensors", 4)  # the last of 5 steps, with step 3 never shown
    assert learning.resume_step("tensors") == 3
    learning.save_position("tensors", 9)  # saved by a longer version of the lesson
    assert learning.resume_step("tensors") == 3

    _see(learning, "tensors", 3, 4)  # every step seen: a finished lesson reads from the top
    assert learning.lesson_progress("tensors").completed
    assert learning.resume_step("tensors") == 0


async def test_continue_opens_the_first_step_not_seen(config):
    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, app)
        await app.learning_call(lambda store: _see(store, "tensors", 0, 1, 2, 4))
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.load_progress()
        await wait_for(pilot, lambda: home.resume_steps.get("tensors") == 3)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.index == 3
        await pilot.press("right")  # to the last step, then past it
        await pilot.press("right")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        # Asked on the learning thread, after the visits the lesson recorded there.
        progress = await app.learning_call(lambda store: store.lesson_progress("tensors"))
        assert progress.completed


async def test_a_lesson_opened_at_start_up_records_its_first_step(config):
    """``nn-tutor lesson ID`` shows the lesson while the store is still opening: the first step's
    visit must wait for the store, not be dropped."""
    from tutor.app import TutorApp

    app = TutorApp(config, start="lesson", start_arg="tensors", autostart_sandbox=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: app.learning is not None)
        seen = await app.learning_call(lambda learning: learning.store.seen_steps("tensors"))
        assert seen == {0}
        assert await app.learning_call(lambda learning: learning.position("tensors")) == 0


async def test_a_lesson_opened_at_start_up_resumes_where_the_learner_left(config):
    from tutor.app import TutorApp

    with Learning.open(config, load_library()) as store:
        _see(store, "tensors", 0, 1, 2)
    app = TutorApp(config, start="lesson", start_arg="tensors", autostart_sandbox=False)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.index == 2
