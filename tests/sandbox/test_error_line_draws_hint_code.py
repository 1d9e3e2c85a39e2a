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
