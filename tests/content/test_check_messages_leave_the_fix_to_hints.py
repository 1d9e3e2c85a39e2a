"""A failed check says what is wrong and where; how to fix it is what the hints are for.

The Rustlings loop: the failure names the problem, and each hint, on request, says more of how to
solve it, the last coming close to the answer. A check message that names the call or argument
that fixes the code hands over more than the first hint does, and the hints have nothing left to
add. Each case is a wrong attempt run as the app runs a Check (the learner's code, then the
exercise's ``check``, in one sandbox namespace); its message must name what is wrong, keep back
the fix, which the first hint keeps back too and a later hint gives.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary, model

from .test_exercise_hints_nudge import exercise


class Case(NamedTuple):
    exercise: str  # the exercise step's id
    label: str  # what the attempt is, for the test id
    code: str  # what the learner types in the editor
    names: tuple[str, ...]  # what is wrong and where: every language of the message names it
    fix: str  # the code that fixes it: in a hint after the first, in no message nor hint 1


FREEZE_BN_LOOP = (
    "def freeze_bn(model):\n"
    "    for m in model.modules():\n"
    "        if isinstance(m, {kinds}):\n"
    "            m.eval()\n"
    "{freeze}"
)

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
]


def languages(text: model.Text) -> dict[str, str]:
    return dict(text) if isinstance(text, dict) else {"en": text}


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[f"{c.exercise}:{c.label}" for c in CASES])
def test_the_message_says_what_is_wrong_and_the_hints_say_how(
    case: Case, library: DeckLibrary, sb: Sandbox
) -> None:
    step = exercise(library, case.exercise)
    result = sb.run(case.code, device="cpu", check=step.check)
    assert result.check is not None, (result.status, result.error)
    assert not result.ok, "the check accepted a wrong attempt"
    message = languages(result.check.message)
    assert set(message) == {"en", "zh"}, message
    for lang, said in message.items():
        missing = [word for word in case.names if word not in said]
        assert missing == [], f"the {lang} message does not say {missing}: {said!r}"
        assert case.fix not in said, f"the {lang} message hands over {case.fix!r}: {said!r}"
    for lang, first in languages(step.hints[0]).items():
        assert case.fix not in first, f"hint 1 ({lang}) hands over {case.fix!r}: {first!r}"
    for lang in message:
        later = [languages(hint).get(lang, "") for hint in step.hints[1:]]
        assert any(case.fix in hint for hint in later), f"no later {lang} hint gives {case.fix!r}"
