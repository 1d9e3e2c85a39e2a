"""l03.ex-symmetric-weight says what is wrong with a learner's ``Symmetric.forward``, run through
the real sandbox as the app runs a Check.

QA found ``X.triu()`` told "should give back S when S is already symmetric" (its real fault: the
result is not symmetric) and ``X + X.T`` rejected by that same line, never saying the symmetric S
came back doubled. The check now asks "is the result symmetric" first, and names a doubled S.
"""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary

from .test_exercise_alternatives import Case as Attempt
from .test_exercise_alternatives import failed_check_message
from .test_exercise_alternatives import test_exercise_check_judges_the_attempt as judged
from .test_exercise_hints_nudge import exercise

SYMMETRIC = "l03.ex-symmetric-weight"


def _with_forward(body: str) -> str:
    """The starter's code, with ``Symmetric.forward`` returning ``body`` and the layer registered."""
    return (
        "from torch.nn.utils import parametrize\n\n"
        "class Symmetric(nn.Module):\n"
        "    def forward(self, X):\n"
        f"        return {body}\n\n"
        "torch.manual_seed(0)\n"
        "layer = nn.Linear(3, 3)\n"
        "parametrize.register_parametrization(layer, 'weight', Symmetric())\n"
    )


ATTEMPTS = [
    Attempt(SYMMETRIC, "upper-triangle-only", _with_forward("X.triu()"), False, "not symmetric"),
    Attempt(SYMMETRIC, "x-plus-its-transpose", _with_forward("X + X.T"), False, "doubled"),
    Attempt(SYMMETRIC, "lower-triangle-mirrored", _with_forward("X.tril() + X.tril(-1).T"), True),
    Attempt(SYMMETRIC, "average-with-transpose", _with_forward("(X + X.mT) / 2"), True),
]


@pytest.mark.slow
@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda attempt: attempt.label)
def test_the_check_names_what_forward_gets_wrong(
    attempt: Attempt, library: DeckLibrary, sb: Sandbox
) -> None:
    judged(attempt, library, sb)


@pytest.mark.slow
def test_a_doubled_matrix_is_named_in_chinese_too(library: DeckLibrary, sb: Sandbox) -> None:
    message = failed_check_message(_with_forward("X + X.T"), exercise(library, SYMMETRIC), sb)
    assert "2 倍" in message["zh"], message


@pytest.mark.slow
def test_the_reference_solution_passes(library: DeckLibrary, sb: Sandbox) -> None:
    solution = exercise(library, SYMMETRIC).solution
    judged(Attempt(SYMMETRIC, "reference", solution, True), library, sb)
