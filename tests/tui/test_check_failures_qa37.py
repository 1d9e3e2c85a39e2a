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
from textual.widgets import TextArea

from tests.sandbox.test_check_failures_qa37 import DROPOUT_HEAD

from .conftest import FakeResult, FakeSandbox, check_exercise, make_app, open_exercise

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


ASSERTS_ON_LINE_7 = (
    DROPOUT_HEAD
    + "        assert self.training\n"
    + "        return F.dropout(x, p=self.p, training=self.training)\n"
)


async def test_an_assert_in_the_learners_forward_is_their_error_with_its_line_marked(
    tmp_path, short_sandbox
):
    """It showed "❌ 还没通过：assert torch.equal(_d(_x), _x), {", the check's hidden code."""
    app = make_app(tmp_path, "zh", sandbox=short_sandbox, decks=[LESSONS])
    async with app.run_test(size=SIZE) as pilot:
        view = await open_exercise(pilot, "l01.ex-dropout-aware")
        said = await check_exercise(pilot, view, ASSERTS_ON_LINE_7)
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
        said = await check_exercise(pilot, view, LOOPS_ON_LINE_3)
        assert "as the check called it" in said
        marked = view.query_one(TextArea).selected_text.strip()
        assert marked in ("while True:", "h = h")
