"""No comment of a card's example wraps in review at 80x24, in English or Chinese.

Review shows a card's example in a code view that wraps a line wider than it under the line
numbers, so the wrapped part of a trailing comment loses its ``#`` and reads as code (QA found
``# any X with forward(X)`` / ``== A`` and ``# 右`` / ``侧填充``). A comment can always go on its
own line above its code, so none may be wider than the view. (Long code lines are not measured.)

At 80 columns, with the card scrolled (its scrollbar shown), the view leaves
:data:`EXAMPLE_COLUMNS` for a line and its number; a card short enough not to scroll has two
more. Lines are measured in terminal cells, as Rich draws them: a CJK character takes two.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.content.test_diagrams_fit_80_columns import SIZE
from tests.learning.tui_helpers import settle
from tests.tui.conftest import make_app, wait_for, wrapped_line_numbers
from tutor.decks import DeckLibrary
from tutor.decks.code_comments import comments, localize_comments
from tutor.i18n import LANGS
from tutor.learning import SchedulerSettings
from tutor.paths import shipped_root
from tutor.screens.review import ReviewScreen
from tutor.widgets.code_view import CodeView

EXAMPLE_COLUMNS = 68
"""The example code view's width at 80x24 inside a scrolled card (checked against the app below)."""

MEASURED_CARD = ("params-buffers-cards", "l03.card-parametrize-right-inverse")
"""A deck and its card whose example, 13 lines (two-digit numbers), scrolls the card at 80x24."""


def code_columns(shown: str) -> int:
    """The cells the view leaves for ``shown``'s lines: Rich's number column is the widest
    number's digits with two cells of padding, then one space before the code."""
    lines = shown.count("\n") + 1
    return EXAMPLE_COLUMNS - (len(str(lines)) + 3)


def too_wide(shown: str) -> list[int]:
    """The (1-based) lines of ``shown`` that the view wraps at 80x24."""
    room = code_columns(shown)
    return [n for n, line in enumerate(shown.split("\n"), 1) if cell_len(line) > room]


def example_shown(example: str, lang: str) -> str:
    """A card's example as the view shows it: comments in ``lang``, trailing newlines gone."""
    return localize_comments(example.rstrip("\n"), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_no_comment_of_a_card_example_wraps_at_80_columns(library: DeckLibrary, lang: str) -> None:
    failures = []
    for deck in library.card_decks:
        for card in deck.cards:
            if not card.example:
                continue
            shown = example_shown(card.example, lang)
            with_comment = {token.start[0] for token in comments(shown)}
            lines = shown.split("\n")
            failures += [
                f"{card.id} line {n}: {cell_len(lines[n - 1])} > {code_columns(shown)} cells: "
                f"{lines[n - 1].strip()}"
                for n in too_wide(shown)
                if n in with_comment
            ]
    assert failures == [], "\n".join(failures)


async def test_the_measure_is_what_review_wraps_at_80_columns(tmp_path) -> None:
    """The measured card's example in review at 80x24: the view is EXAMPLE_COLUMNS wide and
    wraps just the lines :func:`too_wide` names (its long ``register_parametrization`` call)."""
    root = shipped_root()
    app = make_app(tmp_path, "en", decks=[root / "lessons", root / "cards"], learning=True)
    deck_id, card_id = MEASURED_CARD
    async with app.run_test(size=SIZE) as pilot:
        settings = SchedulerSettings(enable_fuzzing=False, new_per_day=1000)  # every card new
        await settle(pilot, app, lessons_finished=True, settings=settings)
        screen = ReviewScreen(deck_id=deck_id)
        await app.push_screen(screen)
        await wait_for(pilot, lambda: screen.state == "card")
        while screen.card.id != card_id:  # rate the cards before it Easy: they do not return
            rated = len(screen.session.ratings)
            await pilot.press("space")
            await wait_for(pilot, lambda: screen.revealed)
            await pilot.press("4")
            await wait_for(pilot, lambda rated=rated: len(screen.session.ratings) > rated)
            await wait_for(pilot, lambda: screen.state == "card" and not screen.revealed)
        await pilot.press("space")
        view = screen.query_one("#example-code", CodeView)
        await wait_for(pilot, lambda: screen.revealed and bool(view.content_size.height))
        assert view.content_size.width == EXAMPLE_COLUMNS
        wrapped = wrapped_line_numbers(view)
        assert wrapped == too_wide(example_shown(view.code, "en")) and wrapped
