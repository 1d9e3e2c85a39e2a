"""A run stopped for printing more than the output cap still says where it was: it is
interrupted as a timeout stops a run (then killed after the grace, should it ignore that), so
it reports the line its main thread was stopped at (or, its code finished, the thread it was
waiting for) and the trace recorded so far; what it prints past the cap is dropped."""

from __future__ import annotations

from collections.abc import Callable

from sandbox import Sandbox
from sandbox.limits import Limits
from sandbox.result import RunResult
from tutor.sandbox_messages import error_message, worded_error

TRACED_FLOOD = "nn.Linear(1, 1)(torch.ones(1))\nwhile True: print('f' * 1000)\n"


def assert_flooded(r: RunResult, limit: int, code: str = "output_limit") -> None:
    assert r.status == "error" and r.error is not None, r.error
    assert (r.error.type, r.error.code) == ("OutputLimitExceeded", code)
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


def test_a_flood_of_raw_fd_writes_is_stopped_at_its_line(sb: Sandbox) -> None:
    """``os.write`` on fd 1, past ``sys.stdout``."""
    r = sb.run("import os\nwhile True: os.write(1, b'x' * 65536)\n", timeout=60)
    assert_flooded(r, sb.limits.output_bytes)
    assert r.error.line == 2
    assert sb.run("6 * 7").value == "42"


def test_a_flood_from_c_level_writes_is_stopped_at_its_line(sb: Sandbox) -> None:
    """C's stdio (``puts``), past Python's streams altogether."""
    code = (
        "import ctypes\nlibc = ctypes.CDLL(None)\n"
        "while True:\n    libc.puts(b'c' * 1000)\n    libc.fflush(None)\n"
    )
    r = sb.run(code, timeout=60)
    assert_flooded(r, sb.limits.output_bytes)
    assert r.error.line in (4, 5)
    assert sb.run("6 * 7").value == "42"


THREAD_FLOOD_AFTER_THE_CODE = """\
import threading
def flood():
    while True: print('t' * 1000)
threading.Thread(target=flood, name="flooder").start()
6 * 7
"""


def test_a_flood_from_a_thread_the_finished_code_left_names_that_thread(
    run_in: Callable[..., RunResult],
) -> None:
    r = run_in(THREAD_FLOOD_AFTER_THE_CODE, timeout=60)
    assert_flooded(r, Limits().output_bytes, "thread_output_limit")
    err = r.error
    assert err.line == 3
    assert err.params == {"kb": 1024, "thread": "flooder", "line": 3}
    assert err.message == (
        "the run printed more than 1024 KB of output, so it was stopped and the output cut "
        'there: your code had finished, but the thread "flooder" it started was still running '
        "(at line 3)"
    )
    assert 'File "<snippet>", line 3, in flood' in err.traceback, err.traceback
    assert error_message(err, "en") == worded_error(err, "en") == err.message
    assert error_message(err, "zh") == (
        "运行打印的输出超过了 1024 KB，运行已停止，输出在此截断：你的代码已经运行完毕，"
        "但它启动的线程“flooder”仍在运行（运行到第 3 行）"
    )
    assert r.value == "42"


def test_a_flood_from_a_daemon_thread_names_the_line_the_main_thread_was_stopped_at(
    sb: Sandbox,
) -> None:
    """The interrupt reaches the main thread only: its line is named, not the printing one."""
    code = (
        "import threading, time\ndef flood():\n    while True: print('t' * 1000)\n"
        "threading.Thread(target=flood, daemon=True).start()\ntime.sleep(100)\n"
    )
    err = sb.run(code, timeout=60).error
    assert err is not None and (err.code, err.line) == ("output_limit", 5)
