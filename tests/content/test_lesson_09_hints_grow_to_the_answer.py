"""Lesson 09's exercise hints grow towards the answer, the last the most concrete.

QA found l09.ex-load-backbone's last hint only repeating what its failing check says (shapes
raise even with ``strict=False``), vaguer than the hint before it, and l09.ex-tie-weights going
from "the shapes match" straight to the whole answer. Each is held to the rules
:mod:`tests.content.test_exercise_hints_nudge` holds other exercises to.
"""

from __future__ import annotations

import pytest

from tutor.decks import DeckLibrary

from .test_exercise_hints_nudge import Case, languages
from .test_exercise_hints_nudge import exercise as exercise_step
from .test_exercise_hints_nudge import test_no_hint_spells_out_the_answer as holds_back
from .test_exercise_hints_nudge import test_the_last_hint_comes_close as comes_close

CASES = [
    Case(
        "l09.ex-load-backbone",
        ("if key in target and value.shape == target[key].shape:",),
        ("model.state_dict()", ".shape"),
    ),
    # the answer is one line: the last hint may give it, the ones before hold it back
    Case("l09.ex-tie-weights", ("self.head.weight = self.emb.weight",), ("self.head.weight",), -1),
]


@pytest.mark.parametrize("case", CASES, ids=[c.exercise for c in CASES])
def test_no_hint_before_the_last_gives_the_answer(case: Case, library: DeckLibrary) -> None:
    holds_back(case, library)


@pytest.mark.parametrize("case", CASES, ids=[c.exercise for c in CASES])
def test_the_last_hint_names_what_the_answer_compares(case: Case, library: DeckLibrary) -> None:
    comes_close(case, library)


def test_tie_weights_has_a_hint_between_the_shapes_and_the_answer(library: DeckLibrary) -> None:
    """Between "the shapes match" and the answer, a hint says what to assign: the Parameter
    itself, not its ``.data`` nor a copy (both of which the check rejects)."""
    hints = exercise_step(library, "l09.ex-tie-weights").hints
    assert len(hints) >= 3
    for text in (said for hint in hints[1:-1] for said in languages(hint)):
        assert "Parameter" in text and ".data" in text, text
