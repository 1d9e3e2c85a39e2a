"""The sandbox screen words the sandbox's own messages (its errors, its hint, the trace's
warnings) in the learner's language; real runs of real torch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tutor.screens.sandbox_screen import SandboxScreen
from tutor.widgets.run_panel import RunPanel
from tutor.widgets.trace_view import TraceView

from .conftest import FakeSandbox, make_app, ready, real_runs, text_of, wait_for

SIZE = (100, 40)
TIMEOUT_S = 2

DEAD_THEN_WRONG_SHAPE = """\
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU())
with torch.no_grad():
    model[0].bias.fill_(-100.0)
h = model(torch.randn(8, 3))
nn.Linear(5, 2)(h)
"""


@pytest.fixture(scope="module")
def quick_sandbox() -> Iterator[Any]:
    """A real sandbox whose runs stop after TIMEOUT_S (the app's own would wait 30 s)."""
    from sandbox import Sandbox

    with Sandbox(timeout_s=TIMEOUT_S) as box:
        yield box


async def run_on_sandbox_screen(pilot: Any, code: str, *, trace: bool = False) -> RunPanel:
    await ready(pilot)
    screen = SandboxScreen(code=code)
    await pilot.app.push_screen(screen)
    await pilot.press(*(("ctrl+t", "ctrl+r") if trace else ("ctrl+r",)))
    panel = screen.query_one(RunPanel)
    await wait_for(pilot, lambda: panel.result is not None, tries=1500)
    return panel


def error_shown(panel: RunPanel) -> str:
    return text_of(panel.query_one(".run-error"))


async def test_a_timeout_is_worded_in_chinese(tmp_path, quick_sandbox):
    app = make_app(tmp_path, "zh", sandbox=FakeSandbox(real_runs(quick_sandbox)))
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_on_sandbox_screen(pilot, "x = 0\nwhile True:\n    x += 1\n")
        error = panel.result.error
        assert error.code == "timeout" and error.line in (2, 3)
        shown = error_shown(panel)
        # the sandbox's own kind of error is worded too, and the line is said once, by the message
        assert shown.startswith(
            f"超时：运行超过了 {TIMEOUT_S} 秒，已被停止（停在第 {error.line} 行）"
        )
        assert "Timeout" not in shown
        assert "took longer" not in shown
        assert "超时" in text_of(panel.query_one(".run-status-text"))


async def test_the_input_hint_is_worded_in_chinese(tmp_path, real_sandbox):
    app = make_app(tmp_path, "zh", sandbox=real_sandbox())
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_on_sandbox_screen(pilot, "name = input()\nname\n")
        shown = error_shown(panel)
        # a Python exception keeps its name; the line and colon are Chinese punctuation
        assert "EOFError（第 1 行）：EOF when reading a line（代码片段没有键盘" in shown
        assert "no keyboard" not in shown


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_trace_warnings_are_worded_in_the_learners_language(tmp_path, real_sandbox, lang):
    app = make_app(tmp_path, lang, sandbox=real_sandbox())
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_on_sandbox_screen(pilot, DEAD_THEN_WRONG_SHAPE, trace=True)
        await wait_for(pilot, lambda: panel.query(TraceView))
        kinds = {w["kind"]: w for w in panel.result.trace_warnings}
        assert {"dead_relu", "forward_error"} <= set(kinds)
        shown = text_of(panel.query_one(".trace-warnings"))
        # the learner's own exception keeps Python's words in either language
        assert "mat1 and mat2 shapes cannot be multiplied (8x4 and 5x2)" in error_shown(panel)
        # each message names its module itself: the line does not repeat it before the message
        if lang == "en":
            assert f"⚠ {kinds['dead_relu']['message']}" in shown
            # the run's own error: its line says the message, the warning points at it
            assert "⚠ Linear failed on input (8, 4), raising the run's error" in shown
        else:
            assert "⚠ 1 号层（ReLU）的输出有 100% 为零：死掉的 ReLU 单元传不回梯度" in shown
            assert "⚠ Linear 处理输入 (8, 4) 时出错，这次运行报的错误正是它抛出的" in shown
            assert "dead ReLU" not in shown and "failed on input" not in shown


async def test_f2_rewords_an_error_already_on_screen(tmp_path, real_sandbox):
    app = make_app(tmp_path, "zh", sandbox=real_sandbox())
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_on_sandbox_screen(pilot, "name = input()\nname\n")
        assert "代码片段没有键盘" in error_shown(panel)
        app.screen.set_focus(None)  # the editor would take the key
        await pilot.press("f2")
        await wait_for(pilot, lambda: "no keyboard" in error_shown(panel))
        assert "代码片段" not in error_shown(panel)


async def test_a_sandbox_that_cannot_start_is_worded_in_chinese(tmp_path, monkeypatch):
    """The worker cannot start (Python fails on a broken PYTHONHOME): the run panel says why in
    the learner's language, from the error's code, and the app stays up."""
    monkeypatch.setenv("PYTHONHOME", "/nonexistent")
    app = make_app(tmp_path, "zh", sandbox=None)  # the app starts its own when asked to run
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = SandboxScreen(code="1 + 1")
        await pilot.app.push_screen(screen)
        await pilot.press("ctrl+r")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.message is not None, tries=1500)
        assert panel.message == "沙盒不可用：cpu 沙盒没能启动：退出码 1"
        assert app.sandbox_error.code == "start_exited"


@pytest.mark.parametrize(
    "lang, heading", [("en", "ValueError (line 2)"), ("zh", "ValueError（第 2 行）")]
)
async def test_an_exception_without_a_message_ends_at_its_heading(
    tmp_path, real_sandbox, lang, heading
):
    """``raise ValueError`` has no message: the panel says its name and line, as Python prints
    it, with no colon and nothing after it (``nn-tutor run`` words it the same way)."""
    app = make_app(tmp_path, lang, sandbox=real_sandbox())
    async with app.run_test(size=SIZE) as pilot:
        panel = await run_on_sandbox_screen(pilot, "x = 1\nraise ValueError\n")
        first_line = error_shown(panel).splitlines()[0]
        assert first_line == heading
