"""Review's ``f``: it flags the card, and on a flagged card takes the flag back, saying which
(it said "Flagged" twice and kept the flag); the status line marks a flagged card with 🚩, the
footer's label for ``f`` says what it will do, the toast says where flags are listed, and ``u``
undoes ratings only: a card flagged, rated and undone comes back flagged."""

from __future__ import annotations

import pytest

from tests.learning.tui_helpers import make_app, review_first_card
from tests.tui.conftest import drawn, toasts, wait_for
from tutor.i18n import LANGS, tr

SIZE = (100, 32)


def status(screen) -> str:
    return str(screen.query_one("#review-status").render())


def footer(app) -> str:
    return drawn(app).splitlines()[-1]


def flagged_keys(learning) -> list[str]:
    return [key for key, _note, _at in learning.store.flags()]


async def test_f_flags_then_unflags_and_says_which(config):
    app = make_app(config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        learning, screen = await review_first_card(pilot, app)
        card = screen.card.id
        assert "🚩" not in status(screen) and "Flag" in footer(app)

        await pilot.press("f")
        await wait_for(pilot, lambda: flagged_keys(learning) == [card])
        assert "🚩 flagged" in status(screen)
        assert "Unflag" in footer(app)
        assert toasts(app)[-1] == tr("review.flagged", "en")

        await pilot.press("f")
        await wait_for(pilot, lambda: flagged_keys(learning) == [])
        assert "🚩" not in status(screen)
        assert "Unflag" not in footer(app) and "Flag" in footer(app)
        assert toasts(app)[-1] == tr("review.unflagged", "en")


async def test_a_card_flagged_before_shows_its_flag_and_f_takes_it_back(config):
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        second = screen.queue[1].id
        learning.flag(second, "two answers fit")  # flagged in an earlier sitting, with a note
        await pilot.press("space", "4")
        await wait_for(pilot, lambda: screen.card.id == second and screen.state == "card")
        assert "🚩" in status(screen) and "Unflag" in footer(app)
        await pilot.press("f")
        await wait_for(pilot, lambda: flagged_keys(learning) == [])  # its note went with it
        assert "🚩" not in status(screen)


async def test_undo_takes_back_the_rating_and_leaves_the_flag(config):
    """The learner flagged a card, rated it, then pressed u: the rating is undone, and the card
    comes back as it was left, flagged (u is "Undo" of ratings; f takes a flag back)."""
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        card = screen.card.id
        await pilot.press("f")
        await wait_for(pilot, lambda: flagged_keys(learning) == [card])
        await pilot.press("space", "3")
        await wait_for(pilot, lambda: screen.card.id != card)
        assert "🚩" not in status(screen)  # the next card is not flagged
        await pilot.press("u")
        await wait_for(pilot, lambda: screen.card.id == card)
        assert learning.store.review_count() == 0
        assert flagged_keys(learning) == [card]
        assert "🚩" in status(screen) and "Unflag" in footer(app)


@pytest.mark.parametrize("lang", LANGS)
def test_the_flag_toast_says_where_flags_are_listed(lang):
    heading = tr("stats.flagged", lang, count=0).removesuffix("（0）").removesuffix(" (0)")
    said = tr("review.flagged", lang)
    assert heading in said and "nn-tutor stats" in said and tr("k.stats", lang) in said
