"""Lesson 08's ".to() moves the whole suitcase" step and its snippet, as QA read them at 80x24.

QA found a blank line in the middle of the snippet's ``print(f"…" f"…" f"…")`` call, its printed
rows wrapping at 80 columns, and detail 3 of the text saying "float buffers become float16" of
``.to(dtype)``, ``.half()`` and ``.double()`` together, which holds only for ``.half()``.
"""

from __future__ import annotations

import io
import re
import tokenize

import pytest
import torch
from rich.cells import cell_len
from torch import nn

from sandbox import Sandbox
from tests.content.test_diagrams_fit_80_columns import DIAGRAM_COLUMNS
from tutor.decks import DeckLibrary, model

SNIPPET = "l08.snip-to-moves-set"


def blank_lines_inside_brackets(code: str) -> list[int]:
    """The numbers of the blank lines that fall inside an open ``(``, ``[`` or ``{``."""
    depth, blank = 0, []
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        elif token.type == tokenize.NL and depth and not token.line.strip():
            blank.append(token.start[0])
    return blank


def snippet(library: DeckLibrary) -> model.CodeStep:
    found = library.item(SNIPPET)
    assert found is not None and isinstance(found[1], model.CodeStep), SNIPPET
    return found[1]


def suitcase_detail(library: DeckLibrary) -> dict[str, str]:
    """Detail 3 of the step before the snippet, in each language: the dtype rule."""
    found = library.item(SNIPPET)
    deck = library.lesson(found[0]) if found else None
    assert deck is not None, SNIPPET
    index = next(i for i, step in enumerate(deck.steps) if getattr(step, "id", None) == SNIPPET)
    text = deck.steps[index - 1]
    assert isinstance(text, model.TextStep) and isinstance(text.body, dict), text
    return {
        lang: re.split(r"\n\s*3\. ", body)[1].split("\n\n")[0] for lang, body in text.body.items()
    }


def test_no_snippet_has_a_blank_line_inside_a_call(library: DeckLibrary) -> None:
    """This snippet's, and every other lesson snippet's too."""
    snippets = [
        step for deck in library.lessons for step in deck.steps if isinstance(step, model.CodeStep)
    ]
    assert snippet(library) in snippets
    blank = {
        step.id: lines for step in snippets if (lines := blank_lines_inside_brackets(step.code))
    }
    assert blank == {}, blank


@pytest.mark.slow
def test_its_printed_rows_fit_the_80_column_output(library: DeckLibrary) -> None:
    with Sandbox(timeout_s=60) as sb:
        result = sb.run(snippet(library).code, device="cpu")
    assert result.ok, (result.status, result.error)
    rows = result.stdout.splitlines()
    assert len(rows) == 3 and all("weight=" in row and "lut=" in row for row in rows), rows
    assert [row for row in rows if cell_len(row) > DIAGRAM_COLUMNS] == [], rows


@pytest.mark.parametrize(("cast", "dtype"), [("half", "float16"), ("double", "float64")])
def test_the_dtype_rule_names_what_each_cast_gives(
    library: DeckLibrary, cast: str, dtype: str
) -> None:
    """Each cast the detail names gives float buffers its own dtype, and integers keep theirs."""
    bn = getattr(nn.BatchNorm1d(2), cast)()
    assert str(bn.running_mean.dtype) == f"torch.{dtype}"
    assert str(bn.num_batches_tracked.dtype) == "torch.int64"
    for lang, detail in suitcase_detail(library).items():
        assert f"`.{cast}()`" in detail and dtype in detail, f"({lang}) {detail!r}"


TO_DTYPE_CLAUSE = {
    "en": "each to the dtype it names",
    "zh": "各自转成对应的 dtype",
}
"""Not "each to its own dtype", which reads as each tensor keeping the dtype it had."""
GIVEN_DTYPE_UNDER_TO = {
    "en": "the given `dtype` under `.to(dtype)`",
    "zh": "经 `.to(dtype)` 变成所给的 `dtype`",
}


def test_the_dtype_rule_says_each_cast_gives_the_dtype_it_names(library: DeckLibrary) -> None:
    """``.to(dtype)`` too: float buffers take the dtype passed, integer buffers keep theirs."""
    bn = nn.BatchNorm1d(2).to(torch.bfloat16)
    assert bn.running_mean.dtype == torch.bfloat16
    assert bn.num_batches_tracked.dtype == torch.int64
    for lang, detail in suitcase_detail(library).items():
        flowing = " ".join(detail.split())
        for words in (TO_DTYPE_CLAUSE[lang], GIVEN_DTYPE_UNDER_TO[lang]):
            assert words in flowing, f"({lang}) does not say {words!r}: {flowing!r}"
