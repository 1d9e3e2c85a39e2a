"""A run whose code and check finished while a thread the code started ran on, stopped waiting
for that thread: the check had run to its end (it runs before that wait), so its own verdict
stands; but the run did not end, and a run that did not end is no pass (an exercise counts a
pass only for a run whose status is "ok"), so a passing check says that, not that it could not
tell. In both workers."""

from __future__ import annotations

from collections.abc import Callable

from sandbox.outcome import CHECK_PASSED_THREAD_RUNNING, CHECK_TIMED_OUT
from sandbox.result import RunResult
from tutor.sandbox_messages import check_words

THREAD_AND_FUNCTION = """\
import threading
def spin():
    while True: pass
threading.Thread(target=spin, name="spinner").start()
def f(): return 1
"""


def assert_thread_timeout(r: RunResult) -> None:
    assert r.status == "timeout" and r.error is not None
    assert (r.error.code, r.error.params["thread"]) == ("thread_timeout", "spinner")


def test_a_failing_check_keeps_its_own_verdict(run_in: Callable[..., RunResult]) -> None:
    r = run_in(THREAD_AND_FUNCTION, check="assert f() == 2, 'f should give 2'", timeout=1)
    assert_thread_timeout(r)
    assert r.check is not None and not r.check.passed
    assert check_words(r.check, "en") == ("f should give 2", "")


def test_a_passing_check_says_it_passed_but_the_run_did_not_end(
    run_in: Callable[..., RunResult],
) -> None:
    r = run_in(THREAD_AND_FUNCTION, check="assert f() == 1", timeout=1)
    assert_thread_timeout(r)
    assert r.check is not None and not r.check.passed  # no pass: the run did not end
    assert r.check.message == CHECK_PASSED_THREAD_RUNNING
    assert r.check.message != CHECK_TIMED_OUT


def test_the_words_are_in_both_languages() -> None:
    assert set(CHECK_PASSED_THREAD_RUNNING) == {"en", "zh"}
    assert "thread" in CHECK_PASSED_THREAD_RUNNING["en"]
    assert "线程" in CHECK_PASSED_THREAD_RUNNING["zh"]
