"""l03.ex-freeze-backbone names the backbone's parameters that still learn with a verb that agrees
with them: "its bias still requires grad", "its weight and bias still require grad". Run through
the real sandbox as the app runs a Check (QA found "its bias still require grad")."""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary

from .test_exercise_alternatives import Case as Attempt
from .test_exercise_alternatives import test_exercise_check_judges_the_attempt as judged

FREEZE = "l03.ex-freeze-backbone"
MODEL = "torch.manual_seed(0)\nmodel = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\n"
HEAD_OPT = "opt = torch.optim.SGD(model[2].parameters(), lr=0.1)\n"

ATTEMPTS = [
    Attempt(
        FREEZE,
        "weight-frozen-bias-not",
        MODEL + "model[0].weight.requires_grad = False\n" + HEAD_OPT,
        False,
        "its bias still requires grad",
    ),
    Attempt(
        FREEZE,
        "eval-freezes-nothing",
        MODEL + "model[0].eval()\n" + HEAD_OPT,
        False,
        "its weight and bias still require grad",
    ),
    Attempt(
        FREEZE,
        "frozen-and-trainable-filtered",
        MODEL
        + "model[0].requires_grad_(False)\n"
        + "opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)\n",
        True,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda attempt: attempt.label)
def test_the_verb_agrees_with_the_parameters_named(
    attempt: Attempt, library: DeckLibrary, sb: Sandbox
) -> None:
    judged(attempt, library, sb)
