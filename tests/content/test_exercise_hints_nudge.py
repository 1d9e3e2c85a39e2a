"""Hints lead up to an answer instead of handing it over.

The first hint names the idea or the API to reach for; the last comes close to the answer. No hint
may spell out the code that solves the exercise: a learner who presses ``h`` once must still have
something to write. Each case lists, for one exercise, the answer fragments no hint may contain
(compared without spaces, quotes unified) and words the last hint must name; where the last hints
may come down to code (``guarded``), only the hints before them are held to it.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from tutor.decks import DeckLibrary, model


class Case(NamedTuple):
    exercise: str  # the exercise step's id
    answers: tuple[str, ...]  # code that solves a part of the exercise outright
    last_names: tuple[str, ...]  # what the last hint must mention to be nearly the answer
    guarded: int | None = None  # how many hints, from the first, must hold no answer (None: all)


CASES: list[Case] = [
    Case("welcome.ex-tiny-linear", ("bias=False",), ("bias=",)),
    Case(
        "l05.ex-freeze-bn",
        ("m.requires_grad_(False)",),
        ("m.eval()", "m.requires_grad_(False)"),
        guarded=3,
    ),
    Case(
        "l03.ex-symmetric-weight",
        (
            "X.triu() + X.triu(1).mT",
            "(X + X.mT) / 2",
            "register_parametrization(layer, 'weight', Symmetric())",
        ),
        ("register_parametrization", "triu", "Symmetric()"),
    ),
    Case(
        "l03.ex-freeze-backbone",
        (
            "model[0].requires_grad_(False)",
            "[p for p in model.parameters() if p.requires_grad]",
            "SGD(model[2].parameters()",
        ),
        ("requires_grad_(False)", "model.parameters()", "p.requires_grad"),
    ),
    Case(
        "l11.ex-masks",
        ("torch.ones(max_len, max_len, dtype=torch.bool)", ".triu(diagonal=1)"),
        ("as_tensor",),
        guarded=1,
    ),
    Case(
        "l09.ex-materialise",
        ("model.to_empty(device=device)",),
        ("model.modules()", "reset_parameters"),
        guarded=1,
    ),
    Case(
        "l11.ex-mha-by-hand",
        ("F.linear(x, w_k, b_k)", "F.linear(x, w_v, b_v)"),
        ("out_proj", "reshape"),
        guarded=1,
    ),
    Case(
        "l04.ex-last-valid-state",
        ("pack_padded_sequence(x, lengths, batch_first=True", "enforce_sorted=False"),
        ("enforce_sorted=False", "batch_first=True"),
        guarded=1,
    ),
    Case("l04.ex-conv-out-size", ("// stride + 1",), ("//", "`/`")),
    Case(
        "l06.ex-record-shapes",
        ("handles.append(module.register_forward_hook(",),
        (".remove()", "try/finally"),
    ),
    Case("l07.ex-fix-plain-list", ("self.hidden = nn.ModuleList([",), ("nn.ModuleList",)),
    Case(
        "l08.ex-buffer-follows",
        ("persistent=False",),
        ("register_buffer", "persistent=False"),
        guarded=2,
    ),
    Case(
        "l10.ex-first-nonfinite",
        ("if not torch.isfinite(out).all():", "finally:\n        for h in handles:"),
        ("finally:",),
    ),
    Case(
        "l10.ex-fix-hidden-params",
        ("nn.Parameter(torch.ones(1))", "self.layers = nn.ModuleList("),
        ("nn.Parameter",),
    ),
]


def squeeze(text: str) -> str:
    """Spaces and quote style aside, so a reformatted copy of the answer still counts."""
    return "".join(text.split()).replace('"', "'").replace("\\'", "'")


def languages(text: model.Text) -> list[str]:
    return list(text.values()) if isinstance(text, dict) else [text]


def exercise(library: DeckLibrary, exercise_id: str) -> model.ExerciseStep:
    found = library.item(exercise_id)
    assert found is not None, f"no exercise {exercise_id!r} in the shipped decks"
    step = found[1]
    assert isinstance(step, model.ExerciseStep)
    return step


@pytest.mark.parametrize("case", CASES, ids=[c.exercise for c in CASES])
def test_no_hint_spells_out_the_answer(case: Case, library: DeckLibrary) -> None:
    step = exercise(library, case.exercise)
    assert len(step.hints) >= 2
    solution = squeeze(step.solution)
    leaks = []
    for n, hint in enumerate(step.hints[: case.guarded], start=1):
        for text in languages(hint):
            for answer in case.answers:
                if squeeze(answer) in squeeze(text):
                    leaks.append(f"hint {n} gives away {answer!r}")
    # The fragments must be real answers, or the test would guard nothing.
    assert any(squeeze(a) in solution for a in case.answers)
    assert leaks == []


@pytest.mark.parametrize("case", CASES, ids=[c.exercise for c in CASES])
def test_the_last_hint_comes_close(case: Case, library: DeckLibrary) -> None:
    step = exercise(library, case.exercise)
    for text in languages(step.hints[-1]):
        missing = [word for word in case.last_names if word not in text]
        assert missing == [], f"the last hint does not name {missing}: {text!r}"
