"""No line of a card's example wraps in review at 80x24, in English or Chinese.

Review shows a card's example in a code view that wraps a line wider than it under the line
numbers, so the wrapped part of a trailing comment loses its ``#`` and reads as code (QA found
``# any X with forward(X)`` / ``== A`` and ``# 右`` / ``侧填充``), and a wrapped code line reads as
two statements. A comment can always go on its own line above its code, and a long call can break
inside its brackets (as the lessons' code does), so no line may be wider than the view.

At 80 columns, with the card scrolled (its scrollbar shown), the view leaves
:data:`EXAMPLE_COLUMNS` for a line and its number; a card short enough not to scroll has two
more. Lines are measured in terminal cells, as Rich draws them: a CJK character takes two.
"""

from __future__ import annotations

from textwrap import indent

import pytest
from rich.cells import cell_len

from tests.content.test_diagrams_fit_80_columns import SIZE
from tests.learning.tui_helpers import settle
from tests.tui.conftest import make_app, wait_for, wrapped_line_numbers
from tutor.decks import DeckLibrary
from tutor.decks.code_comments import localize_comments
from tutor.i18n import LANGS
from tutor.learning import SchedulerSettings
from tutor.paths import shipped_root
from tutor.screens.review import ReviewScreen
from tutor.widgets.code_view import CodeView

EXAMPLE_COLUMNS = 68
"""The example code view's width at 80x24 inside a scrolled card (checked against the app below)."""

MEASURED_CARD = ("params-buffers-cards", "l03.card-parametrize-right-inverse")
"""A deck and its card whose example, 15 lines (two-digit numbers), scrolls the card at 80x24."""

EXAMPLE_INDENT = " " * 6
"""How far a card's ``example: |`` block is indented in a deck file."""


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
def test_no_line_of_a_card_example_wraps_at_80_columns(library: DeckLibrary, lang: str) -> None:
    failures = []
    for deck in library.card_decks:
        for card in deck.cards:
            if not card.example:
                continue
            shown = example_shown(card.example, lang)
            lines = shown.split("\n")
            failures += [
                f"{card.id} line {n}: {cell_len(lines[n - 1])} > {code_columns(shown)} cells: "
                f"{lines[n - 1].strip()}"
                for n in too_wide(shown)
            ]
    assert failures == [], "\n".join(failures)


def with_edge_lines(example: str) -> str:
    """``example`` with two lines added: one exactly as wide as the view leaves for it, then one
    a cell wider, so the measure's edge shows (no shipped example is that wide any more)."""
    room = code_columns(example.rstrip("\n") + "\n\n")
    return f"{example}{'x' * room}\n{'x' * (room + 1)}\n"  # a name as wide as the room, and wider


async def test_the_measure_is_what_review_wraps_at_80_columns(
    library: DeckLibrary, tmp_path
) -> None:
    """The measured card in review at 80x24, its example given :func:`with_edge_lines`: the view
    is EXAMPLE_COLUMNS wide and wraps just the lines :func:`too_wide` names, the wider one."""
    root = shipped_root()
    deck_id, card_id = MEASURED_CARD
    deck = next(deck for deck in library.card_decks if deck.id == deck_id)
    example = next(card.example for card in deck.cards if card.id == card_id)
    deck_file = library.files[deck_id]
    text = deck_file.read_text(encoding="utf-8")
    block = indent(example, EXAMPLE_INDENT)  # its blank lines stay empty, as in the deck
    assert text.count(block) == 1
    decks = tmp_path / "decks"  # the measured deck alone, its example edged
    decks.mkdir()
    edged = text.replace(block, indent(with_edge_lines(example), EXAMPLE_INDENT))
    (decks / deck_file.name).write_text(edged, encoding="utf-8")
    app = make_app(tmp_path, "en", decks=[root / "lessons", decks], learning=True)
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
        shown = example_shown(view.code, "en")
        assert wrapped_line_numbers(view) == too_wide(shown) == [shown.count("\n") + 1]
