"""Lessons 07 and 11's diagrams, redrawn to fit 80 columns: what belongs together lines up.

Moving a comment under its line or squeezing a table's columns can leave a note hanging under
the wrong thing or a cell one column off its header. Columns are terminal cells, as Rich draws
them (a CJK character or a full-width ``（`` takes two).
"""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.content.test_redrawn_diagrams_read_in_line import (
    LANGS,
    cells,
    column,
    diagram,
    titled_fences,
)
from tutor.decks import DeckLibrary


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
    lines = titled_fences(library, "containers", "The plain-list trap 🙈", lang)[-1].splitlines()
    note = "（torch" if lang == "zh" else "(torch"
    assert column(lines, note) == column(lines, "[Linear")
