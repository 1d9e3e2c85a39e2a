"""Boot ``TutorApp`` on the fixture decks with a frozen-clock ``Learning`` swapped in."""

from __future__ import annotations

from typing import Any

from tests.learning.conftest import NO_FUZZ, finish_lessons
from tutor.config import TutorConfig
from tutor.learning import FixedClock, Learning, SchedulerSettings


async def settle(
    pilot: Any,
    app: Any,
    *,
    lessons_finished: bool = False,
    settings: SchedulerSettings = NO_FUZZ,
    clock: FixedClock | None = None,
) -> Learning:
    """Wait for the app's decks and store, then replace the store with a frozen-clock one (whose
    learner has seen every lesson step if ``lessons_finished``: the card decks are on offer)."""
    for _ in range(400):
        if app.library is not None and app.learning is not None:
            break
        await pilot.pause(0.02)
    assert app.library is not None and app.learning is not None, app.learning_error
    opened = app.learning
    await app.learning_call(lambda learning: learning.close())
    frozen = Learning.open(app.config, app.library, settings=settings, clock=clock or FixedClock())
    if lessons_finished:
        finish_lessons(frozen)
    app.learning = frozen
    assert opened is not frozen
    await pilot.pause()
    return frozen


def make_app(config: TutorConfig, lang: str = "en") -> Any:
    from tutor.app import TutorApp

    config = TutorConfig.resolve(
        data_dir=config.data_dir, decks=[str(p) for p in config.deck_paths], lang=lang
    )
    return TutorApp(config, autostart_sandbox=False)


async def review_first_card(pilot: Any, app: Any) -> tuple[Learning, Any]:
    """Settle with every lesson finished, open the review and wait for its first card: the
    frozen-clock ``Learning`` and the ``ReviewScreen``."""
    from tests.tui.conftest import wait_for
    from tutor.screens.review import ReviewScreen

    learning = await settle(pilot, app, lessons_finished=True)
    screen = ReviewScreen()
    await app.push_screen(screen)
    await wait_for(pilot, lambda: screen.state == "card")
    return learning, screen
