"""The course map's :class:`~tutor.screens.home.HeldText`: a piece appended held (a label with
its number) wraps as one word, in English and in Chinese (which may otherwise break between any
two characters), and is drawn with its own characters and styles."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console

from tutor.line_breaks import install
from tutor.screens.home import HeldText

HELD = ("10 分钟", "掌握度 33%", "mastery 33%")


@pytest.mark.parametrize("width", range(3, 40))
def test_held_pieces_wrap_whole_with_their_own_letters_and_styles(width: int) -> None:
    """At any width, a held piece that fits a row is on one; one wider is folded; either way
    its characters are its own (not the stand-ins the wrapping measured) and keep their style."""
    assert install()  # Chinese may break between any two characters, as in the app
    text = HeldText()
    text.append("▰▰▰ 12/12")
    for piece in HELD:
        text.append(" · ")
        text.append_held(piece, style="bold")
    lines = text.wrap(Console(width=width), width)
    drawn = [line.plain for line in lines]
    assert "".join(drawn).replace(" ", "") == text.plain.replace(" ", ""), drawn
    for piece in HELD:
        if cell_len(piece) <= width:
            assert any(piece in row for row in drawn), (piece, drawn)
    bold = "".join(line.plain[s.start : s.end] for line in lines for s in line.spans)
    assert bold.replace(" ", "") == "".join(HELD).replace(" ", "")


# pieces whose width is not the sum of their characters' own: an emoji made wide by a variation
# selector (U+FE0F), a family joined by zero-width joiners, a letter with a combining accent
UNEVEN = ("⚠️ 33%", "⚠️ 掌握度 33%", "👨‍👩‍👧 3", "café 12")


@pytest.mark.parametrize("piece", UNEVEN)
@pytest.mark.parametrize("width", range(2, 16))
def test_a_held_piece_is_as_wide_as_it_is_drawn(piece: str, width: int) -> None:
    """Rich measures "⚠️" as two cells, its two characters one and none: the row a held piece
    is wrapped into is measured by the piece's width, so no row is drawn wider than ``width``."""
    assert install()  # Chinese may break between any two characters, as in the app
    text = HeldText()
    text.append("ab ")
    text.append_held(piece, style="bold")
    drawn = [line.plain for line in text.wrap(Console(width=width), width)]
    assert "".join(drawn).replace(" ", "") == text.plain.replace(" ", ""), drawn
    assert [row for row in drawn if cell_len(row.rstrip()) > width] == [], drawn
    if cell_len(piece) <= width:
        assert any(piece in row for row in drawn), drawn


def test_a_line_cut_to_one_row_ends_in_an_ellipsis_of_its_own_style() -> None:
    """The "…" is the only sign a row was cut: it is drawn as the line it ends (bold for a
    title), not plain after it."""
    text = HeldText()
    text.append_one_row("Parameters and buffers: what a module owns", style="bold")
    cut = text.cut_to(20)
    assert cut.plain.endswith("…") and cell_len(cut.plain) <= 20, cut.plain
    styled = "".join(cut.plain[s.start : s.end] for s in cut.spans if s.style == "bold")
    assert styled == cut.plain
