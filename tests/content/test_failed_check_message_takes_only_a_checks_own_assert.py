"""The content tests' ``failed_check_message`` returns a check's message only where the check
failed by its own assert: a check the learner's code raised inside (the sandbox words that one,
``raised_in_code``) is refused, not read as the check's own words (QA round 47)."""

from __future__ import annotations

import types

import pytest

from sandbox import Sandbox

from .test_exercise_alternatives import failed_check_message

OWN_WORDS = {"en": "own assert", "zh": "自己的断言"}
# the check calls the learner's f before its own assert
STEP = types.SimpleNamespace(check=f"f()\nassert False, {OWN_WORDS!r}\n")


def test_a_check_failing_by_its_own_assert_gives_its_words(sb: Sandbox) -> None:
    assert failed_check_message("def f():\n    return 1\n", STEP, sb) == OWN_WORDS


def test_a_check_the_learners_code_raised_inside_is_refused(sb: Sandbox) -> None:
    raising = "def f():\n    raise ValueError('boom')\n"
    assert sb.run(raising, device="cpu", check=STEP.check).check.code == "raised_in_code"
    with pytest.raises(AssertionError, match="raised_in_code"):
        failed_check_message(raising, STEP, sb)
