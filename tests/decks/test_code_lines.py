"""Which file line a piece of code's first line is on: known only where the code's lines are the
file's lines one to one (a literal ``|`` block, a value on one line). Quoted text with ``\\n``
escapes, folded ``>`` text and plain text over several lines are not: a problem in such code is
named at the field's own place, never at a line computed from the code's (once "line 11" of a
9-line file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.decks import DeckLoader
from tutor.decks.advice import deck_advice

CODE_LINE = 8  # the line of `code:` in the deck below


def deck(code: str) -> str:
    """A lesson whose one step is a code snippet written as ``code: {code}`` on line 8."""
    return (
        "kind: lesson\nid: cl\ntitle: t\nsummary: s\nsteps:\n"
        f"  - type: code\n    id: cl.c\n    code: {code}\n"
    )


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "cl.yaml"
    file.write_text(text, encoding="utf-8")
    return file


# how the code is written -> the file line of its first line, or None where lines do not match
TEXT_LINES = {
    "literal block": ("|\n      x = 1\n      y = 2\n", CODE_LINE + 1),
    "literal block with indentation indicator": ("|2\n      x = 1\n      y = 2\n", CODE_LINE + 1),
    "literal block after an anchor": ("&c |\n      x = 1\n", CODE_LINE + 1),
    "literal block on a line below its tag": ("!!str\n      |\n        x = 1\n", None),
    "plain, one line": ("x = 1", CODE_LINE),
    "double quoted, one line": ('"x = 1"', CODE_LINE),
    "single quoted, one line": ("'x = 1'", CODE_LINE),
    "double quoted with newline escapes": ('"x = 1\\ny = 2\\nz = 3"', None),
    "double quoted over two lines": ('"x = 1\n      + 2"', None),
    "folded block": (">\n      x = 1\n\n      y = 2\n", None),
    "folded block of one line": (">\n      x = 1\n", None),
    "plain over two lines": ("\n      x = 1\n      + 2\n", None),
}


@pytest.mark.parametrize("style", sorted(TEXT_LINES))
def test_text_line_is_known_only_where_lines_match(tmp_path: Path, style: str) -> None:
    written, expected = TEXT_LINES[style]
    library = DeckLoader([write(tmp_path, deck(written))]).load()
    assert library.errors == [], library.errors
    (snippet,) = library.lessons[0].snippets
    assert snippet.text_line("code") == expected


# code with a syntax error in its second line -> where the error is named
SYNTAX_ERRORS = {
    "literal block": ("|\n      x = 1\n      y = )\n", (CODE_LINE + 2, 11)),
    "folded block": (">\n      x = 1\n\n      y = )\n", (CODE_LINE, 11)),
    "double quoted with newline escapes": ('"x = 1\\ny = )"', (CODE_LINE, 11)),
}


@pytest.mark.parametrize("style", sorted(SYNTAX_ERRORS))
def test_a_syntax_error_names_a_line_of_the_file_that_holds_it(tmp_path: Path, style: str) -> None:
    written, place = SYNTAX_ERRORS[style]
    (error,) = DeckLoader([write(tmp_path, deck(written))]).load().errors
    assert (error.path, (error.line, error.column)) == ("steps[0].code", place), error
    assert "Python syntax error in code line 2: unmatched ')'" in error.message


@pytest.mark.parametrize(
    ("written", "place"),
    [
        # lines match: the comment's own line and column
        ("|\n      x = 1\n      y = 2  # two\n", (CODE_LINE + 2, 14)),
        # they do not: the field's own place
        ('"x = 1\\ny = 2  # two"', (CODE_LINE, 11)),
        (">\n      x = 1\n\n      y = 2  # two\n", (CODE_LINE, 11)),
    ],
)
def test_advice_on_a_comment_names_a_line_that_holds_the_code(
    tmp_path: Path, written: str, place: tuple[int, int]
) -> None:
    library = DeckLoader([write(tmp_path, deck(written))]).load()
    assert library.errors == [], library.errors
    (advice,) = deck_advice(library)
    assert (advice.path, (advice.line, advice.column)) == ("cl.c.code", place), advice
    assert advice.message.endswith("# two")
