"""A run whose code finished while a thread it started ran on, and timed out waiting for that
thread (as plain ``python`` waits for it): the timeout says the code had finished, names the
thread and the line of the learner's code it was on (as a timeout in the code names its line),
and keeps the code's value, which a notebook would show."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest

from sandbox import Sandbox
from sandbox.limits import Limits
from sandbox.outcome import MAX_THREAD_NAME_CHARS, finalize, thread_name
from sandbox.result import RunResult
from sandbox.worker import LEFT_RUNNING_KEY, read_report
from tutor.commands.run import render
from tutor.sandbox_messages import error_message, worded_error

SPINNING_THREAD = """\
import threading
def spin():
    while True: pass
threading.Thread(target=spin, name="spinner").start()
6 * 7
"""

SLEEPING_THREAD = """\
import threading, time
threading.Thread(target=time.sleep, args=(60,), name="napper").start()
"""


def test_the_timeout_names_the_thread_and_its_line_and_keeps_the_value(sb: Sandbox) -> None:
    r = sb.run(SPINNING_THREAD, timeout=1)
    assert r.status == "timeout"
    err = r.error
    assert err is not None
    assert (err.type, err.code, err.line) == ("Timeout", "thread_timeout", 3)
    assert err.params == {"seconds": 1, "thread": "spinner", "line": 3}
    assert err.message == (
        "the run took longer than 1 s and was stopped: your code had finished, "
        'but the thread "spinner" it started was still running (at line 3)'
    )
    assert 'File "<snippet>", line 3, in spin' in err.traceback, err.traceback
    assert "KeyboardInterrupt" not in err.traceback
    assert r.value == "42"  # the code had finished: its value stays


def test_a_thread_in_none_of_the_learners_code_is_named_without_a_line(sb: Sandbox) -> None:
    r = sb.run(SLEEPING_THREAD, timeout=1)
    err = r.error
    assert err is not None
    assert (r.status, err.code, err.line, err.traceback) == ("timeout", "thread_timeout", None, "")
    assert err.params == {"seconds": 1, "thread": "napper", "line": None}
    assert err.message.endswith('but the thread "napper" it started was still running')


def test_a_timeout_in_the_code_itself_is_worded_as_before(sb: Sandbox) -> None:
    r = sb.run(
        "import threading\nthreading.Thread(target=print).start()\nwhile True: pass", timeout=1
    )
    assert r.error is not None
    assert (r.error.code, r.error.line) == ("timeout", 3)


def test_the_words_are_the_catalogues_in_both_languages(sb: Sandbox) -> None:
    r = sb.run(SPINNING_THREAD, timeout=1)
    err = r.error
    assert error_message(err, "en") == worded_error(err, "en") == err.message
    assert error_message(err, "zh") == (
        "运行超过了 1 秒，已被停止：你的代码已经运行完毕，但它启动的线程“spinner”仍在运行"
        "（运行到第 3 行）"
    )
    no_line = sb.run(SLEEPING_THREAD, timeout=1).error
    assert worded_error(no_line, "en") == no_line.message
    assert error_message(no_line, "zh").endswith("但它启动的线程“napper”仍在运行")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_shows_the_new_words(sb: Sandbox, lang: str) -> None:
    from rich.console import Console

    r = sb.run(SPINNING_THREAD, timeout=1)
    console = Console(file=io.StringIO(), width=400, record=True)
    render(r, lang, console)
    shown = console.export_text()
    assert error_message(r.error, lang) in shown
    assert "spinner" in shown and "42" in shown


def test_finalize_names_the_thread_only_for_a_timeout() -> None:
    left = {"thread": "t", "line": 2, "traceback": "Traceback (most recent call last):\n"}
    child = {"status": "ok", "value": "1", "error": None}
    timed_out = finalize(
        child, reason="timeout", timeout=5, limits=Limits(), device="cpu", left_running=left
    )
    assert RunResult.from_dict(timed_out).error.code == "thread_timeout"
    cancelled = finalize(
        child, reason="cancelled", timeout=5, limits=Limits(), device="cpu", left_running=left
    )
    assert cancelled["error"]["code"] == "cancelled"


@pytest.mark.parametrize(
    "forged",
    [
        {"thread": 1, "line": 2, "traceback": ""},
        {"thread": "t", "line": "2", "traceback": ""},
        {"thread": "t", "line": True, "traceback": ""},
        {"thread": "t", "line": 2},
        "t",
        {"thread": "t", "line": 0, "traceback": ""},
        {"thread": "t", "line": -3, "traceback": ""},
        {"thread": "two\nlines", "line": 2, "traceback": ""},
        {"thread": "x" * (MAX_THREAD_NAME_CHARS + 1), "line": 2, "traceback": ""},
    ],
)
def test_a_forged_thread_report_is_refused(forged: object) -> None:
    """The learner's code can write on the result pipe: what names the thread is checked."""
    report = {"status": "ok", LEFT_RUNNING_KEY: forged}
    with pytest.raises(ValueError):
        read_report(json.dumps(report).encode() + b"\n")


def test_a_report_names_the_thread_apart_from_the_result() -> None:
    left = {"thread": "t", "line": None, "traceback": ""}
    report = {"status": "ok", LEFT_RUNNING_KEY: left}
    child, needed, left_running = read_report(json.dumps(report).encode() + b"\n")
    assert child is not None and LEFT_RUNNING_KEY not in child
    assert (needed, left_running) == ([], left)


NAMED_THREAD = """\
import threading
def spin():
    while True: pass
threading.Thread(target=spin, name=NAME).start()
6 * 7
"""


def test_a_thread_name_with_line_breaks_is_named_on_one_line(sb: Sandbox) -> None:
    err = sb.run(NAMED_THREAD.replace("NAME", repr("two\nlines\r\nthree")), timeout=1).error
    assert err is not None and err.code == "thread_timeout"
    assert err.params["thread"] == "two lines three"
    assert "\n" not in err.message and "\n" not in error_message(err, "zh")


def test_a_long_thread_name_is_cut_and_its_report_kept(sb: Sandbox) -> None:
    r = sb.run(NAMED_THREAD.replace("NAME", repr("x" * 5000)), timeout=1)
    assert r.error is not None and r.error.code == "thread_timeout", r.error
    name = r.error.params["thread"]
    assert len(name) <= MAX_THREAD_NAME_CHARS and name.startswith("x" * 900)
    assert name.endswith(" more characters]") and r.value == "42"


@pytest.mark.parametrize(
    "name", ["", "spinner", "a\nb\u2028c\r\n", "y" * 999, "y" * 1000, "z" * 1001, "é" * 10**6]
)
def test_a_thread_name_shaped_once_is_shaped(name: str) -> None:
    """The worker refuses a name the runner would have shaped otherwise: shaping what the runner
    gives must give it back."""
    shaped = thread_name(name)
    assert thread_name(shaped) == shaped
    assert len(shaped) <= MAX_THREAD_NAME_CHARS and len(shaped.splitlines()) <= 1


SUBCLASSED_THREAD = """\
import sys, threading
class T(threading.Thread):
    @property
    def {attribute}(self):
        {body}
    @{attribute}.setter
    def {attribute}(self, value):
        pass
def spin():
    while True: pass
T(target=spin, name="worker").start()
6 * 7
"""


@pytest.mark.parametrize(
    ("attribute", "body"),
    [("name", "raise RuntimeError('no name')"), ("name", "sys.exit(3)"), ("ident", "sys.exit(3)")],
)
def test_a_thread_subclass_whose_property_raises_keeps_the_report(
    run_in: Callable[..., RunResult], attribute: str, body: str
) -> None:
    """Its name is then threading's own (the name it was given), its frames found by
    threading's own ident: what the learner's property raised loses nothing."""
    r = run_in(SUBCLASSED_THREAD.format(attribute=attribute, body=body), timeout=1)
    err = r.error
    assert err is not None and r.status == "timeout"
    assert (err.code, err.line, err.params["thread"]) == ("thread_timeout", 10, "worker")
    assert r.value == "42"
