"""A run stopped for printing more than the output cap still says where it was: it is
interrupted as a timeout stops a run (then killed after the grace, should it ignore that), so
it reports the line it was printing from and the trace recorded so far; what it prints past the
cap is dropped."""

from __future__ import annotations

from collections.abc import Callable

from sandbox import Sandbox
from sandbox.limits import Limits
from sandbox.result import RunResult
from tutor.sandbox_messages import error_message, worded_error

TRACED_FLOOD = "nn.Linear(1, 1)(torch.ones(1))\nwhile True: print('f' * 1000)\n"


def assert_flooded(r: RunResult, limit: int) -> None:
    assert r.status == "error" and r.error is not None, r.error
    assert (r.error.type, r.error.code) == ("OutputLimitExceeded", "output_limit")
    assert r.output_truncated
    assert len(r.stdout.encode()) <= limit


def test_a_flood_names_its_line_and_keeps_the_trace(run_in: Callable[..., RunResult]) -> None:
    r = run_in(TRACED_FLOOD, trace=True, timeout=60)
    assert_flooded(r, Limits().output_bytes)  # the sandboxes of run_in have the default
    err = r.error
    assert err.line == 2
    assert err.params == {"kb": 1024, "line": 2}
    assert err.message == (
        "the run printed more than 1024 KB of output, so it was stopped and the output cut "
        "there (stopped at line 2)"
    )
    assert 'File "<snippet>", line 2' in err.traceback, err.traceback
    assert "KeyboardInterrupt" not in err.traceback
    assert [(e["phase"], e["type"]) for e in r.trace] == [("forward", "Linear")]


def test_the_line_is_worded_in_both_languages(sb: Sandbox) -> None:
    err = sb.run(TRACED_FLOOD, timeout=60).error
    assert error_message(err, "en") == worded_error(err, "en") == err.message
    assert error_message(err, "zh") == (
        "运行打印的输出超过了 1024 KB，运行已停止，输出在此截断（停在第 2 行）"
    )


def test_a_flood_from_the_learners_function_in_the_check_names_its_line(sb: Sandbox) -> None:
    code = "def chatter():\n    while True:\n        print('f' * 1000)\n"
    r = sb.run(code, check="chatter()", timeout=60)
    assert_flooded(r, sb.limits.output_bytes)
    assert r.error.line == 3
    assert r.check is not None and not r.check.passed


def test_a_flood_that_ignores_interrupts_is_still_stopped(sb: Sandbox) -> None:
    code = (
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "while True: print('f' * 1000)\n"
    )
    r = sb.run(code, timeout=60)  # were it not killed after the grace, a timeout after 60 s
    assert_flooded(r, sb.limits.output_bytes)
    assert r.error.line is None  # it never reported: killed
    assert sb.run("6 * 7").value == "42"


def test_a_flood_from_c_level_writes_is_stopped_at_its_line(sb: Sandbox) -> None:
    r = sb.run("import os\nwhile True: os.write(1, b'x' * 65536)\n", timeout=60)
    assert_flooded(r, sb.limits.output_bytes)
    assert r.error.line == 2
    assert sb.run("6 * 7").value == "42"
