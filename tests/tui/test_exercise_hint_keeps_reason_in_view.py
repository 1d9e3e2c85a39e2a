"""After a failed check, h brings its hint into view together with why the check failed. The
hints are drawn above the verdict: the hint alone brought into view pushed the reason ("❌ Not
yet: …", "❌ 还没通过：…") below the fold of an 80×24 terminal in every real lesson's exercise
with a prompt and starter of some length (QA's zh walk), leaving the learner the run's "Ran,
but the check failed" without its why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import TextArea

from tutor.i18n import tr
from tutor.widgets.step_base import spaced

from .conftest import FakeCheck, FakeResult, FakeSandbox, drawn, make_app, open_exercise, wait_for

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
EXERCISE = "l02.ex-fix-scaler"  # a tall starter, three hints
REASON = {"en": "scale is not registered as a parameter", "zh": "scale 没有注册成参数"}


def failing(code: str, **_: Any) -> FakeResult:
    return FakeResult(check=FakeCheck(False, REASON))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_each_hint_and_the_checks_reason_are_in_view_at_80x24(tmp_path, lang):
    app = make_app(tmp_path, lang, sandbox=FakeSandbox(failing), decks=[LESSONS])
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_exercise(pilot, EXERCISE)
        view.query_one(TextArea).focus()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: view.state.get("verdict") == "fail")
        reason = spaced(tr("ex.failed", lang)) + REASON[lang]  # "❌ Not yet: why"
        await wait_for(pilot, lambda: reason in drawn(app))
        total = len(view.step.hints)
        await pilot.press("escape")  # off the editor, onto Check
        for number in (1, 2):
            await pilot.press("h")
            label = tr("ex.hint_n", lang, n=number, total=total)
            await wait_for(pilot, lambda taken=number: view.hints_shown == taken)
            for _ in range(3):  # the scroll follows after the hint's refresh
                await pilot.pause()
            shown = drawn(app)
            assert label in shown, shown  # the hint just taken
            assert reason in shown, shown  # and why the check failed, under it
