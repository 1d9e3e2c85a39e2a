"""A run whose code raised while a thread it started ran on, stopped as it waited for that
thread (as plain ``python`` waits for it after printing the error): the learner's own error is
the run's (its type, message, line, traceback, advice), not the timeout's "your code had
finished"; the thread left running is a note on it, where it has no other advice, and where
the output cap stopped the run, a note saying so, after the fix of the error (a torch error's
hint, a NameError's import) and in place of the sandbox's own notes (no keyboard, no CUDA).
``sys.exit()`` is no error of the code's: the code had finished."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sandbox.limits import Limits
from sandbox.outcome import HINTS, NOT_CHECKED, finalize
from sandbox.result import RunError, RunResult
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


FLOODED_AFTER_RAISING = """\
import threading
waiting = threading.Event()
threading._register_atexit(waiting.set)  # the run's wait for its threads has begun
def flood():
    waiting.wait()
    while True: print("t" * 1000)
threading.Thread(target=flood, name="flooder").start()
raise ValueError("bad")
"""


def test_the_output_cap_is_said_on_the_learners_error(run_in: Callable[..., RunResult]):
    """The thread floods the output only as the run waits for it, the code having raised: the
    error is the code's, and it says that the cap stopped the run and cut its output."""
    r = run_in(FLOODED_AFTER_RAISING, timeout=60)
    err = r.error
    assert r.status == "error" and err is not None, r
    assert r.output_truncated and len(r.stdout.encode()) <= Limits().output_bytes
    assert (err.type, err.line, err.code) == ("ValueError", 8, None)
    assert err.traceback.endswith("ValueError: bad\n"), err.traceback
    assert (err.hint_code, err.params) == (
        "raised_thread_output_limit_at_line",
        {"thread": "flooder", "thread_line": 6, "kb": 1024},
    )
    assert err.message == (
        'bad (the thread "flooder" your code started was still running (at line 6), and the '
        "run printed more than 1024 KB of output as it waited for it, so it was stopped and the "
        "output cut there)"
    )
    assert error_message(err, "zh") == (
        "bad（你的代码启动的线程“flooder”仍在运行（运行到第 6 行），运行在等它时打印的输出超过了 "
        "1024 KB，运行已停止，输出在此截断）"
    )


def _flooded_after(child_error: dict[str, Any]) -> RunError:
    """The error of a run whose code raised ``child_error`` and whose thread "printer" (on no
    line of the code's) then printed past the output cap."""
    child = {"status": "error", "value": None, "error": child_error}
    left = {"thread": "printer", "line": None, "traceback": ""}
    result = finalize(
        child, reason="output", timeout=5, limits=Limits(), device="cpu", left_running=left
    )
    err = RunResult.from_dict(result).error
    assert result["status"] == "error" and err is not None
    return err


def _value_error(**advice: Any) -> dict[str, Any]:
    return {
        "type": "ValueError",
        "message": "bad",
        "traceback": 'Traceback (most recent call last):\n  File "<snippet>", line 2\nValueError: bad\n',
        "line": 2,
        "code": None,
        "params": {},
        "hint": "",
        "hint_code": None,
    } | advice


def test_the_output_cap_keeps_the_learners_error_too():
    """A thread flooding the output once the code raised: the error is the code's, the cap said
    on it."""
    child_error = _value_error()
    err = _flooded_after(child_error)
    assert (err.type, err.line, err.hint_code) == ("ValueError", 2, "raised_thread_output_limit")
    assert err.message == (
        'bad (the thread "printer" your code started was still running, and the run printed '
        "more than 1024 KB of output as it waited for it, so it was stopped and the output cut "
        "there)"
    )
    assert error_message(err, "zh") == (
        "bad（你的代码启动的线程“printer”仍在运行，运行在等它时打印的输出超过了 1024 KB，"
        "运行已停止，输出在此截断）"
    )
    assert child_error["message"] == "bad"  # the runner's report is not changed


@pytest.mark.parametrize(
    "note", ["no_stdin", "no_debugger", "no_cuda_here", "dataloader_worker", "dataloader_main"]
)
def test_the_output_cap_is_said_in_place_of_the_sandboxs_own_notes(note: str):
    """The output cut short needs saying most: it is what the learner sees first; the sandbox's
    notes on what a run has not (a keyboard, CUDA, a DataLoader worker's spawn) fix no error of
    the code's."""
    advised = _value_error(
        message="bad (the advice)", hint="the advice", hint_code=note, params={"a": 1}
    )
    err = _flooded_after(advised)
    assert (err.type, err.hint_code, err.params) == (
        "ValueError",
        "raised_thread_output_limit",
        {"thread": "printer", "kb": 1024},
    )
    assert err.message.startswith('bad (the thread "printer" your code started')
    assert "advice" not in err.message


FLOODED_AFTER_A_TORCH_ERROR = FLOODED_AFTER_RAISING.replace(
    'raise ValueError("bad")', "torch.ones(2, 3) @ torch.ones(4, 5)"
)


def test_the_output_cap_is_said_after_a_torch_errors_hint(run_in: Callable[..., RunResult]):
    """The torch hint is the fix of the learner's error: the cap's note comes after it, as a
    timeout's keeps it, in one message."""
    r = run_in(FLOODED_AFTER_A_TORCH_ERROR, timeout=60)
    err = r.error
    assert r.status == "error" and err is not None, r
    assert r.output_truncated
    assert (err.type, err.line, err.hint_code) == (
        "RuntimeError",
        8,
        "raised_thread_output_limit_at_line",
    )
    torch_hint = HINTS["matrix_product_shapes"].format(width="3", inner="4")
    cap_note = HINTS["raised_thread_output_limit_at_line"].format(
        thread="flooder", thread_line=6, kb=1024
    )
    assert err.message == (
        f"mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5) ({torch_hint}) ({cap_note})"
    )
    assert error_message(err, "en") == err.message
    assert err.params == {
        "thread": "flooder",
        "thread_line": 6,
        "kb": 1024,
        "earlier_hint_code": "matrix_product_shapes",
        "earlier_hint_params": {"width": "3", "inner": "4"},
    }
    assert error_message(err, "zh").endswith(
        "（你的代码启动的线程“flooder”仍在运行（运行到第 6 行），运行在等它时打印的输出超过了 "
        "1024 KB，运行已停止，输出在此截断）"
    )


def test_a_torch_hint_before_the_caps_note_is_worded_in_the_learners_language_too():
    """Both pieces of advice are said in Chinese: the torch hint kept its code and params."""
    torch_hint = HINTS["matrix_product_shapes"].format(width="3", inner="4")
    raised = _value_error(
        type="RuntimeError",
        message=f"mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5) ({torch_hint})",
        hint=torch_hint,
        hint_code="matrix_product_shapes",
        params={"width": "3", "inner": "4"},
    )
    worded = error_message(_flooded_after(raised), "zh")
    assert worded == (
        "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"
        "（矩阵乘法 A @ B 要求 A 的列数等于 B 的行数：左边张量的最后一维（3）必须等于右边张量的第一维（4））"
        "（你的代码启动的线程“printer”仍在运行，运行在等它时打印的输出超过了 1024 KB，"
        "运行已停止，输出在此截断）"
    )


FLOODED_AFTER_A_NAME_ERROR = FLOODED_AFTER_RAISING.replace(
    'raise ValueError("bad")', "import torch.nn.functional\nfunctional.relu(torch.ones(2))"
)


def test_the_output_cap_is_said_after_the_fix_of_a_name_error(run_in: Callable[..., RunResult]):
    """Any fix of the learner's error is kept before the cap's note, not a torch error's alone:
    "did you mean `nn.functional`?" was dropped (f706113's review)."""
    r = run_in(FLOODED_AFTER_A_NAME_ERROR, timeout=60)
    err = r.error
    assert r.status == "error" and err is not None, r
    assert r.output_truncated
    assert (err.type, err.line, err.hint_code) == (
        "NameError",
        9,
        "raised_thread_output_limit_at_line",
    )
    fix_params = {"name": "functional", "module": "torch.nn", "qualified": "nn.functional"}
    fix = HINTS["qualified_name"].format(**fix_params)
    cap_note = HINTS["raised_thread_output_limit_at_line"].format(
        thread="flooder", thread_line=6, kb=1024
    )
    assert err.message == f"name 'functional' is not defined ({fix}) ({cap_note})"
    assert error_message(err, "en") == err.message
    assert err.params == {
        "thread": "flooder",
        "thread_line": 6,
        "kb": 1024,
        "earlier_hint_code": "qualified_name",
        "earlier_hint_params": fix_params,
    }
    assert error_message(err, "zh") == (
        "name 'functional' is not defined——找不到名字 `functional`"
        "（`functional` 在 torch.nn 里：你是想写 `nn.functional` 吗？）"
        "（你的代码启动的线程“flooder”仍在运行（运行到第 6 行），运行在等它时打印的输出超过了 "
        "1024 KB，运行已停止，输出在此截断）"
    )


def test_a_modules_missing_init_is_said_before_the_caps_note_in_both_languages():
    """A fix naming the module's class (``no_module_init``) is kept and worded too."""
    fix = HINTS["no_module_init"].format(cls="M")
    advised = _value_error(
        type="AttributeError",
        message=f"'M' object has no attribute '_modules' ({fix})",
        hint=fix,
        hint_code="no_module_init",
        params={"cls": "M"},
    )
    err = _flooded_after(advised)
    assert (err.hint_code, err.params["earlier_hint_code"]) == (
        "raised_thread_output_limit",
        "no_module_init",
    )
    assert err.params["earlier_hint_params"] == {"cls": "M"}
    assert err.message.startswith(f"'M' object has no attribute '_modules' ({fix}) (the thread")
    assert error_message(err, "en") == err.message
    assert error_message(err, "zh") == (
        "'M' object has no attribute '_modules'——`M` 对象没有属性 `_modules`"
        "（请在 `M.__init__` 里先调用 `super().__init__()`）"
        "（你的代码启动的线程“printer”仍在运行，运行在等它时打印的输出超过了 1024 KB，"
        "运行已停止，输出在此截断）"
    )


EXITED_WITH_THREAD = """\
import sys, threading
def spin():
    while True: pass
threading.Thread(target=spin, name="spinner").start()
sys.exit(3)
"""


def test_sys_exit_is_no_error_of_the_code_so_the_thread_timed_out(
    run_in: Callable[..., RunResult],
):
    """Python waits for the threads after ``sys.exit()`` as at a script's end: the code had
    finished, and the run took too long waiting for its thread ("the run stopped there" said it
    ended)."""
    r = run_in(EXITED_WITH_THREAD, timeout=1)
    err = r.error
    assert r.status == "timeout" and err is not None, r
    assert (err.type, err.code, err.line) == ("Timeout", "thread_timeout", 3)
    assert err.params == {"seconds": 1, "thread": "spinner", "line": 3}
