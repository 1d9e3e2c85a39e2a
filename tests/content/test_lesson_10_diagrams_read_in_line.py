"""Lesson 10's redrawn diagrams: what belongs together starts in one column, in en and zh.

The tables of lesson 10 were wider than the 66 cells a fence shows at 80x24; redrawn, the
two-column bug tables put each cause on its own line under its bug, the vital-signs table
wraps a long cell under its own column, and the heartbeat plot's labels moved left. Columns
are terminal cells, as Rich draws them (a CJK character takes two).
"""

from __future__ import annotations

import re

import pytest

from tests.content.test_redrawn_diagrams_read_in_line import LANGS, cells, column, diagram
from tutor.decks import DeckLibrary


def column_starts(line: str) -> list[int]:
    """The cells where the line's columns start: its first text and each text after 2+ spaces."""
    return [at for at, _text in cells(line)]


def below_rule(lines: list[str]) -> list[str]:
    rule = next(i for i, line in enumerate(lines) if line.startswith("──"))
    return lines[rule + 1 :]


@pytest.mark.parametrize("lang", LANGS)
def test_vital_signs_cells_start_in_their_header_column(library: DeckLibrary, lang: str) -> None:
    """A wrapped cell goes on under its own column, not under the healthy range."""
    lines = diagram(library, "l10.txt-doctor", lang)
    header = column_starts(lines[0])
    assert len(header) == 3, lines[0]
    for line in lines[1:]:
        starts = column_starts(line)
        assert starts in (header, header[-1:]), line


@pytest.mark.parametrize("lang", LANGS)
def test_nan_notes_sit_in_the_second_column(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l10.txt-nan", lang)
    second = column_starts(lines[0])[1]
    notes = [line for line in lines if line.startswith(("exp(100.)", "sqrt(0)'"))]
    assert [column_starts(line)[1] for line in notes] == [second, second], notes


@pytest.mark.parametrize("lang", LANGS)
def test_heartbeat_labels_share_one_column(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l10.txt-grad-vitals", lang)
    healthy, vanishing = {"en": ("healthy:", "vanishing:"), "zh": ("健康：", "消失：")}[lang]
    assert column(lines, healthy) == column(lines, vanishing)


@pytest.mark.parametrize("step_id", ["l10.txt-loud-bugs", "l10.txt-silent-bugs"])
def test_each_cause_sits_under_its_bug(library: DeckLibrary, step_id: str) -> None:
    """Below the rule: a bug at the margin, then its cause after an indented arrow, then any
    continuation of that cause indented further; as many bugs in zh as in en."""
    bugs = {}
    for lang in LANGS:
        rows = below_rule(diagram(library, step_id, lang))
        kinds = "".join(
            "c" if row.startswith("  → ") else "+" if row.startswith("    ") else "b"
            for row in rows
        )
        assert re.fullmatch(r"(bc\+*)+", kinds), (lang, rows)
        bugs[lang] = kinds.count("b")
    assert bugs["en"] == bugs["zh"], bugs
