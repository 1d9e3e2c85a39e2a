"""Each of l09.ex-load-backbone's hints says one thing more than the hints before it.

A review found hints 2 and 3 both giving ``target = model.state_dict()``: a learner who pressed
``h`` again was handed the same line twice. Here a hint's code (its `` `spans` ``) is what it
says; each hint must bring code no earlier hint brought, and give no span an earlier one gave.
"""

from __future__ import annotations

import re

import pytest

from tutor.decks import DeckLibrary

from .test_exercise_hints_nudge import exercise

EXERCISE = "l09.ex-load-backbone"
CODE_SPAN = re.compile(r"`([^`]+)`")


def hints_in(library: DeckLibrary, lang: str) -> list[str]:
    """The exercise's hints as a learner reading ``lang`` sees them, first to last."""
    hints = exercise(library, EXERCISE).hints
    return [hint[lang] if isinstance(hint, dict) else hint for hint in hints]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_hint_brings_code_the_earlier_hints_did_not(library: DeckLibrary, lang: str) -> None:
    given: set[str] = set()
    repeated: list[str] = []
    for number, hint in enumerate(hints_in(library, lang), start=1):
        spans = set(CODE_SPAN.findall(hint))
        assert spans - given, f"hint {number} names no code the hints before it did not: {hint!r}"
        repeated += [f"hint {number} repeats `{span}`" for span in sorted(spans & given)]
        given |= spans
    assert repeated == []
