"""Two typing slips that no renderer hides, guarded in every lesson and card deck.

* A fence (a diagram, a code block) shows its text as typed: Markdown's backticks are not
  rendered there, so a backtick in a fence reaches the learner as a stray character.
* A run of two or more spaces between words of prose is a typing slip (a diff once brought one
  in, and only a reviewer's script saw it); fences and code spans keep their own spacing, and a
  table row pads its cells.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.content.test_diagrams import DECK_FILES, FENCE, deck_from, markdown_texts
from tutor.decks import DeckLibrary

CODE_SPAN = re.compile(r"`[^`\n]*`")

SPACES_BETWEEN_WORDS = re.compile(r"\S {2,}\S")
"""Two or more spaces between words; indentation (leading spaces) is not prose spacing."""


def fence_backticks(text: str) -> list[str]:
    """The lines of ``text``'s fences that hold a backtick."""
    return [line for block in FENCE.findall(text) for line in block.splitlines() if "`" in line]


def prose_gaps(text: str) -> list[str]:
    """The prose lines of ``text`` (fences, code spans and table rows left out) with a run of
    spaces between words."""
    prose = CODE_SPAN.sub("``", FENCE.sub("", text))
    return [
        line
        for line in prose.splitlines()
        if not line.lstrip().startswith("|") and SPACES_BETWEEN_WORDS.search(line)
    ]


def test_the_checks_catch_a_backtick_in_a_fence_and_a_gap_in_prose() -> None:
    assert fence_backticks("```\nx = `y`\n```") == ["x = `y`"]
    assert fence_backticks("Run `x`.\n```\nx = y\n```") == []
    assert prose_gaps("一个  空格") == ["一个  空格"]
    assert prose_gaps("  indented, `a  b`, then\n```\nx  =  1\n```\n| a  | b |") == []


def deck_file_id(file: Path) -> str:
    return f"{file.parent.name}/{file.name}"


@pytest.mark.parametrize("slip", [fence_backticks, prose_gaps], ids=lambda slip: slip.__name__)
@pytest.mark.parametrize("file", DECK_FILES, ids=deck_file_id)
def test_deck_has_no_typing_slip(
    library: DeckLibrary, file: Path, slip: Callable[[str], list[str]]
) -> None:
    found = [
        f"{path}: {line.strip()}"
        for path, text in markdown_texts(deck_from(library, file))
        for line in slip(text)
    ]
    assert found == [], "\n".join(found)
