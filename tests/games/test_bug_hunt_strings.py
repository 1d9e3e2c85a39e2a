"""Bug Hunt's learner text lives in the string catalogue (``game.bug.<kind>.*``), so the
catalogue's checks cover it: every question, explanation and symptom a puzzle says is a key with
both languages, and each language takes exactly the values the puzzle fills it with (a
translation naming a placeholder the puzzle does not give would fail only on screen)."""

from __future__ import annotations

import random

import pytest

from tests.decks.test_messages_zh import fields
from tutor.decks.errors import Message
from tutor.games.bug_hunt import KINDS, BugPuzzle, new_puzzle
from tutor.i18n import LANGS, _catalog


def _said(puzzle: BugPuzzle) -> dict[str, Message]:
    """The messages a puzzle shows the learner, by field."""
    said = {"title": puzzle.title, "explain": puzzle.explain}
    return said | ({"symptom": puzzle.symptom} if puzzle.symptom is not None else {})


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_puzzle_text_is_a_catalogue_string_with_the_values_it_takes(kind: str) -> None:
    catalog = _catalog()
    for seed in range(10):
        for name, message in _said(new_puzzle(random.Random(seed), kind)).items():
            assert message.key == f"game.bug.{kind}.{name}"
            assert message.key in catalog, message.key
            given = {value_name for value_name, _ in message.values}
            for lang in LANGS:
                assert fields(catalog[message.key][lang]) == given, (message.key, lang)
                assert message.text(lang).strip(), (message.key, lang)


def test_the_no_super_explanation_quotes_the_error_python_raises() -> None:
    """The error is Python's words, the same in both languages: filled in, not translated."""
    puzzle = new_puzzle(random.Random(0), "no_super")
    for lang in LANGS:
        assert "`AttributeError: cannot assign module before Module.__init__() call`" in (
            puzzle.explain.text(lang)
        )
