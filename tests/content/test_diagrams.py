"""Box-drawing diagrams in the shipped decks line up in a terminal, in every language.

Every fenced code block in every learner-facing text is laid out on a grid of *display*
columns, counted as Rich (which draws the app) counts them: East Asian Wide and Fullwidth
characters (CJK, ``（）：，``, most emoji) take two columns, combining marks none, everything
else one. On that grid:

* each box ``┌─…─┐`` has its ``└─…─┘`` straight below, the same width, and a side
  (``│ ├ ┤ ┼``) at both edges on every line in between;
* a corner or junction that opens up or down (``┌ ┐ └ ┘ ├ ┤ ┬ ┴ ┼``) and an arrowhead
  ``▼ ▲`` meet, on that side, either another line that continues it or a label; never a
  blank or a bare horizontal run, which is what a stub shifted by one column looks like.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import get_character_cell_size as width

from tutor.decks import DeckLibrary, model
from tutor.decks.walk import iter_texts
from tutor.paths import shipped_root

FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.MULTILINE | re.DOTALL)
CORNERS = {"┌": ("┐", "└", "┘"), "╭": ("╮", "╰", "╯")}  # top-left: top-right, bottom-*
SIDES = set("│├┤┼┃║╟╢╠╣╫╬")
OPENS_DOWN = set("┌┐├┤┬┼│╭╮")  # a line leaves through the bottom of the cell
OPENS_UP = set("└┘├┤┴┼│╰╯")  # a line leaves through the top of the cell
CHECK_BELOW = {c: OPENS_UP | {"▼"} for c in "┌┐├┤┬┼╭╮"} | {"▲": OPENS_UP | {"▲"}}
CHECK_ABOVE = {c: OPENS_DOWN | {"▲"} for c in "└┘├┤┴┼╰╯"} | {"▼": OPENS_DOWN | {"▼"}}
DRAWING = {chr(c) for c in range(0x2500, 0x2580)} | set("▲▼▶◀►◄")

Grid = dict[int, str]

SHIPPED = shipped_root()
DECK_FILES = sorted([*SHIPPED.glob("lessons/*.yaml"), *SHIPPED.glob("cards/*.yaml")])


def grid(line: str) -> Grid:
    """Column -> character; a wide character fills both of its columns."""
    cells: Grid = {}
    column = 0
    for char in line:
        for offset in range(width(char)):
            cells[column + offset] = char
        column += width(char)
    return cells


def box_problems(rows: list[Grid], top: int, left: int) -> list[tuple[int, str]]:
    """What is wrong with the box whose top-left corner is at ``rows[top][left]``.

    Its top-right corner is the nearest one to the right with no other top-left corner in
    between (so side-by-side boxes and labels in the top edge are fine); a run that does not
    close on its line, or that does not start with a horizontal stroke, is not a box.
    """
    top_right, bottom_left, bottom_right = CORNERS[rows[top][left]]
    row = rows[top]
    right = next((c for c in sorted(row) if c > left and row[c] in (top_right, *CORNERS)), None)
    if right is None or row[right] != top_right or row.get(left + 1) not in DRAWING:
        return []
    if top + 1 < len(rows) and rows[top + 1].get(left) == "▼":
        return []  # ┌──┬──┐ over ▼  ▼  ▼ fans out into arrows; it is not a box
    for line in range(top + 1, len(rows)):
        here = rows[line].get(left, " ")
        if here == bottom_left:
            break
        if here not in SIDES:
            return [(line, f"box from line {top + 1} has {here!r} at column {left}, not a side")]
    else:
        return [(top, f"box at column {left} has no {bottom_left!r} below it")]
    problems = [
        (inner, f"box from line {top + 1} has {found!r} at column {right}, not a side")
        for inner in range(top + 1, line)
        if (found := rows[inner].get(right, " ")) not in SIDES
    ]
    if (found := rows[line].get(right, " ")) != bottom_right:
        problems.append((line, f"expected {bottom_right!r} at column {right}, found {found!r}"))
    return problems


def stub_problems(rows: list[Grid], line: int, column: int) -> list[tuple[int, str]]:
    """A corner, junction or arrowhead whose open end meets a blank or a bare horizontal."""
    char = rows[line][column]
    problems = []
    for step, wanted, where in ((1, CHECK_BELOW, "below"), (-1, CHECK_ABOVE, "above")):
        if char not in wanted:
            continue
        other = line + step
        found = rows[other].get(column, " ") if 0 <= other < len(rows) else " "
        if found == " " or (found in DRAWING and found not in wanted[char]):
            problems.append((line, f"{char!r} at column {column} meets {found!r} {where} it"))
    return problems


def diagram_problems(block: str) -> list[tuple[int, str]]:
    """Every misalignment in one code block, as (0-based line, message)."""
    rows = [grid(line) for line in block.splitlines()]
    problems: list[tuple[int, str]] = []
    for line, row in enumerate(rows):
        for column, char in sorted(row.items()):
            if char in CORNERS:
                problems += box_problems(rows, line, column)
            problems += stub_problems(rows, line, column)
    return problems


def markdown_texts(deck: model.LessonDeck | model.CardDeck) -> list[tuple[str, str]]:
    """Every text of a deck with its path, one entry per language for localized texts."""
    texts: list[tuple[str, str]] = []
    for path, text in iter_texts(deck, deck.id):
        if isinstance(text, dict):
            texts += [(f"{path}.{lang}", value) for lang, value in text.items()]
        else:
            texts.append((path, text))
    return texts


def test_the_checks_catch_a_misaligned_box() -> None:
    good = "┌──┬──┐\n│中│ab│\n└──┬──┘\n   ▼"
    assert diagram_problems(good) == []
    assert diagram_problems("┌──┐\n│中 │\n└──┘")  # a wide character pushes the side out
    assert diagram_problems("┌──┐\n│ab│\n└───┘")  # bottom wider than the top
    assert diagram_problems("  │\n┌▼─┐\n│ab│\n└──┘")  # arrow not under its line


def deck_from(library: DeckLibrary, file: Path) -> model.LessonDeck | model.CardDeck:
    """The lesson or card deck ``library`` loaded from ``file`` (one of :data:`DECK_FILES`)."""
    decks = [*library.lessons, *library.card_decks]
    deck = next((d for d in decks if library.files.get(d.id) == file), None)
    assert deck is not None, f"{file} did not load"
    return deck


@pytest.mark.parametrize("file", DECK_FILES, ids=lambda file: f"{file.parent.name}/{file.name}")
def test_box_diagrams_line_up(library: DeckLibrary, file: Path) -> None:
    failures = [
        f"{path}: line {line + 1} of the diagram: {message}"
        for path, text in markdown_texts(deck_from(library, file))
        for block in FENCE.findall(text)
        for line, message in diagram_problems(block)
    ]
    assert failures == [], "\n".join(failures)
