"""l09.ex-load-backbone asks for the keys the model has *with the same shape*; its check holds a
solution to that, run through the real sandbox as the app runs a Check.

QA found a solution that drops ``head.*`` by name and never compares a shape passing: the
checkpoint's head was the only key of another shape. The check now also loads into a model whose
``backbone.2`` is wider, which only a shape filter gets through.
"""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary

from .test_exercise_alternatives import Case as Attempt
from .test_exercise_alternatives import test_exercise_check_judges_the_attempt as judged
from .test_exercise_hints_nudge import exercise

BACKBONE = "l09.ex-load-backbone"

ATTEMPTS = [
    Attempt(
        BACKBONE,
        "drops-head-by-name-in-one-comprehension",
        "def load_backbone(model, old_sd):\n"
        "    sd = {k.replace('features.', 'backbone.'): v for k, v in old_sd.items()\n"
        "          if not k.startswith('head.')}\n"
        "    return model.load_state_dict(sd, strict=False)\n",
        False,
        "backbone.2",
    ),
    Attempt(
        BACKBONE,
        "shape-filter-in-one-comprehension",
        "def load_backbone(model, old_sd):\n"
        "    own = model.state_dict()\n"
        "    renamed = {k.replace('features.', 'backbone.', 1): v for k, v in old_sd.items()}\n"
        "    kept = {k: v for k, v in renamed.items()\n"
        "            if k in own and own[k].shape == v.shape}\n"
        "    return model.load_state_dict(kept, strict=False)\n",
        True,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda attempt: attempt.label)
def test_the_check_holds_the_learner_to_the_shape_filter(
    attempt: Attempt, library: DeckLibrary, sb: Sandbox
) -> None:
    judged(attempt, library, sb)


@pytest.mark.slow
def test_the_reference_solution_passes_the_widened_check(library: DeckLibrary, sb: Sandbox) -> None:
    solution = exercise(library, BACKBONE).solution
    judged(Attempt(BACKBONE, "reference", solution, True), library, sb)
