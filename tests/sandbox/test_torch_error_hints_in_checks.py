"""A torch error raised in the learner's code as an exercise's check called it (most checks build
the learner's class and call it) carries the advice the same error gets raised by the code itself
(sandbox.torch_error_hints), its numbers included, in the learner's language."""

from __future__ import annotations

import pytest

from sandbox.outcome import HINTS
from tests.sandbox.test_check_failures_qa37 import CJK, NO_SUPER_TOWER, checked, exercise
from tutor.sandbox_messages import check_words

LINEAR_OF_WRONG_WIDTH = "def f(x):\n    return nn.Linear(4, 2)(x)\n"

SWAPPED_OUT_LAYER = exercise("l07.ex-fix-plain-list").solution.replace(
    "nn.Linear(width, 1)", "nn.Linear(1, width)"
)
"""The exercise's answer with its output layer's features swapped: the check's
``model(torch.randn(5, 8))`` fails in its ``return self.out(x)``."""


def test_a_linears_wrong_width_in_the_learners_function_gets_the_hint(sb):
    r = sb.run(LINEAR_OF_WRONG_WIDTH, device="cpu", timeout=20, check="f(torch.randn(3, 5))")
    assert r.check.code == "raised_in_code" and r.check.params["line"] == 2
    assert r.check.params["hint_code"] == "matmul_shapes"
    assert r.check.params["hint_params"] == {"width": "5", "inner": "4"}
    english, raw = check_words(r.check, "en")
    assert english == r.check.message and raw == ""  # the sandbox's English is the catalogue's
    assert english == (
        "RuntimeError: mat1 and mat2 shapes cannot be multiplied (3x5 and 4x2) "
        f"(raised in your code, line 2) ({HINTS['matmul_shapes'].format(width=5, inner=4)})"
    )
    said, _ = check_words(r.check, "zh")
    assert "（在你的代码第 2 行引发）" in said
    assert "左边张量的最后一维（5）必须等于右边张量的第一维（4）" in said
    assert "这里是 4" in said


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_exercises_class_with_its_layers_features_swapped_is_told_in_features(sb, lang):
    r = checked(sb, "l07.ex-fix-plain-list", SWAPPED_OUT_LAYER)
    assert r.check.code == "raised_in_code" and not r.check.crashed
    assert r.check.params["hint_code"] == "matmul_shapes"
    assert r.check.params["hint_params"] == {"width": "8", "inner": "1"}
    said, _ = check_words(r.check, lang)
    assert said.startswith("RuntimeError: mat1 and mat2 shapes cannot be multiplied (5x8 and 1x8)")
    assert "in_features" in said and bool(CJK.search(said)) == (lang == "zh")


def test_a_dtype_torch_words_as_a_c_type_is_named_in_the_check_too(sb):
    code = "def f(x):\n    return nn.Conv2d(3, 8, 3)(x)\n"
    check = "f(torch.zeros(1, 3, 8, 8, dtype=torch.uint8))"
    r = sb.run(code, device="cpu", timeout=20, check=check)
    assert r.check.params["hint_code"] == "dtype_mismatch"
    assert r.check.params["hint_params"] == {"other": "Byte"}
    english, _ = check_words(r.check, "en")
    assert english == r.check.message and "`.float()` on the Byte one" in english
    said, _ = check_words(r.check, "zh")
    assert "对 Byte 类型的那个张量调用 `.float()`" in said


def test_a_hint_without_params_still_has_none(sb):
    """``sequential_list`` names nothing: its check has no ``hint_params``."""
    code = "def f(x):\n    return nn.Sequential([nn.Linear(2, 2)])(x)\n"
    r = sb.run(code, device="cpu", timeout=20, check="f(torch.ones(1, 2))")
    assert r.check.params["hint_code"] == "sequential_list"
    assert "hint_params" not in r.check.params


def test_a_module_without_super_init_names_its_class_in_the_check(sb):
    """``no_module_init`` names the class whose ``__init__`` is to call it first."""
    r = checked(sb, "l02.ex-tower-add-module", NO_SUPER_TOWER)
    assert r.check.params["hint_code"] == "no_module_init"
    assert r.check.params["hint_params"] == {"cls": "Tower"}
    for lang in ("en", "zh"):
        said, _ = check_words(r.check, lang)
        assert "`Tower.__init__`" in said and "`super().__init__()`" in said, said


def test_an_error_with_no_advice_has_no_hint(sb):
    r = sb.run("def f(x):\n    return x.foo\n", device="cpu", timeout=20, check="f(1)")
    assert r.check.code == "raised_in_code" and "hint_code" not in r.check.params
