"""Lesson 08's diagrams, redrawn to fit 80 columns, read in line: a header, a note or the second
half of a wrapped cell starts in the column of what it continues.

:mod:`tests.content.test_diagrams_fit_80_columns` measures the width and
:mod:`tests.content.test_diagrams` the boxes; neither sees a wrapped line that starts a cell off
its column (and so reads as a new entry). Columns are terminal cells, as Rich draws them.
"""

from __future__ import annotations

import pytest

from tests.content.test_redrawn_diagrams_read_in_line import LANGS, column, titled_fences
from tutor.decks import DeckLibrary


def diagram(library: DeckLibrary, title: str, lang: str) -> list[str]:
    """The lines of the first fenced block of lesson 08's text step titled ``title`` (in en)."""
    return titled_fences(library, "modes-devices", title, lang)[0].splitlines()


# (step title, the text a line continues, the continuation), per language
CONTINUATIONS = {
    "en": [
        ("Two switches, not one", "no_grad /", "inference_mode"),
        ("Two switches, not one", "rare (e.g. frozen", "warm-up)"),
        ("Two switches, not one", "eval but still", "tracking"),
        ("no_grad vs inference_mode", '"this will never', "(stricter"),
        (".to() moves the whole suitcase 🧳", "left behind,", "old dtype"),
        (".to() moves the whole suitcase 🧳", "left behind,", "converted"),
        ("autocast: mixed precision without touching the weights", "cast inputs", "(fast"),
        ("autocast: mixed precision without touching the weights", "run in", "(needs"),
        ("What changed since older tutorials, and GradScaler", "today", "(or torch.amp"),
        ("What changed since older tutorials, and GradScaler", "today", "(torch 2.3+)"),
    ],
    "zh": [
        ("Two switches, not one", "no_grad /", "inference_mode"),
        ("Two switches, not one", "eval 模式，", "但仍记录"),
        ("no_grad vs inference_mode", "“这些结果", "（更严格"),
        (".to() moves the whole suitcase 🧳", "被落下，", "还是旧的"),
        (".to() moves the whole suitcase 🧳", "被落下，", "已转换"),
        ("autocast: mixed precision without touching the weights", "输入向下", "（张量核心"),
        ("autocast: mixed precision without touching the weights", "以 float32", "（需要"),
        ("What changed since older tutorials, and GradScaler", "现在的写法", "（或 torch.amp"),
        ("What changed since older tutorials, and GradScaler", "现在的写法", "（torch 2.3+）"),
    ],
}


@pytest.mark.parametrize("lang", LANGS)
def test_wrapped_lines_start_in_the_column_they_continue(library: DeckLibrary, lang: str) -> None:
    misplaced = []
    for title, first, then in CONTINUATIONS[lang]:
        lines = diagram(library, title, lang)
        start = column(lines, first)
        if first == "no_grad /":  # the second mode goes under the first, after "OFF:"
            start = column(lines, "no_grad")
        if column(lines, then) != start:
            misplaced.append((title, first, then))
    assert misplaced == []


@pytest.mark.parametrize("lang", LANGS)
def test_grad_mode_headers_sit_over_their_columns(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "Two switches, not one", lang)
    on, off = {"en": ("ON (", "OFF:"), "zh": ("开（", "关：")}[lang]
    box_top = next(line for line in lines if "┌" in line)
    left, middle = (column([box_top], edge) for edge in "┌┬")
    assert (column(lines, on), column(lines, off)) == (left + 2, middle + 2)
