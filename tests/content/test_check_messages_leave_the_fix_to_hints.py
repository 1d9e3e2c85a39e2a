"""A failed check says what is wrong and where; how to fix it is what the hints are for.

The Rustlings loop: the failure names the problem, and each hint, on request, says more of how to
solve it, the last coming close to the answer. A check message that names the call or argument
that fixes the code hands over more than the first hint does, and the hints have nothing left to
add. Each case is a wrong attempt run as the app runs a Check (the learner's code, then the
exercise's ``check``, in one sandbox namespace); its message must name what is wrong, keep back
the fix, which the first hint keeps back too and a later hint gives.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary, model

from .test_exercise_alternatives import CASES as ALTERNATIVES
from .test_exercise_alternatives import attempt_code, failed_check_message
from .test_exercise_feedback_words import CASES as FEEDBACK
from .test_exercise_hints_nudge import exercise


class Case(NamedTuple):
    exercise: str  # the exercise step's id
    label: str  # what the attempt is, for the test id
    code: str  # what the learner types in the editor ("": the exercise's starter, as it comes)
    names: tuple[str, ...]  # what is wrong and where: every language of the message names it
    fix: str  # the code that fixes it: in a hint after the first, in no message nor hint 1


FREEZE_BN_LOOP = (
    "def freeze_bn(model):\n"
    "    for m in model.modules():\n"
    "        if isinstance(m, {kinds}):\n"
    "            m.eval()\n"
    "{freeze}"
)


def attempt(exercise_id: str, label: str) -> str:
    """The code of a wrong attempt another content test already runs, written there once."""
    return attempt_code(exercise_id, label, (*ALTERNATIVES, *FEEDBACK))


CASES: list[Case] = [
    Case(
        "welcome.ex-tiny-linear",
        "starter-keeps-the-bias",
        "layer = nn.Linear(3, 1)\n",
        ("layer", "bias"),
        "bias=",
    ),
    Case(
        "l03.ex-freeze-backbone",
        "starter-freezes-nothing",
        "torch.manual_seed(0)\n"
        "model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\n"
        "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n",
        ("model[0]", "weight", "bias"),
        "requires_grad_(False)",
    ),
    Case(
        "l03.ex-symmetric-weight",
        "symmetric-never-registered",
        "class Symmetric(nn.Module):\n"
        "    def forward(self, X):\n"
        "        return (X + X.mT) / 2\n\n"
        "torch.manual_seed(0)\n"
        "layer = nn.Linear(3, 3)\n",
        ("layer.weight", '"weight"'),
        "register_parametrization",
    ),
    Case(
        "l05.ex-freeze-bn",
        "eval-without-freezing-weights",
        FREEZE_BN_LOOP.format(kinds="nn.modules.batchnorm._BatchNorm", freeze=""),
        ("BatchNorm", "weight", "bias"),
        "requires_grad_(False)",
    ),
    Case(
        "l05.ex-freeze-bn",
        "tuple-misses-sync-batchnorm",
        FREEZE_BN_LOOP.format(
            kinds="(nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)",
            freeze="            m.requires_grad_(False)\n",
        ),
        ("SyncBatchNorm", "'3.1'"),
        "nn.modules.batchnorm._BatchNorm",
    ),
    Case(
        "l04.ex-conv-out-size",
        "true-division-gives-a-float",
        attempt("l04.ex-conv-out-size", "true-division"),
        ("conv_out(28, 3", "float", "26.0"),
        "//",
    ),
    Case(
        "l04.ex-last-valid-state",
        "no-packing-reads-output-at-last-step",
        attempt("l04.ex-last-valid-state", "no-packing-reads-output-at-last-step"),
        ("Tensor", "PackedSequence"),
        "enforce_sorted=False",
    ),
    Case(
        "l06.ex-record-shapes",
        "starter-leaves-its-hooks",
        "",
        ("3", "'0'", "'1'", "'2'"),
        ".remove()",
    ),
    Case(
        "l07.ex-fix-plain-list",
        "add-module-but-hidden-still-a-list",
        attempt("l07.ex-fix-plain-list", "add-module-but-hidden-still-a-list"),
        ("model.hidden", "list", "hidden0", "hidden.0.0.weight"),
        "nn.ModuleList",
    ),
    Case(
        "l07.ex-fix-plain-list",
        "module-list-kept-under-another-name",
        attempt("l07.ex-fix-plain-list", "add-module-but-hidden-still-a-list").replace(
            "        self.hidden = [nn.Sequential(nn.Linear(width, width), nn.ReLU()) for _ in range(depth)]\n"
            "        for i, layer in enumerate(self.hidden):\n"
            "            self.add_module(f'hidden{i}', layer)\n",
            "        self.blocks = nn.ModuleList(\n"
            "            nn.Sequential(nn.Linear(width, width), nn.ReLU()) for _ in range(depth))\n"
            "        self.hidden = list(self.blocks)\n",
        ),
        ("model.hidden", "list", "blocks.0", "blocks.1", "blocks.2", "hidden.0.0.weight"),
        "nn.ModuleList",
    ),
    Case(
        "l07.ex-fix-plain-list",
        "only-the-linears-registered",
        attempt("l07.ex-fix-plain-list", "add-module-but-hidden-still-a-list").replace(
            "self.add_module(f'hidden{i}', layer)", "self.add_module(f'linear{i}', layer[0])"
        ),
        ("model.hidden", "list", "hidden.0.0.weight"),
        "nn.ModuleList",
    ),
    Case(
        "l08.ex-buffer-follows",
        "parameter-without-grad",
        attempt("l08.ex-buffer-follows", "parameter-without-grad"),
        ("offsets", "nn.Parameter", "requires_grad=False"),
        "buffer",
    ),
    Case(
        "l08.ex-buffer-follows",
        "persistent-buffer-is-saved",
        attempt("l08.ex-buffer-follows", "parameter-without-grad").replace(
            "self.offsets = nn.Parameter(torch.linspace(-1.0, 1.0, length), requires_grad=False)",
            "self.register_buffer('offsets', torch.linspace(-1.0, 1.0, length))",
        ),
        ("offsets", "state_dict"),
        "persistent",
    ),
    Case("l09.ex-materialise", "starter-leaves-it-on-meta", "", ("meta", "'0.weight'"), "to_empty"),
    Case(
        "l09.ex-materialise",
        "memory-but-no-reset",
        "def materialise(model, device):\n    model.to_empty(device=device)\n    return model\n",
        ("net[1]", "BatchNorm1d", "running_var"),
        "reset_parameters",
    ),
    Case(
        "l09.ex-materialise",
        "reset-top-level-only",
        attempt("l09.ex-materialise", "known-layer-types-only").replace(
            "    for m in model.modules():\n        if isinstance(m, (nn.Linear, nn.BatchNorm1d)):\n",
            "    for m in model.children():\n        if hasattr(m, 'reset_parameters'):\n",
        ),
        ("Gate", "net[3][0]"),
        "model.modules()",
    ),
    Case(
        "l10.ex-first-nonfinite",
        "nan-only",
        attempt("l10.ex-first-nonfinite", "nan-only"),
        ("'1'", "inf", "None"),
        "torch.isfinite",
    ),
    Case(
        "l10.ex-first-nonfinite",
        "no-finally",
        attempt("l10.ex-first-nonfinite", "no-finally"),
        ("model(x)", "'0'", "'1'"),
        "finally",
    ),
    Case(
        "l10.ex-fix-hidden-params",
        "starter-hides-the-layers",
        "",
        ("model.layers", "list", "parameters()"),
        "nn.ModuleList",
    ),
    Case(
        "l11.ex-mha-by-hand",
        "heads-split-by-view-alone",
        "def mha_by_hand(mha, x):\n"
        "    N, L, E = x.shape\n"
        "    h, d = mha.num_heads, mha.head_dim\n"
        "    w = zip(mha.in_proj_weight.chunk(3), mha.in_proj_bias.chunk(3))\n"
        "    q, k, v = (F.linear(x, w_t, b_t).view(N, h, L, d) for w_t, b_t in w)\n"
        "    out = F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(N, L, E)\n"
        "    return mha.out_proj(out)\n",
        ("E=12", "heads=3", "mha(x, x, x)[0]"),
        "view(N, L, h, d)",
    ),
]


HOOKS_ON_THE_MODEL_ITSELF: list[tuple[str, str]] = [
    (
        "l10.ex-first-nonfinite",
        attempt("l10.ex-first-nonfinite", "no-finally").replace(
            "for n, m in model.named_modules() if n]", "for n, m in model.named_modules()]"
        ),
    ),
    (
        "l06.ex-record-shapes",
        "def record_shapes(model, x):\n"
        "    shapes = {}\n"
        "    for name, module in model.named_modules():\n"
        "        leaf = not list(module.children())\n"
        "        module.register_forward_hook(\n"
        "            lambda m, args, out, name=name, leaf=leaf:\n"
        "                shapes.__setitem__(name, tuple(out.shape)) if leaf else None)\n"
        "    model(x)\n"
        "    return shapes\n",
    ),
]
"""Attempts that leave a hook on the model itself too, whose name in ``named_modules()`` is ''."""

THE_MODEL_ITSELF = {"en": "the model itself", "zh": "模型本身"}

SPACED_CHINESE = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]")
"""A space between two Chinese characters: a phrase dropped into a frame spaced for a name."""


def languages(text: model.Text) -> dict[str, str]:
    return dict(text) if isinstance(text, dict) else {"en": text}


def failed_message_in_each_language(
    code: str, step: model.ExerciseStep, sb: Sandbox
) -> dict[str, str]:
    """The message, in each language, of the check that ``code`` ("": the starter) fails."""
    message = languages(failed_check_message(code or step.starter, step, sb))
    assert set(message) == {"en", "zh"}, message
    return message


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[f"{c.exercise}:{c.label}" for c in CASES])
def test_the_message_says_what_is_wrong_and_the_hints_say_how(
    case: Case, library: DeckLibrary, sb: Sandbox
) -> None:
    step = exercise(library, case.exercise)
    message = failed_message_in_each_language(case.code, step, sb)
    for lang, said in message.items():
        missing = [word for word in case.names if word not in said]
        assert missing == [], f"the {lang} message does not say {missing}: {said!r}"
        assert case.fix not in said, f"the {lang} message hands over {case.fix!r}: {said!r}"
    assert not SPACED_CHINESE.search(message["zh"]), message["zh"]
    for lang, first in languages(step.hints[0]).items():
        assert case.fix not in first, f"hint 1 ({lang}) hands over {case.fix!r}: {first!r}"
    for lang in message:
        later = [languages(hint).get(lang, "") for hint in step.hints[1:]]
        assert any(case.fix in hint for hint in later), f"no later {lang} hint gives {case.fix!r}"


@pytest.mark.slow
@pytest.mark.parametrize(
    "exercise_id, code", HOOKS_ON_THE_MODEL_ITSELF, ids=[e for e, _ in HOOKS_ON_THE_MODEL_ITSELF]
)
def test_a_hook_left_on_the_model_itself_is_said_to_be_on_the_model(
    exercise_id: str, code: str, library: DeckLibrary, sb: Sandbox
) -> None:
    """The root module's name is '', which a message would show as a bare ``''``."""
    message = failed_message_in_each_language(code, exercise(library, exercise_id), sb)
    for lang, said in message.items():
        assert THE_MODEL_ITSELF[lang] in said and "''" not in said, f"({lang}) {said!r}"
        assert "'0'" in said, f"({lang}) the other modules keep their names: {said!r}"
    assert not SPACED_CHINESE.search(message["zh"]), message["zh"]
