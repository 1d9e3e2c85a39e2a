"""The cheers after an answer: one set serves quizzes and exercises, so none may point at what
only one of them shows (a quiz's explanation below; an exercise has its check's message above)."""

from __future__ import annotations

import pytest

from tutor.i18n import tr
from tutor.widgets.step_base import CHEERS

POINTS_AT_AN_EXPLANATION = ("below", "read on", "👇", "下面", "接着看")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", ["right", "wrong"])
def test_no_cheer_points_at_an_explanation_an_exercise_lacks(kind, lang):
    for index in range(CHEERS):
        said = tr(f"cheer.{kind}.{index}", lang)
        assert not any(word in said.lower() for word in POINTS_AT_AN_EXPLANATION), said
