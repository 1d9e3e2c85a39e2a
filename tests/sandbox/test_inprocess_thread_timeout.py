"""The in-process (CUDA) worker, run on the CPU: a run whose code finished while a thread it
started ran on, out of time waiting for that thread, says so as the forked worker does
(test_thread_timeout.py): the thread, the line it was on, and the code's value kept."""

from __future__ import annotations

from test_thread_timeout import SLEEPING_THREAD, SPINNING_THREAD

from sandbox import Sandbox
from tutor.sandbox_messages import error_message


def test_the_timeout_names_the_thread_and_its_line_and_keeps_the_value(inprocess: Sandbox):
    r = inprocess.run(SPINNING_THREAD, device="cuda", timeout=1)
    err = r.error
    assert r.status == "timeout" and err is not None
    assert (err.code, err.line, err.params) == (
        "thread_timeout",
        3,
        {"seconds": 1, "thread": "spinner", "line": 3},
    )
    assert 'File "<snippet>", line 3, in spin' in err.traceback, err.traceback
    assert r.value == "42"
    assert "“spinner”" in error_message(err, "zh")
    assert inprocess.run("1 + 1", device="cuda").value == "2"  # a fresh worker, if it must


def test_a_thread_in_none_of_the_learners_code_is_named_without_a_line(inprocess: Sandbox):
    err = inprocess.run(SLEEPING_THREAD, device="cuda", timeout=1).error
    assert err is not None
    assert (err.code, err.line, err.traceback) == ("thread_timeout", None, "")
    assert err.params["thread"] == "napper"


def test_a_timeout_in_the_code_itself_is_worded_as_before(inprocess: Sandbox):
    code = "import threading\nthreading.Thread(target=print).start()\nwhile True: pass"
    err = inprocess.run(code, device="cuda", timeout=1).error
    assert err is not None
    assert (err.code, err.line) == ("timeout", 3)
