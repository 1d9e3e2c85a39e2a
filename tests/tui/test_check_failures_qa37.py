"""The exercise step marks the learner's line where their code failed as the check called it
(QA round 37): an ``assert`` of their own, a loop the check ran into. The lessons' own checks,
run for real."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static, TextArea

from tutor.widgets.step_exercise import ExerciseStepView

from .conftest import FakeResult, FakeSandbox, make_app, ready, text_of, wait_for

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
SIZE = (110, 45)
SHORT_TIMEOUT_S = 2.0
"""The runs' time limit here: a loop is stopped sooner than the learner's 10 s."""


@pytest.fixture(scope="module")
def short_sandbox() -> Iterator[FakeSandbox]:
    """An app sandbox running real torch, whose runs stop after :data:`SHORT_TIMEOUT_S`."""
    from sandbox import Sandbox

    with Sandbox(timeout_s=30) as box:

        async def run(code: str, *, check: str | None = None, **_: Any) -> Any:
            result = await asyncio.to_thread(box.run, code, "cpu", SHORT_TIMEOUT_S, False, check)
            return dataclasses.replace(result, duration_s=FakeResult.duration_s)

        yield FakeSandbox(run)


async def open_exercise(pilot: Any, step_id: str) -> ExerciseStepView:
    """Open the lesson holding the exercise ``step_id`` at it; its step's view."""
    app = pilot.app
    await ready(pilot)
    lesson = next(
        lesson
        for lesson in app.library.lessons
        if any(getattr(step, "id", None) == step_id for step in lesson.steps)
    )
    app.open_lesson(lesson.id, step=[getattr(s, "id", None) for s in lesson.steps].index(step_id))
    await wait_for(pilot, lambda: bool(app.screen.query(ExerciseStepView)))
    return app.screen.query_one(ExerciseStepView)


async def check(pilot: Any, view: ExerciseStepView, code: str) -> str:
    """Check ``code`` as the learner does (ctrl+r in the editor); what the feedback says."""
    editor = view.query_one(TextArea)
    editor.load_text(code)
    editor.focus()
    await pilot.pause()
    attempts = view.state.get("attempts", 0)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: view.state.get("attempts", 0) > attempts, tries=2000)
    return text_of(view.query_one(".feedback", Static))


ASSERTS_ON_LINE_7 = (
    "class MyDropout(nn.Module):\n"
    "    def __init__(self, p=0.5):\n"
    "        super().__init__()\n"
    "        self.p = p\n"
    "\n"
    "    def forward(self, x):\n"
    "        assert self.training\n"
    "        return F.dropout(x, p=self.p, training=self.training)\n"
)


async def test_an_assert_in_the_learners_forward_is_their_error_with_its_line_marked(
    tmp_path, short_sandbox
):
    """It showed "❌ 还没通过：assert torch.equal(_d(_x), _x), {", the check's hidden code."""
    app = make_app(tmp_path, "zh", sandbox=short_sandbox, decks=[LESSONS])
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, "l01.ex-dropout-aware")
        said = await check(pilot, view, ASSERTS_ON_LINE_7)
        assert "AssertionError（在你的代码第 7 行引发）" in said
        assert "_d(_x)" not in said
        assert view.query_one(TextArea).selected_text.strip() == "assert self.training"


LOOPS_ON_LINE_3 = (
    "def last_hidden(gru, x, lengths):\n    h = None\n    while True:\n        h = h\n"
)


async def test_a_loop_the_check_ran_into_marks_the_learners_line(tmp_path, short_sandbox):
    app = make_app(tmp_path, "en", sandbox=short_sandbox, decks=[LESSONS])
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, "l04.ex-last-valid-state")
        said = await check(pilot, view, LOOPS_ON_LINE_3)
        assert "as the check called it" in said
        marked = view.query_one(TextArea).selected_text.strip()
        assert marked in ("while True:", "h = h")
