"""A container built wrong (nn.ModuleDict, nn.ModuleList, a module's class put in one) gets a
hint after torch's words; drawn in the sandbox's run panel at 80x24, in English and Chinese, the
words and hint stay short enough that the run's status row ("Error · cpu") is still in sight
above them, not scrolled off the top (review of the container hints: one took 6 rows)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sandbox import Sandbox
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.run_panel import RunPanel

from .conftest import FakeResult, FakeSandbox, drawn, make_app, ready, wait_for

MISTAKES = (
    ("module_dict_keywords", "nn.ModuleDict(encoder=nn.Linear(2, 2), decoder=nn.ReLU())"),
    ("module_list_arguments", "nn.ModuleList(nn.Linear(2, 2), nn.ReLU())"),
    ("module_list_arguments", "nn.ModuleList(nn.Linear(2, 2))"),
    ("module_dict_unnamed", "nn.ModuleDict([nn.Linear(2, 2), nn.ReLU()])"),
    ("module_dict_unnamed", "nn.ModuleDict(nn.Linear(2, 2))"),
    ("module_dict_unnamed", "nn.ModuleDict(nn.Linear(2, 2), nn.ReLU())"),
    ("module_class_not_instance", "nn.Sequential(nn.Linear(2, 2), nn.ReLU)"),
)
"""Mistakes that get a container hint: the hint code, the learner's code."""

STATUS = {"en": "❌ Error", "zh": "❌ 出错"}
"""The start of the run panel's status row for a run that raised."""


@pytest.fixture(scope="module")
def errors() -> Iterator[dict[str, Any]]:
    """Each mistake's error as the real sandbox gives it, its hint included."""
    with Sandbox(timeout_s=60) as box:
        yield {made: box.run(f"import torch.nn as nn\n{made}").error for _, made in MISTAKES}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("code", "made"), MISTAKES)
async def test_a_container_hint_leaves_the_status_row_in_sight(tmp_path, errors, lang, code, made):
    error = errors[made]
    assert error.hint_code == code, error
    result = FakeResult(status="error", error=error)
    app = make_app(tmp_path, lang, sandbox=FakeSandbox(lambda _code, **_: result))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = SandboxScreen(code=made)
        await app.push_screen(screen)
        await pilot.press("ctrl+r")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.result is not None)
        rows = drawn(app).splitlines()
        assert any(row.strip().startswith(STATUS[lang]) for row in rows), "\n".join(rows)
