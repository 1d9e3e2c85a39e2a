"""A QA tester's content findings in lessons 09–11, held to what the learner sees: the hidden-
parameter exercise says a frozen ``scale`` is frozen, a step points at content on another step
as "the previous step" (not "above", which reads as on screen), and no hint ends on code whose
own full stop runs into the sentence's. The last two hold for every lesson."""

from __future__ import annotations

import re

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary, model
from tutor.decks.walk import iter_texts

from .test_exercise_alternatives import Case as Attempt
from .test_exercise_alternatives import test_exercise_check_judges_the_attempt as judged
from .test_exercise_feedback_words import Case as Feedback
from .test_exercise_feedback_words import (
    test_wrong_attempt_feedback_speaks_to_the_learner as spoken,
)

MLP = """\
class MLP(nn.Module):
    def __init__(self, sizes=(4, 8, 8, 2)):
        super().__init__()
        self.layers = {layers}
        {scale}

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = F.relu(layer(x))
        return self.layers[-1](x) * self.scale
"""
MODULE_LIST = "nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))"
FROZEN = "self.scale = nn.Parameter(torch.ones(1), requires_grad=False)"
HIDDEN = "l10.ex-fix-hidden-params"


@pytest.mark.slow
def test_a_frozen_scale_is_told_it_is_frozen_not_that_layers_get_no_gradient(
    library: DeckLibrary, sb: Sandbox
) -> None:
    """The layers are fine; ``requires_grad=False`` is what keeps ``scale`` from learning."""
    frozen = Feedback(
        HIDDEN,
        "scale-frozen",
        MLP.format(layers=MODULE_LIST, scale=FROZEN),
        ("scale", "requires_grad=False"),
        ("every layer", "每一层"),
    )
    spoken(frozen, library, sb)


@pytest.mark.slow
@pytest.mark.parametrize(
    "attempt",
    [
        Attempt(HIDDEN, "starter", "", False, "plain list"),
        Attempt(
            HIDDEN,
            "scale-a-buffer",
            MLP.format(layers=MODULE_LIST, scale='self.register_buffer("scale", torch.ones(1))'),
            False,
            "scale must be an nn.Parameter",
        ),
        Attempt(
            HIDDEN,
            "sequential",
            MLP.format(
                layers="nn.Sequential(*[nn.Linear(a, b) for a, b in zip(sizes, sizes[1:])])",
                scale="self.scale = nn.Parameter(torch.ones(1))",
            ),
            True,
        ),
    ],
    ids=lambda attempt: attempt.label,
)
def test_the_hidden_params_checks_other_verdicts_stand(
    attempt: Attempt, library: DeckLibrary, sb: Sandbox
) -> None:
    found = library.item(HIDDEN)
    assert found is not None and isinstance(found[1], model.ExerciseStep)
    if attempt.label == "starter":
        attempt = attempt._replace(code=found[1].starter)
    judged(attempt, library, sb)


def languages(text: str | dict[str, str]) -> dict[str, str]:
    return text if isinstance(text, dict) else {"en": text, "zh": text}


ABOVE = re.compile(r"(?<!`-inf` )\babove\b(?! (?:the|its) diagonal| \d)|(?<!在它)上面")
""""above" as in "earlier on the page" (not "above the diagonal", "`-inf` above" it, "above 17",
"在它上面" for "on it"): a learner reads one step at a time, so what is above is on this step
or nowhere."""


def test_no_step_of_any_lesson_points_above_at_another_step(library: DeckLibrary) -> None:
    said = [
        (deck.id, path, said)
        for deck in library.lessons
        for path, text in iter_texts(deck)
        for said in languages(text).values()
        if ABOVE.search(said)
    ]
    assert said == []


def step_and_before(library: DeckLibrary, step_id: str, back: int) -> tuple[model.Step, model.Step]:
    """The step ``step_id`` (a quiz step by its quiz's id) and the one ``back`` steps before it."""
    found = library.item(step_id)
    assert found is not None, step_id
    deck = library.lesson(found[0])
    assert deck is not None
    ids = [model.step_id(step) for step in deck.steps]
    index = ids.index(step_id)
    return deck.steps[index], deck.steps[index - back]


def test_the_hook_quiz_sends_the_learner_to_the_step_that_defines_its_names(
    library: DeckLibrary,
) -> None:
    quiz, before = step_and_before(library, "l09.q-hook-on-submodule", 1)
    assert isinstance(quiz, model.QuizStep) and isinstance(before, model.CodeStep)
    question = languages(quiz.quiz.question)
    assert "previous step" in question["en"] and "上一步" in question["zh"], question
    for name in ("class Net(", "ckpt = ", "def rename_fc("):
        assert name in before.code


def test_the_mha_exercise_sends_the_learner_two_steps_back_to_the_diagram(
    library: DeckLibrary,
) -> None:
    exercise, before = step_and_before(library, "l11.ex-mha-by-hand", 2)
    assert isinstance(exercise, model.ExerciseStep) and isinstance(before, model.TextStep)
    prompt = languages(exercise.prompt)
    assert "two steps back" in prompt["en"] and "往前两步" in prompt["zh"], prompt
    for body in languages(before.body).values():
        diagram = body.split("```")[1]  # the first fenced block
        assert "F.scaled_dot_product_attention" in diagram and "out_proj" in diagram


def test_no_text_of_any_lesson_ends_a_sentence_on_code_ending_in_a_full_stop(
    library: DeckLibrary,
) -> None:
    """`` `features.`. `` shows as "features.." once the backticks are drawn as code."""
    said = [
        (deck.id, path, said)
        for deck in library.lessons
        for path, text in iter_texts(deck)
        for said in languages(text).values()
        if re.search(r"\.`[.。]", said)
    ]
    assert said == []
