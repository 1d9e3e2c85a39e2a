"""QA 39: the review's rating buttons read (WCAG contrast) in the default theme, and stay just
under the card on a tall terminal rather than at its bottom."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from textual.color import Color
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button

from tests.learning.tui_helpers import make_app, review_first_card
from tests.tui.conftest import wait_for
from tutor.screens.review import RATING_KEYS
from tutor.theme_styles import DEFAULT_THEME, contrast

WCAG_AA = 4.5  # normal-size text


def label_contrasts(button: Button) -> list[tuple[str, float]]:
    """Each stretch of label text the button draws, with the contrast of its colour on its
    background as rendered (colours blended with what is under them)."""
    width, height = button.outer_size
    found = []
    for strip in button.render_lines(Region(0, 0, width, height)):
        for segment in strip:
            style = segment.style
            if style is None or not any(ch.isalnum() for ch in segment.text):
                continue  # blank fill and the border's half blocks
            assert style.color is not None and style.bgcolor is not None, segment
            fg, bg = Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
            found.append((segment.text, contrast(fg, bg)))
    return found


async def assert_buttons_read(screen: Any) -> None:
    for rating in RATING_KEYS:
        button = screen.query_one(f"#rate-{rating}", Button)
        contrasts = label_contrasts(button)
        assert contrasts, f"no label drawn on {button.id}"
        for text, ratio in contrasts:
            assert ratio >= WCAG_AA, f"{button.id} {text!r}: {ratio:.2f}:1"


@pytest.mark.parametrize(("lang", "theme"), [("en", None), ("zh", None), ("en", "textual-light")])
async def test_rating_buttons_contrast(config, monkeypatch, lang: str, theme: str | None) -> None:
    """The default theme (``None``: the one a learner gets), and a light one picked."""
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    app = make_app(config, lang=lang)
    async with app.run_test(size=(100, 32)) as pilot:
        assert app.theme == DEFAULT_THEME
        if theme is not None:
            app.theme = theme
        _, screen = await review_first_card(pilot, app)
        await pilot.press("space")
        await wait_for(pilot, lambda: screen.query_one("#rate-4", Button).region.height > 0)
        await assert_buttons_read(screen)
        # under the mouse, a button still reads
        for rating in RATING_KEYS:
            await pilot.hover(f"#rate-{rating}")
            await pilot.pause()
            button = screen.query_one(f"#rate-{rating}", Button)
            assert button.mouse_hover
            for text, ratio in label_contrasts(button):
                assert ratio >= WCAG_AA, f"hovered {button.id} {text!r}: {ratio:.2f}:1"


def content_bottom(card: Widget) -> int:
    """The row under the last thing the card shows (its text, not its frame)."""
    shown = [child for child in card.children if child.display and child.region.height]
    return max(child.region.bottom for child in shown)


@pytest.mark.parametrize("size", [(200, 60), (100, 32), (80, 24)])
async def test_rating_buttons_just_under_the_answer(config, size: tuple[int, int]) -> None:
    """The buttons sit right under the card's answer on a tall terminal (not 40 rows below),
    and stay whole on screen on a short one."""
    app = make_app(config)
    async with app.run_test(size=size) as pilot:
        _, screen = await review_first_card(pilot, app)
        await pilot.press("space")
        buttons = screen.query_one("#rating-buttons")
        await wait_for(pilot, lambda: buttons.region.height > 0)
        await pilot.pause()
        card = screen.query_one("#review-card")
        gap = buttons.region.y - content_bottom(card)
        assert 0 <= gap <= 2, f"{gap} rows between the answer and the rating buttons"
        footer = screen.query_one("FittingFooter")
        assert buttons.region.bottom <= footer.region.y  # whole, above the footer


async def test_long_answer_keeps_buttons_on_a_short_terminal(config) -> None:
    """An answer taller than the room left: the card scrolls, the buttons stay on screen."""
    app = make_app(config)
    async with app.run_test(size=(80, 16)) as pilot:
        _, screen = await review_first_card(pilot, app)
        await pilot.press("space")
        buttons = screen.query_one("#rating-buttons")
        await wait_for(pilot, lambda: buttons.region.height > 0)
        back = screen.query_one("#card-back")
        await back.update("\n\n".join(f"Line {n} of a long answer." for n in range(30)))
        await pilot.pause()
        card = screen.query_one("#review-card")
        footer = screen.query_one("FittingFooter")
        assert card.max_scroll_y > 0  # the answer scrolls inside the card
        assert buttons.region.height >= 3
        assert buttons.region.y >= card.region.bottom
        assert buttons.region.bottom <= footer.region.y


# The widest the review's body grows: what a 120-column terminal gives it.
BODY_WIDTH = 120


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_wide_terminal_keeps_the_card_at_a_readable_width(config, lang: str) -> None:
    """At 200 columns the card and its buttons keep the width 120 columns give them, centred,
    and each button's label still fits on one line (its room is worked out from that width)."""
    app = make_app(config, lang=lang)
    async with app.run_test(size=(200, 60)) as pilot:
        _, screen = await review_first_card(pilot, app)
        await pilot.press("space")
        buttons = screen.query_one("#rating-buttons")
        await wait_for(pilot, lambda: buttons.region.height > 0)
        body = screen.query_one("#review-body")
        assert body.region.width == BODY_WIDTH
        assert body.region.x == (200 - BODY_WIDTH) // 2
        assert not buttons.has_class("-two-lines")
        for rating in RATING_KEYS:
            button = screen.query_one(f"#rate-{rating}", Button)
            label = str(button.label)
            assert cell_len(label) <= button.content_region.width, label


@pytest.mark.parametrize("width", [60, 100, 120])
async def test_review_keeps_the_whole_width_up_to_120_columns(config, width: int) -> None:
    app = make_app(config)
    async with app.run_test(size=(width, 32)) as pilot:
        await review_first_card(pilot, app)
        body = app.screen.query_one("#review-body")
        assert (body.region.x, body.region.width) == (0, width)
