"""What the exercise step says under a failed Check, in the learner's language (QA round 35): the
lesson's own check run for real on a wrong answer a learner writes."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static, TextArea

from tutor.theme_styles import DARK
from tutor.widgets.step_exercise import ExerciseStepView

from .conftest import check_exercise, make_app, open_exercise, text_of, wait_for

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
TWIN = "l01.ex-functional-twin"
SIZE = (110, 45)
RAISES_ON_LINE_2 = "def my_linear(x, layer):\n    return F.linear(x, layer.weight.T, layer.bias)\n"
FORGOT_RETURN = "def my_linear(x, layer):\n    F.linear(x, layer.weight, layer.bias)\n"


async def test_an_error_in_the_learners_function_is_worded_in_zh_and_its_line_marked(
    tmp_path, real_sandbox
):
    app = make_app(tmp_path, "zh", sandbox=real_sandbox(), decks=[LESSONS])
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, TWIN)
        said = await check_exercise(pilot, view, RAISES_ON_LINE_2)
        assert "（在你的代码第 2 行引发）" in said and "raised in your code" not in said
        editor = view.query_one(TextArea)
        assert editor.selected_text.strip() == RAISES_ON_LINE_2.splitlines()[1].strip()


def styled_as(view: ExerciseStepView, style: str) -> list[str]:
    """The pieces of the feedback's text drawn in ``style``."""
    content = view.query_one(".feedback", Static).content
    return [content.plain[span.start : span.end] for span in content.spans if span.style == style]


def set_apart_lines(view: ExerciseStepView) -> list[str]:
    """The feedback's text set apart (the check's raw error, the cheer, the hint offer): in the
    theme's muted style (italic), as dim text read below 4.5:1 on some themes
    (test_step_verdict_contrast)."""
    return styled_as(view, DARK.muted)


async def test_a_forgotten_return_says_so_and_sets_the_raw_error_apart(tmp_path, real_sandbox):
    """zh first; the attempt recorded, the step opened again in English words it in English."""
    app = make_app(tmp_path, "zh", sandbox=real_sandbox(), decks=[LESSONS], learning=True)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, TWIN)
        said = await check_exercise(pilot, view, FORGOT_RETURN)
        assert "忘了用 return 返回结果" in said and "`" not in said
        assert "return" in styled_as(view, DARK.inline_code)  # code, as a lesson shows it
        assert any("NoneType" in line for line in set_apart_lines(view))
        assert not any("忘了" in line for line in set_apart_lines(view))
    app = make_app(tmp_path, "en", sandbox=real_sandbox(), decks=[LESSONS], learning=True)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, TWIN)
        await wait_for(pilot, lambda: view.state.get("verdict") == "fail")
        said = text_of(view.query_one(".feedback", Static))
        assert "Did your function forget to return its result?" in said
