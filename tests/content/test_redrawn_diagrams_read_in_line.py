"""A review of the redrawn diagrams of lessons 01-05: what belongs together starts in one column.

:mod:`tests.content.test_diagrams` checks boxes and stubs; these diagrams have neither, so a
header one cell off its column, a note hanging under an arrow, or a message that starts under
the batch-size column (and reads as a new row) slipped through. Columns are terminal cells, as
Rich draws them (a CJK character takes two). The prose around a diagram names its parts as the
diagram draws them.
"""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from tests.content.test_diagrams import FENCE
from tutor.decks import DeckLibrary, model

LANGS = ["en", "zh"]


def body(library: DeckLibrary, step_id: str, lang: str) -> str:
    found = library.item(step_id)
    assert found is not None, step_id
    step = found[1]
    assert isinstance(step, model.TextStep), step_id
    assert isinstance(step.body, dict), step_id
    return step.body[lang]


def diagram(library: DeckLibrary, step_id: str, lang: str) -> list[str]:
    """The lines of the step's first fenced block."""
    return FENCE.findall(body(library, step_id, lang))[0].splitlines()


def titled_fences(library: DeckLibrary, lesson_id: str, title: str, lang: str) -> list[str]:
    """The fenced blocks of the lesson's text step titled ``title`` in English, for steps that
    have no id."""
    deck = library.lesson(lesson_id)
    assert deck is not None, lesson_id
    step = next(
        s
        for s in deck.steps
        if isinstance(s, model.TextStep) and isinstance(s.title, dict) and s.title["en"] == title
    )
    assert isinstance(step.body, dict), title
    return FENCE.findall(step.body[lang])


def cells(line: str) -> list[tuple[int, str]]:
    """The table cells of a line (runs split by two or more spaces), each with its column."""
    return [(cell_len(line[: m.start()]), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def column(lines: list[str], text: str) -> int:
    """The cell where ``text`` starts, on the first line that has it."""
    line = next(line for line in lines if text in line)
    return cell_len(line[: line.index(text)])


@pytest.mark.parametrize("lang", LANGS)
def test_embedding_output_header_sits_over_its_column(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l04.txt-embedding", lang)
    assert column(lines, "out (") == column(lines, "out[b, t]")


def test_cast_note_sits_under_the_branch_it_explains(library: DeckLibrary) -> None:
    lines = diagram(library, "l03.txt-to-and-casts", "en")
    assert column(lines, "(e.g. int64 counters)") == column(lines, "leave the dtype alone")


@pytest.mark.parametrize("lang", LANGS)
def test_batchnorm_buffer_arrows_share_one_column(library: DeckLibrary, lang: str) -> None:
    lines = diagram(library, "l05.bn-anatomy", lang)
    arrows = {cell_len(line[: line.index("◀──")]) for line in lines if "◀──" in line}
    assert len(arrows) == 1, arrows


@pytest.mark.parametrize("lang", LANGS)
def test_small_batch_table_lines_are_rows_or_sit_under_the_text(
    library: DeckLibrary, lang: str
) -> None:
    """Below the rule, a line starts with a batch size or its text starts in the text column."""
    lines = diagram(library, "l05.small-batch", lang)
    rule = next(i for i, line in enumerate(lines) if line.strip().startswith("──"))
    text_column = cell_len(re.match(r"\s*─+\s*", lines[rule])[0])
    for line in lines[rule + 1 :]:
        label, text = line[:text_column], line[text_column:]
        assert re.fullmatch(r"\s*(\d+(–\d+)?)?\s*", label), line
        assert label.strip() or not text.startswith(" "), line


def test_field_guide_prose_names_no_box_the_flowchart_lacks(library: DeckLibrary) -> None:
    for lang, box_word in (("en", "box"), ("zh", "格")):
        prose = body(library, "l01.txt-field-guide", lang)
        flowchart = "\n".join(diagram(library, "l01.txt-field-guide", lang))
        if "┌" not in flowchart:
            assert box_word not in FENCE.sub("", prose), lang


def test_three_kinds_table_headers_name_the_same_things(library: DeckLibrary) -> None:
    """The zh header of the last column says no more than the en one (no "tensor" added)."""
    en, zh = (diagram(library, "l03.txt-three-kinds", lang)[:2] for lang in LANGS)
    assert ("tensor" in " ".join(en)) == ("张量" in " ".join(zh)), (en, zh)
