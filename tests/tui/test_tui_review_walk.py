"""An adversarial walk of the review screen: ratings pressed faster than they are saved."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Button

from tests.learning.conftest import FIXTURE_DECKS
from tests.learning.tui_helpers import make_app, review_first_card
from tests.tui.conftest import wait_for
from tutor.config import TutorConfig

SIZE = (100, 32)


def _config(tmp_path) -> TutorConfig:
    return TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang="en")


async def test_a_key_and_a_click_at_once_rate_the_card_once(tmp_path):
    """A click on a rating button is handled by the screen while a key's rating is still being
    saved (keys go through the app): the card must not be rated twice, nor the next card rated
    unseen."""
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        first = screen.card.id
        await pilot.press("space")
        button = screen.query_one("#rate-4", Button)
        await asyncio.gather(
            screen.action_rate(3), screen.on_button_pressed(Button.Pressed(button))
        )
        await wait_for(pilot, lambda: screen.card is not None and screen.card.id != first)
        await pilot.pause()
        assert learning.store.review_count() == 1
        assert screen.session.ratings == [(first, 3)]
        assert not screen.revealed


async def test_two_keys_at_once_rate_the_card_once(tmp_path):
    app = make_app(_config(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        learning, _screen = await review_first_card(pilot, app)
        await pilot.press("space", "3", "3")
        await pilot.pause()
        await wait_for(pilot, lambda: learning.store.review_count() >= 1)
        await pilot.pause(0.2)
        assert learning.store.review_count() == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_deck_that_is_not_there_is_said_so_not_nothing_due(tmp_path, lang):
    """``nn-tutor review --deck tensorz`` (a typo, or a deck removed since): "Nothing due"
    would pass for the deck being done."""
    from tests.learning.tui_helpers import settle
    from tutor.i18n import tr
    from tutor.screens.review import ReviewScreen

    app = make_app(_config(tmp_path), lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lessons_finished=True)
        screen = ReviewScreen(deck_id="tensorz")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "done")
        summary = str(screen.query_one("#review-summary").render())
        assert "tensorz" in summary
        assert tr("review.nothing_due", lang) not in summary


LONG_DECK = """\
format: 1
kind: cards
id: long-cards
title: {en: "Long cards", zh: "长卡片"}
cards:
  - id: long.one
    front: {en: "FIRST-TOP %(en)s", zh: "第一张顶部 %(zh)s"}
    back: {en: "%(en)s FIRST-END", zh: "%(zh)s 第一张结尾"}
  - id: long.two
    front: {en: "SECOND-TOP %(en)s", zh: "第二张顶部 %(zh)s"}
    back: {en: "%(en)s SECOND-END", zh: "%(zh)s 第二张结尾"}
"""


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_next_long_card_starts_at_its_top(tmp_path, lang, size):
    """A long card scrolled down to its end, then rated: the next long card must open at its
    first line, not where the last one was scrolled to (its question cut off above)."""
    from tests.learning.tui_helpers import settle
    from tutor.screens.review import ReviewScreen

    decks = tmp_path / "decks"
    decks.mkdir()
    words = {"en": " ".join(["words"] * 400), "zh": "很长的中文句子没有空格" * 120}
    (decks / "long.yaml").write_text(LONG_DECK % words, encoding="utf-8")
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(decks)], lang=lang)
    app = make_app(config, lang)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app, lessons_finished=True)
        screen = ReviewScreen(deck_id="long-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        await pilot.press("space")
        await pilot.pause()
        scroll = screen.query_one("#review-card")
        scroll.scroll_end(animate=False)
        await pilot.pause()
        assert scroll.scroll_y > 0
        await pilot.press("3")
        await wait_for(pilot, lambda: screen.card is not None and screen.card.id == "long.two")
        await pilot.pause()
        assert scroll.scroll_y == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_status_line_of_an_edited_card_is_not_cut_off_at_60_columns(tmp_path, lang):
    """ "0 reviewed · 2 to go · tensors-cards  📝 edited since you last saw it" is wider than a
    60-column screen: it wraps rather than losing its end (what the mark says)."""
    from rich.cells import cell_len

    from tests.learning.tui_helpers import settle
    from tutor.screens.review import ReviewScreen

    app = make_app(_config(tmp_path), lang)
    async with app.run_test(size=(60, 20)) as pilot:
        learning = await settle(pilot, app, lessons_finished=True)
        learning.rate("tensors.card-count", 1)
        learning.store.conn.execute("UPDATE cards SET content_hash = 'older text'")
        learning.clock.advance(minutes=5)
        screen = ReviewScreen(deck_id="tensors-cards")
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card" and screen.edited)
        await pilot.pause()
        status = screen.query_one("#review-status")
        text = str(status.render())
        assert status.size.width * status.size.height >= cell_len(text), (text, status.size)
