"""The exercise step says the advice for a torch error raised in the learner's code as the check
called it, in the language shown (sandbox.torch_error_hints): the lessons' own check, run for
real."""

from __future__ import annotations

from pathlib import Path

from tests.sandbox.test_torch_error_hints_in_checks import SWAPPED_OUT_LAYER
from tests.tui.test_check_failures_qa37 import SIZE, short_sandbox  # noqa: F401 (a fixture)

from .conftest import check_exercise, make_app, open_exercise

LESSONS = Path(__file__).resolve().parents[2] / "lessons"


async def test_a_layers_swapped_features_are_explained_under_the_verdict(
    tmp_path,
    short_sandbox,  # noqa: F811
):
    app = make_app(tmp_path, "zh", sandbox=short_sandbox, decks=[LESSONS])
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, "l07.ex-fix-plain-list")
        # without the spaces the screen's wrapping adds
        said = "".join((await check_exercise(pilot, view, SWAPPED_OUT_LAYER)).split())
        assert "mat1andmat2shapescannotbemultiplied(5x8and1x8)" in said
        assert "左边张量的最后一维（8）必须等于右边张量的第一维（1）" in said
        assert "这里是1" in said
