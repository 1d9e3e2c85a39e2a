"""What a learner reads after a wrong attempt names what they know and says what to do.

Each case is a wrong attempt QA typed into the real app, run as the app runs a Check (the
learner's code, then the exercise's ``check``, in one sandbox namespace). The feedback must
contain the words the learner needs (in English and, for a bilingual message, in Chinese) and
none of the misleading ones it used to show: the check's own helper class, int masks for a rule
about bool masks, ``//`` advice for code that already uses ``//``, a bare "got []".
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary, model


class Case(NamedTuple):
    exercise: str  # the exercise step's id
    label: str  # what the attempt is, for the test id
    code: str  # what the learner types in the editor
    says: tuple[str, ...]  # words every language of the feedback (or its stdout) must contain
    never: tuple[str, ...]  # words no language of the feedback (nor its stdout) may contain


CONV_OUT = "(size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1"

CASES: list[Case] = [
    Case(
        "l01.ex-functional-twin",
        "typo-bais",
        "def my_linear(x, layer):\n    return F.linear(x, layer.weight, layer.bais)\n",
        ("'Linear' object has no attribute 'bais'",),
        ("_NoCall",),
    ),
    Case(
        "l01.ex-functional-twin",
        "print-layer",
        "def my_linear(x, layer):\n    print(layer)\n    return F.linear(x, layer.weight)\n",
        ("Linear(in_features=5, out_features=3",),
        ("_NoCall",),
    ),
    Case(
        "l01.ex-functional-twin",
        "calls-the-layer",
        "def my_linear(x, layer):\n    return layer(x)\n",
        ("F.linear",),  # the refusal, in both languages
        ("_NoCall",),
    ),
    Case(
        "l11.ex-masks",
        "padding-off-by-one",
        "def make_masks(lengths, max_len):\n"
        "    causal = torch.ones(max_len, max_len, dtype=torch.bool).triu(diagonal=1)\n"
        "    padding = torch.arange(max_len)[None, :] > torch.as_tensor(lengths)[:, None]\n"
        "    return causal, padding\n",
        ("[False, False, False,  True,  True]", "[False, False, False, False,  True]"),
        ("[0, 0, 0, 1, 1]", "dtype=torch.int32"),
    ),
    Case(
        "l11.ex-masks",
        "starter-all-false",
        "def make_masks(lengths, max_len):\n"
        "    causal = torch.zeros(max_len, max_len, dtype=torch.bool)\n"
        "    padding = torch.zeros(len(lengths), max_len, dtype=torch.bool)\n"
        "    return causal, padding\n",
        ("[False, False, False, False, False]",),
        ("[0, 0, 0, 0, 0]", "dtype=torch.int32"),
    ),
    Case(
        "l04.ex-conv-out-size",
        "right-value-as-tensor",
        f"def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n"
        f"    return torch.tensor({CONV_OUT})\n",
        ("int(...)", "Tensor"),
        ("//",),
    ),
    Case(
        "l04.ex-conv-out-size",
        "right-value-as-numpy-int",
        f"import numpy as np\n\n"
        f"def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n"
        f"    return np.int64({CONV_OUT})\n",
        ("int(...)", "int64"),
        ("//",),
    ),
    Case(
        "l04.ex-conv-out-size",
        "true-division",
        "def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n"
        "    return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1\n",
        ("float", "26.0", "Conv2d"),
        ("int(...)", "//"),
    ),
    Case(
        "l09.ex-load-backbone",
        "merge-into-own-state-dict",
        "def load_backbone(model, old_sd):\n"
        "    sd = model.state_dict()\n"
        "    for k, v in old_sd.items():\n"
        '        nk = "backbone." + k[9:] if k.startswith("features.") else k\n'
        "        if nk in sd and sd[nk].shape == v.shape:\n"
        "            sd[nk] = v\n"
        "    return model.load_state_dict(sd, strict=False)\n",
        ("model.state_dict()", "strict=False", "missing_keys"),
        ("got []",),
    ),
]


def shown(message: model.Text | str | None) -> list[str]:
    """Every language the learner may read the message in."""
    if isinstance(message, dict):
        return list(message.values())
    return [message or ""]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[f"{c.exercise}:{c.label}" for c in CASES])
def test_wrong_attempt_feedback_speaks_to_the_learner(
    case: Case, library: DeckLibrary, sb: Sandbox
) -> None:
    found = library.item(case.exercise)
    assert found is not None, f"no exercise {case.exercise!r} in the shipped decks"
    step = found[1]
    assert isinstance(step, model.ExerciseStep)
    if "import numpy" in case.code:
        pytest.importorskip("numpy")  # nn-tutor does not install it; a learner may have it
    result = sb.run(case.code, device="cpu", check=step.check)
    assert not result.ok, "the check accepted a wrong attempt"
    assert result.check is not None, (result.status, result.error)
    message = result.check.message
    if isinstance(message, dict):
        assert set(message) >= {"en", "zh"}, f"the message is not bilingual: {message!r}"
    stdout = result.stdout or ""
    for text in shown(message):
        read = f"{stdout}\n{text}"
        missing = [word for word in case.says if word not in read]
        assert missing == [], f"the feedback does not say {missing}: {read!r}"
        wrong = [word for word in case.never if word in read]
        assert wrong == [], f"the feedback still says {wrong}: {read!r}"
