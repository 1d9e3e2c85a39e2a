"""A module given a layer before its ``super().__init__()`` gets a hint naming its class after
torch's words; drawn in the sandbox's run panel at 80x24, in English and Chinese, the words and
hint stay short enough that the run's status row ("Error · cpu") is still in sight above them,
and the hint is drawn whole, its class's ``__init__`` named."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.result import RunError
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.run_panel import RunPanel

from .conftest import FakeResult, FakeSandbox, drawn, make_app, ready, wait_for

ASSIGNS = ("self.fc = nn.Linear(4, 2)", "self.w = nn.Parameter(torch.zeros(2))")
"""What lesson 02's mistake assigns before ``super().__init__()``: a layer, and a parameter,
whose torch words ("cannot assign parameters …") are the longest."""


def made(assigns: str) -> str:
    """A module's class whose ``__init__`` runs ``assigns`` before ``super().__init__()``, and
    the line that builds one."""
    return (
        "import torch.nn as nn\n"
        "class TinyNet(nn.Module):\n"
        "    def __init__(self):\n"
        f"        {assigns}\n"
        "        super().__init__()\n"
        "net = TinyNet()\n"
    )


STATUS = {"en": "❌ Error", "zh": "❌ 出错"}
"""The start of the run panel's status row for a run that raised."""


@pytest.fixture(scope="module")
def errors() -> Iterator[dict[str, RunError | None]]:
    """Each mistake's error as the real sandbox gives it, its hint included."""
    with Sandbox(timeout_s=60) as box:
        yield {assigns: box.run(made(assigns)).error for assigns in ASSIGNS}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("assigns", ASSIGNS)
async def test_the_module_init_hint_leaves_the_status_row_in_sight(tmp_path, errors, lang, assigns):
    error = errors[assigns]
    assert error is not None and error.hint_code == "no_module_init", error
    result = FakeResult(status="error", error=error)
    app = make_app(tmp_path, lang, sandbox=FakeSandbox(lambda _code, **_: result))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = SandboxScreen(code=made(assigns))
        await app.push_screen(screen)
        await pilot.press("ctrl+r")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.result is not None)
        text = drawn(app)
        rows = text.splitlines()
        assert any(row.strip().startswith(STATUS[lang]) for row in rows), text
        assert "TinyNet.__init__" in text, text
