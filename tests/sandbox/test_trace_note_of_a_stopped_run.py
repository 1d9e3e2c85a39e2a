"""A traced run the sandbox stopped before any nn.Module was called (its timeout, a cancel, the
output cap) says so: it was stopped, not that it stopped with an error to fix ("🛑 Cancelled",
then "⚠ the run stopped with an error before any nn.Module was called", QA)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sandbox import RunResult, Sandbox
from tests.sandbox.test_sandbox_messages import assert_warning_worded
from tutor.i18n import tr

PRINTS_SLOWLY = 'import time\nfor i in range(100):\n    print("step", i)\n    time.sleep(0.2)\n'


def assert_stopped_note(result: RunResult) -> None:
    """The one note of the empty trace: stopped before any module, no error to fix."""
    assert [w["kind"] for w in result.trace_warnings] == ["stopped_before_modules"]
    [note] = result.trace_warnings
    assert "error" not in note["message"] and "stopped before" in note["message"]
    assert note["message"] == tr("sandbox.warning.stopped_before_modules.interrupted", "en")
    zh = assert_warning_worded(note, "nn.Module", "停止")
    assert "出错" not in zh


def test_a_timed_out_trace_says_the_run_was_stopped_not_that_it_failed(
    run_in: Callable[..., RunResult],
) -> None:
    result = run_in(PRINTS_SLOWLY, trace=True, timeout=0.5)
    assert result.status == "timeout"
    assert_stopped_note(result)


def test_a_cancelled_trace_says_the_run_was_stopped_not_that_it_failed(sb: Sandbox) -> None:
    printed = threading.Event()
    canceller = threading.Thread(target=lambda: printed.wait(30) and sb.cancel())
    canceller.start()

    def on_output(_stream: str, _text: str) -> Any:
        printed.set()

    try:
        result = sb.run(PRINTS_SLOWLY, trace=True, timeout=30, on_output=on_output)
    finally:
        printed.set()
        canceller.join()
    assert result.status == "cancelled"
    assert_stopped_note(result)


def test_a_trace_stopped_by_the_output_cap_says_it_was_stopped(sb: Sandbox) -> None:
    result = sb.run('while True:\n    print("x" * 1000)', trace=True)
    assert result.status == "error" and result.error.type == "OutputLimitExceeded"
    assert_stopped_note(result)


def test_a_run_that_raised_before_any_module_still_says_to_fix_its_error(sb: Sandbox) -> None:
    result = sb.run("x = torch.ones(1, 2) * scale\nnn.Linear(2, 2)(x)", trace=True)
    assert result.status == "error" and result.error.type == "NameError"
    [note] = result.trace_warnings
    assert note["kind"] == "stopped_before_modules" and "with an error" in note["message"]
