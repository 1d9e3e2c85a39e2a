"""Review's ``e`` opens the lesson at the step that teaches the card, and the footer offers only
the keys that do something in the review's state (no "space Show answer" on its summary)."""

from __future__ import annotations

import pytest

from tests.learning.conftest import FIXTURE_DECKS, load_library
from tests.learning.tui_helpers import make_app, settle
from tests.tui.conftest import wait_for
from tutor.decks import DeckLoader
from tutor.screens.lesson import LessonScreen
from tutor.screens.review import ReviewScreen

SIZE = (100, 32)


@pytest.mark.parametrize(
    ("card_id", "where"),
    [
        ("tensors.card-weight", ("tensors", 3)),  # a knowledge card: its own step
        ("tensors.card-count", ("tensors", 2)),  # the exercise names it in `related`
        ("tensors.card-bias", ("tensors", 1)),  # it names the quiz in its own `related`
        ("tensors.card-call", None),  # no step is linked
        ("tensors.no-such-card", None),
    ],
)
def test_step_teaching_follows_the_links_between_cards_and_steps(card_id, where):
    assert load_library().step_teaching(card_id) == where


def test_step_teaching_is_none_for_a_deck_without_its_lesson():
    library = DeckLoader([FIXTURE_DECKS / "cards-tensors.yaml"]).load()
    assert library.lesson("tensors") is None and library.card_deck("tensors-cards") is not None
    assert library.step_teaching("tensors.card-count") is None


async def rate_until(pilot, screen: ReviewScreen, card_id: str) -> None:
    """Rate Good until ``card_id`` is the card on screen."""
    while screen.card.id != card_id:
        current = screen.card.id
        await pilot.press("space", "3")
        await wait_for(pilot, lambda shown=current: screen.card.id != shown)


@pytest.mark.parametrize(
    ("card_id", "step"),
    [("tensors.card-count", 2), ("tensors.card-bias", 1), ("tensors.card-call", 3)],
)
async def test_e_opens_the_lesson_at_the_step_teaching_the_card(config, card_id, step):
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        # an unlinked card opens the lesson where the learner would continue it
        learning.save_position("tensors", 3)
        screen = ReviewScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        await rate_until(pilot, screen, card_id)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.lesson_id == "tensors"
        assert app.screen.index == step


async def test_the_summary_offers_no_card_keys(config):
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lessons_finished=True)
        screen = ReviewScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        keys = set(screen.active_bindings)
        assert {"space", "f", "e"} <= keys and "u" not in keys  # nothing rated yet to undo
        await pilot.press("space")
        await pilot.pause()
        assert "space" not in screen.active_bindings  # revealed: nothing left to show
        for _ in range(3):
            await pilot.press("enter", "4")
            await pilot.pause()
        await wait_for(pilot, lambda: screen.state == "done")
        await pilot.pause()
        keys = set(screen.active_bindings)
        assert not {"space", "enter", "f", "e", "1", "4"} & keys
        assert {"u", "escape"} <= keys  # the last rating can still be taken back


async def test_e_moves_the_lesson_already_open_below_to_the_cards_step(config):
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lessons_finished=True)
        app.open_lesson("tensors")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        assert lesson.index == 0
        screen = ReviewScreen()  # over the lesson, as the palette opens it
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        assert screen.card.id == "tensors.card-count"
        await pilot.press("e")
        await wait_for(pilot, lambda: app.screen is lesson)
        assert lesson.index == 2
        assert sum(isinstance(s, LessonScreen) for s in app.screen_stack) == 1


async def test_a_look_from_the_review_leaves_the_saved_position(config):
    """``e`` opened the card's lesson at its step, and that step became where the learner had
    got to: Continue then went back to the card's step, not to where they were (QA). Moving on
    from that step is learning again, and saves as it did."""
    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        learning = await settle(pilot, app)
        for step in range(4):
            learning.mark_step_seen("tensors", step)
        learning.save_position("tensors", 3)
        screen = ReviewScreen(deck_id="tensors-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        await rate_until(pilot, screen, "tensors.card-bias")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        lesson = app.screen
        assert lesson.index == 1
        await pilot.pause(0.3)
        assert learning.resume_step("tensors") == 3
        await pilot.press("right")
        await wait_for(pilot, lambda: lesson.index == 2)
        # saved on the learning thread: on a loaded machine later than any fixed pause
        await wait_for(pilot, lambda: learning.position("tensors") == 2)
        assert learning.position("tensors") == 2
