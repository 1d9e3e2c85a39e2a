"""The run panel's error line draws the code spans of the sandbox's hint as code.

The hints mark code with backticks (`` `x = x.to(model.weight.dtype)` ``), and the panel drew
them as typed: a learner read the backticks. Only the hint is the sandbox's own words: what a
learner's code (or torch) raised before it is drawn as written, backticks too.
"""

from __future__ import annotations

import pytest

from tutor.widgets.run_panel import error_line

CODE = "bold cyan"
MIXED_DTYPES = "nn.Linear(3, 1)(torch.zeros(2, 3, dtype=torch.float64))"
FIX = {"en": "x = x.to(model.weight.dtype)", "zh": "x = x.to(model.weight.dtype)"}


def styled(text, style: str) -> list[str]:
    """The pieces of ``text`` drawn in ``style``."""
    return [text.plain[span.start : span.end] for span in text.spans if str(span.style) == style]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_hints_code_is_drawn_as_code_without_its_backticks(sb, lang: str) -> None:
    error = sb.run(MIXED_DTYPES).error
    assert error is not None and error.hint_code == "dtype_mismatch", error
    line = error_line(error, lang, code=CODE)
    assert "`" not in line.plain, line.plain
    assert FIX[lang] in styled(line, CODE), line.spans
    assert ".float()" in styled(line, CODE)
    # torch's words before the hint are as torch said them
    assert "mat1 and mat2 must have the same dtype" in line.plain


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_learners_own_backticks_stay(sb, lang: str) -> None:
    error = sb.run("raise ValueError('call `model.eval()` first')").error
    assert error is not None and not error.hint, error
    line = error_line(error, lang, code=CODE)
    assert "call `model.eval()` first" in line.plain
    assert styled(line, CODE) == []


# (code, Python's words, what the Chinese gloss after them reads once drawn, its code spans)
GLOSSED = [
    (
        "model = 1\nprint(modle)\n",
        "name 'modle' is not defined. Did you mean: 'model'?",
        "找不到名字 modle，你是想写 model 吗？",
        ["modle", "model"],
    ),
    ("print((1, 2)\n", "'(' was never closed", "语法错误：括号 ( 没有闭合", ["("]),
]


@pytest.mark.parametrize(("code", "python", "gloss", "spans"), GLOSSED)
def test_a_glosss_code_is_drawn_as_code_without_its_backticks(sb, code, python, gloss, spans):
    """The gloss is the tutor's own words: its backticks mark code. Python's words before it
    are drawn as written."""
    error = sb.run(code).error
    assert error is not None and error.message == python, error
    line = error_line(error, "zh", code=CODE)
    assert "`" not in line.plain, line.plain
    assert line.plain.endswith(f"{python}——{gloss}"), line.plain
    assert styled(line, CODE) == spans


def test_a_gloss_and_the_hint_after_it_are_both_drawn_as_code(sb):
    """At a snippet's top level a missing name gets the gloss and the "each run starts fresh"
    hint: both are the tutor's words."""
    error = sb.run("print(model)\n").error
    assert error is not None and error.hint_code == "fresh_run", error
    line = error_line(error, "zh", code=CODE)
    assert "`" not in line.plain, line.plain
    assert "name 'model' is not defined——找不到名字 model（" in line.plain
    assert styled(line, CODE)[0] == "model" and len(styled(line, CODE)) > 1


def test_the_learners_backticks_in_pythons_words_are_not_glossed(sb):
    """Python never names a name with a backtick in it: words that do are the learner's own
    (raised by their code), drawn as written, with no gloss to mix their backticks with."""
    error = sb.run("raise NameError(\"name 'a`b' is not defined\")").error
    assert error is not None, error
    line = error_line(error, "zh", code=CODE)
    assert line.plain.endswith("：name 'a`b' is not defined"), line.plain
    assert styled(line, CODE) == []
