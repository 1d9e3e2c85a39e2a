"""A run whose code raised while a thread it started ran on, stopped as it waited for that
thread (as plain ``python`` waits for it after printing the error): the learner's own error is
the run's (its type, message, line, traceback, advice), not the timeout's "your code had
finished"; the thread left running is a note on it, where it has no other advice."""

from __future__ import annotations

from collections.abc import Callable

from sandbox.limits import Limits
from sandbox.outcome import NOT_CHECKED, finalize
from sandbox.result import RunResult
from tutor.sandbox_messages import error_message

RAISED_WITH_THREAD = """\
import threading
def spin():
    while True: pass
threading.Thread(target=spin, name="spinner").start()
1 / 0
"""

HINTED_WITH_THREAD = """\
import threading
def spin():
    while True: pass
threading.Thread(target=spin, name="spinner").start()
nn.Linear(4, 2)(torch.ones(3, 5))
"""


def test_the_learners_error_is_kept_and_the_thread_noted(run_in: Callable[..., RunResult]):
    r = run_in(RAISED_WITH_THREAD, timeout=1)
    err = r.error
    assert r.status == "error" and err is not None, r
    assert (err.type, err.line, err.code) == ("ZeroDivisionError", 5, None)
    assert 'File "<snippet>", line 5, in <module>' in err.traceback, err.traceback
    assert err.traceback.endswith("ZeroDivisionError: division by zero\n")
    assert err.message == (
        'division by zero (the thread "spinner" your code started was still running (at line '
        "3), so the run waited for it until it was stopped)"
    )
    assert (err.hint_code, err.params) == (
        "thread_left_running_at_line",
        {"thread": "spinner", "thread_line": 3},
    )
    assert error_message(err, "zh") == (
        "division by zero（你的代码启动的线程“spinner”仍在运行（运行到第 3 行），"
        "运行一直在等它，直到被停止）"
    )


def test_the_learners_own_advice_stays_first(run_in: Callable[..., RunResult]):
    r = run_in(HINTED_WITH_THREAD, timeout=1)
    err = r.error
    assert r.status == "error" and err is not None, r
    assert (err.type, err.line, err.hint_code) == ("RuntimeError", 5, "matmul_shapes")
    assert err.params == {"width": "5", "inner": "4"}
    assert "spinner" not in err.message


def test_a_check_of_code_that_raised_says_it_did_not_run_to_the_end(
    run_in: Callable[..., RunResult],
):
    r = run_in(RAISED_WITH_THREAD, timeout=1, check="assert True")
    assert r.status == "error" and r.error is not None and r.error.type == "ZeroDivisionError"
    assert r.check is not None and (r.check.passed, r.check.message) == (False, NOT_CHECKED)


def test_the_output_cap_keeps_the_learners_error_too():
    """A thread flooding the output once the code raised: the error is the code's."""
    child_error = {
        "type": "ValueError",
        "message": "bad",
        "traceback": 'Traceback (most recent call last):\n  File "<snippet>", line 2\nValueError: bad\n',
        "line": 2,
        "code": None,
        "params": {},
        "hint": "",
        "hint_code": None,
    }
    child = {"status": "error", "value": None, "error": child_error}
    left = {"thread": "printer", "line": None, "traceback": ""}
    result = finalize(
        child, reason="output", timeout=5, limits=Limits(), device="cpu", left_running=left
    )
    err = RunResult.from_dict(result).error
    assert result["status"] == "error" and err is not None
    assert (err.type, err.line, err.hint_code) == ("ValueError", 2, "thread_left_running")
    assert err.message == (
        'bad (the thread "printer" your code started was still running, so the run waited for '
        "it until it was stopped)"
    )
    assert error_message(err, "zh") == (
        "bad（你的代码启动的线程“printer”仍在运行，运行一直在等它，直到被停止）"
    )
    assert child_error["message"] == "bad"  # the runner's report is not changed
