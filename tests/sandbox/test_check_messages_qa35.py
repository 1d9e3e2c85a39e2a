"""What an exercise's check says when the learner's answer is wrong in ways its assertions did not
foresee (QA round 35): run for real in the sandbox with the lessons' own checks, then worded as
the exercise step words them (:func:`tutor.sandbox_messages.check_words`)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.outcome import CHECK_CODES
from tutor.decks.loader import load_file
from tutor.i18n import localize
from tutor.sandbox_messages import CHECK_KEYS, check_words

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def exercise(lesson: str, step_id: str) -> Any:
    """The exercise ``step_id`` of the lesson file ``lesson`` (its name, without ``.yaml``)."""
    deck, _ = load_file(LESSONS / f"{lesson}.yaml")
    return next(step for step in deck.steps if getattr(step, "id", None) == step_id)


def checked(sb: Sandbox, step: Any, code: str, timeout: float = 20) -> Any:
    """The run of ``code`` with ``step``'s check, as the exercise step runs it."""
    return sb.run(code, device="cpu", timeout=timeout, check=step.check)


TWIN = ("01-what-is-torch-nn", "l01.ex-functional-twin")
FORGOT_RETURN = [
    (TWIN, "def my_linear(x, layer):\n    F.linear(x, layer.weight, layer.bias)\n"),
    (
        ("05-normalization", "l05.ex-bn-eval-by-hand"),
        "def bn_eval(x, bn):\n"
        "    out = (x - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)"
        " * bn.weight + bn.bias\n",
    ),
    (
        ("11-attention", "l11.ex-masks"),
        "def make_masks(lengths, max_len):\n"
        "    causal = torch.ones(max_len, max_len, dtype=torch.bool).triu(1)\n",
    ),
]


@pytest.mark.parametrize(("where", "code"), FORGOT_RETURN, ids=[w[1] for w, _ in FORGOT_RETURN])
def test_a_forgotten_return_is_named_in_the_learners_language(sb, where, code):
    """The check crashes on the None the learner's function gave it: the step says so (and asks
    about ``return``) in the learner's language, the check's raw error kept apart for a dim line."""
    r = checked(sb, exercise(*where), code)
    assert r.status == "ok" and not r.check.passed and r.check.crashed
    assert r.check.code == "returned_none" and r.check.code in CHECK_CODES
    said, raw = check_words(r.check, "zh")
    assert CJK.search(said) and "None" in said and "return" in said
    assert "NoneType" not in said and "NoneType" in raw  # the raw error only on its own line
    english, raw_en = check_words(r.check, "en")
    assert "forget to `return`" in english and "NoneType" in raw_en


def test_every_check_code_has_its_words():
    assert set(CHECK_KEYS) == set(CHECK_CODES)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_name_the_check_needs_and_the_code_lacks_is_named(sb, lang):
    """``x = 1`` for l01's functional twin: the check's ``my_linear(...)`` raised NameError, and
    the step said only "could not use what your code gave: compare the names and the value"."""
    r = checked(sb, exercise(*TWIN), "x = 1\n")
    assert r.check.crashed and r.check.code == "missing_name"
    assert r.check.params["name"] == "my_linear"
    said, raw = check_words(r.check, lang)
    assert "`my_linear`" in said and "NameError" not in said and "NameError" in raw
    assert bool(CJK.search(said)) == (lang == "zh")


def test_a_check_crashing_on_anything_else_says_it_could_not_use_the_answer(sb):
    """l10: a learner who renames ``layers`` makes the check's ``model.layers`` fail: no None,
    so no word of ``return``, but still the learner's words, not only the check's crash (since
    QA round 37 naming the attribute the check looked for: ``missing_attribute``)."""
    step = exercise("10-debugging", "l10.ex-fix-hidden-params")
    code = step.solution.replace("self.layers", "self.net")
    assert code != step.solution
    r = checked(sb, step, code)
    assert r.check.crashed and r.check.code == "missing_attribute"
    said, raw = check_words(r.check, "zh")
    assert CJK.search(said) and "AttributeError" not in said and "return" not in said
    assert "`layers`" in said
    assert raw.endswith(f"{r.check.params['error']}）") and "layers" in raw


def test_an_error_raised_in_the_learners_function_is_worded_in_their_language(sb):
    """The learner's function raised as the check called it: the line is sent as data (for the
    editor to mark) and the words around Python's error come from the catalog."""
    step = exercise(*TWIN)
    code = "def my_linear(x, layer):\n    return F.linear(x, layer.weight.T, layer.bias)\n"
    r = checked(sb, step, code)
    assert r.error is None and not r.check.crashed
    assert r.check.code == "raised_in_code" and r.check.params["line"] == 2
    said, raw = check_words(r.check, "zh")
    assert "（在你的代码第 2 行引发）" in said and "raised in your code" not in said
    assert said.startswith("RuntimeError: ") and raw == ""
    assert check_words(r.check, "en") == (r.check.message, "")  # English reads as it always did


def test_the_load_backbone_starter_says_a_hint_not_torchs_size_mismatch(sb):
    """Every learner's first Check of l09.ex-load-backbone ran into torch's English list of
    mismatched shapes; the check now turns that into its own hint, in both languages."""
    step = exercise("09-state-dict", "l09.ex-load-backbone")
    r = checked(sb, step, step.starter)
    assert r.status == "ok" and not r.check.passed and not r.check.crashed
    assert r.check.code is None  # the check's own assertion
    zh = localize(r.check.message, "zh")
    assert CJK.search(zh) and "形状" in zh and "size mismatch for" not in zh
    assert "Keep only the keys whose shape matches" in localize(r.check.message, "en")
    assert checked(sb, step, step.solution).check.passed


def test_a_learners_function_looping_as_the_check_calls_it_is_not_blamed_on_the_check(sb):
    step = exercise("04-layers", "l04.ex-conv-out-size")
    code = (
        "def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n"
        "    while size > 0:\n"
        "        size = size + 1\n"
        "    return size\n"
    )
    r = checked(sb, step, code, timeout=2)
    assert r.status == "timeout" and not r.check.passed
    english, chinese = localize(r.check.message, "en"), localize(r.check.message, "zh")
    assert "the check took too long" not in english and "检查用时过长" not in chinese
    assert "your code, as the check called it" in english and "检查调用你的代码时" in chinese


def test_the_functional_twin_needs_the_gradient_to_reach_the_layer(sb):
    """``layer.weight.detach()`` gives the same values, but training could not update the layer."""
    step = exercise(*TWIN)
    code = "def my_linear(x, layer):\n    return F.linear(x, layer.weight.detach(), layer.bias)\n"
    r = checked(sb, step, code)
    assert r.status == "ok" and not r.check.passed and not r.check.crashed
    assert "gradient" in localize(r.check.message, "en")
    assert "梯度" in localize(r.check.message, "zh")
    assert checked(sb, step, step.solution).check.passed
    assert not checked(sb, step, step.starter).check.passed


def test_the_cli_says_a_failed_check_as_the_exercise_step_does():
    """``nn-tutor run``'s rendering of a result with a check: the same words as the step."""
    import io

    from rich.console import Console

    from sandbox.result import CheckOutcome, RunResult
    from tutor.commands.run import render

    check = CheckOutcome(
        False,
        "AttributeError: 'NoneType' object has no attribute 'shape'",
        crashed=True,
        code="returned_none",
        params={"error": "AttributeError: 'NoneType' object has no attribute 'shape'"},
    )
    out = io.StringIO()
    render(RunResult(status="ok", check=check), "zh", Console(file=out, width=200))
    said = out.getvalue()
    assert check_words(check, "zh")[0] in said and "忘了用" in said
