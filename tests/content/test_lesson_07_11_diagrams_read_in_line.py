"""Lessons 07 and 11's diagrams, redrawn to fit 80 columns: what belongs together lines up.

Moving a comment under its line or squeezing a table's columns can leave a note hanging under
the wrong thing or a cell one column off its header. Columns are terminal cells, as Rich draws
them (a CJK character or a full-width ``（`` takes two).
"""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.content.test_diagrams import FENCE
from tests.content.test_redrawn_diagrams_read_in_line import LANGS, column, diagram
from tutor.decks import DeckLibrary, model


def cells(line: str) -> list[tuple[int, str]]:
    """The table cells of a line (runs split by two or more spaces), each with its column."""
    return [(cell_len(line[: m.start()]), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


@pytest.mark.parametrize("lang", LANGS)
def test_batch_first_bracket_ends_under_both_weights_shapes(
    library: DeckLibrary, lang: str
) -> None:
    lines = diagram(library, "l11.txt-mha-call", lang)
    weights = next(line for line in lines if line.startswith("weights"))
    shapes = [cell_len(weights[: m.start()]) for m in re.finditer(r"\(N, L, S\)", weights)]
    assert [column(lines, "└"), column(lines, "┘")] == shapes


@pytest.mark.parametrize("lang", LANGS)
def test_mask_table_cells_start_under_their_headers(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l11.txt-masks", lang)
    shape_header, hides_header = (at for at, _ in cells(lines[0]))
    for line in lines[1:]:
        for at, text in cells(line):
            if at > 0:  # column 0 holds the mask's name, or the legend
                shape = re.match(r"(or |或 )?\(", text)
                assert at == (shape_header if shape else hides_header), line


@pytest.mark.parametrize("lang", LANGS)
def test_fully_masked_table_rows_keep_their_result_column(library: DeckLibrary, lang: str) -> None:
    """Below the rule a line is a row (result in the header's column) or an indented follow-on."""
    lines = diagram(library, "l11.txt-nan", lang)
    result_column = cells(lines[0])[1][0]
    rule = next(i for i, line in enumerate(lines) if line.startswith("──"))
    for line in lines[rule + 1 :]:
        row = cells(line)
        if len(row) == 1:
            assert line.startswith("  "), line
        else:
            assert [at for at, _ in row] == [0, result_column], line


@pytest.mark.parametrize("lang", LANGS)
def test_plain_list_note_sits_under_the_list(library: DeckLibrary, lang: str) -> None:
    deck = next(deck for deck in library.lessons if deck.id == "containers")
    trap = next(
        step
        for step in deck.steps
        if isinstance(step, model.TextStep)
        and isinstance(step.title, dict)
        and step.title["en"].startswith("The plain-list trap")
    )
    lines = FENCE.findall(trap.body[lang])[-1].splitlines()
    note = "（torch" if lang == "zh" else "(torch"
    assert column(lines, note) == column(lines, "[Linear")
