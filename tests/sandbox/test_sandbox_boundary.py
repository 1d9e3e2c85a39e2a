"""What a run sends back is checked at the boundary, and the edges QA found.

* a run that writes its own line on the sandbox's result pipe gets a "crashed" result, never an
  exception in the app or a dead worker;
* a learner's ``__str__``/``__repr__`` raising ``SystemExit``/``KeyboardInterrupt`` is described,
  not taken for a lost report;
* timeouts and limits are refused where they are given when no run could keep to them;
* a check that runs out of time is said to be the check's doing;
* a worker killed or stopped by the run is told honestly, and a stopped one given up in time;
* a trailing comment ending in ``;``, a byte order mark, and code that is no str.
"""

from __future__ import annotations

import math
import time

import pytest

from sandbox import Sandbox
from sandbox.limits import MAX_SECONDS, Limits
from sandbox.outcome import CHECK_FLOODED, CHECK_TIMED_OUT, NOT_CHECKED, finalize
from sandbox.result import MalformedResult, RunResult


def forge(line: bytes) -> str:
    """A snippet that writes ``line`` on every pipe it can write (the sandbox's result pipe
    among them, found by scanning its fds), then lets the run go on."""
    return (
        "import os, stat, time\n"
        "for fd in range(3, 64):\n"
        "    try:\n"
        "        if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
        f"            os.write(fd, {line!r})\n"
        "    except OSError:\n"
        "        pass\n"
        "time.sleep(0.2)\n"
    )


FORGED_LINES = [
    b"5\n",
    b"null\n",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]\n",
    b'{"status": "bogus"}\n',
    b'{"status": "ok", "value": {"a": 1}}\n',
    b'{"status": "ok", "duration_s": "x", "value": 5}\n',
    b'{"status": "ok", "check": {"bogus": 1}}\n',
    b'{"status": "ok", "check": [1]}\n',
    b'{"status": "ok", "error": {}}\n',
    b'{"status": "error"}\n',
    b'{"status": "ok", "trace": [{"phase": "forward"}]}\n',
    b'{"status": "ok", "_lazy_imports": 5}\n',
    b"NaN\n",
]


@pytest.mark.parametrize("line", FORGED_LINES, ids=lambda b: b.decode()[:30])
def test_a_forged_result_line_is_a_crash_and_the_worker_lives_on(sb: Sandbox, line: bytes):
    pid = sb.worker_pids()["cpu"]
    r = sb.run(forge(line), check="pass")
    assert r.status == "crashed"
    assert r.error is not None and r.error.code == "unreported"
    assert "write to the sandbox's own pipes" in r.error.message
    assert r.check is not None and not r.check.passed
    after = sb.run("print('innocent')")
    assert (after.status, after.stdout) == ("ok", "innocent\n")
    assert sb.worker_pids()["cpu"] == pid  # the same worker: nothing it read took it down


def test_a_forged_message_to_the_client_is_a_crash_not_an_exception(inprocess: Sandbox):
    first = inprocess.run("1", device="cuda")
    assert first.status == "ok"
    pid = inprocess.worker_pids()["cuda"]
    # the next run's id is one more than the last; a non-object line, and the run's "result"
    lines = b"5\n" + b"".join(
        b'{"type": "result", "id": %d, "result": {"status": "ok", "value": {"a": 1}}}\n' % i
        for i in range(1, 50)
    )
    r = inprocess.run(forge(lines), device="cuda")
    assert r.status == "crashed"
    assert r.error is not None and r.error.code == "unreported"
    after = inprocess.run("2 + 2", device="cuda")
    assert (after.status, after.value) == ("ok", "4")
    assert inprocess.worker_pids()["cuda"] != pid  # its pipe carried forgeries: replaced


def test_a_forged_server_restart_is_not_believed_from_the_cuda_worker(inprocess: Sandbox):
    """Only the CPU worker replaces a killed server and lives on: said on the in-process worker's
    pipe, it is a forgery, and the worker whose pipe carried it is replaced."""
    inprocess.run("1", device="cuda")
    pid = inprocess.worker_pids()["cuda"]
    lines = b"".join(
        b'{"type": "exit", "code": -9, "id": %d, "restarted": true}\n' % i for i in range(1, 50)
    )
    r = inprocess.run(forge(lines), device="cuda")
    assert r.status == "crashed"
    assert inprocess.run("2 + 2", device="cuda").value == "4"
    assert inprocess.worker_pids()["cuda"] != pid


def test_from_dict_refuses_a_result_of_the_wrong_shape_naming_the_field():
    good = finalize({"status": "ok"}, reason=None, timeout=5, limits=Limits(), device="cpu")
    assert RunResult.from_dict(good).status == "ok"
    cases = {
        "value": {**good, "value": {"a": 1}},
        "duration_s": {**good, "duration_s": math.nan},
        "status": {**good, "status": "bogus"},
        "check": {**good, "check": {"bogus": 1}},
        "error": {**good, "status": "error"},
    }
    for field, data in cases.items():
        with pytest.raises(MalformedResult, match=field if field != "error" else "no error"):
            RunResult.from_dict(data)
    with pytest.raises(MalformedResult):
        RunResult.from_dict(5)  # type: ignore[arg-type]


BASE_EXCEPTION_IN_STR = {
    "str raises SystemExit": (
        "class E(Exception):\n    def __str__(self):\n        raise SystemExit(1)\nraise E()",
        "E",
    ),
    "str raises KeyboardInterrupt": (
        "class E(Exception):\n    def __str__(self):\n        raise KeyboardInterrupt\nraise E()",
        "E",
    ),
    "exit code's repr raises KeyboardInterrupt": (
        "class C:\n    def __repr__(self):\n        raise KeyboardInterrupt\n"
        "import sys\nsys.exit(C())",
        "SystemExit",
    ),
    "note's str raises SystemExit": (
        "e = ValueError('v')\nclass N:\n    def __str__(self):\n        raise SystemExit\n"
        "e.__notes__ = [N()]\nraise e",
        "ValueError",
    ),
}


@pytest.mark.parametrize("name", BASE_EXCEPTION_IN_STR)
def test_a_str_that_raises_a_base_exception_is_described_not_lost(sb: Sandbox, name: str):
    code, kind = BASE_EXCEPTION_IN_STR[name]
    r = sb.run(code, timeout=10)
    assert r.status == "error", r.error
    assert r.error is not None and r.error.type == kind
    assert "sandbox/runner.py" not in r.stderr


def test_the_watchdog_still_stops_a_run_stuck_in_an_exceptions_str(sb: Sandbox):
    """The worker's interrupt landing in a learner's endless ``__str__`` is taken there as a
    failed ``str()``, and the run stopped all the same, as out of time, at once."""
    code = "class E(Exception):\n    def __str__(self):\n        while True: pass\nraise E()"
    began = time.monotonic()
    r = sb.run(code, timeout=1)
    assert r.status == "timeout"
    assert time.monotonic() - began < 1 + sb.limits.grace_s + 2


def test_the_watchdog_stopping_a_values_repr_still_names_its_line(sb: Sandbox):
    """The last expression's repr is the learner's code running: stopped there, the run names
    the line it was stopped at, and its check says the code did not finish."""
    code = "class V:\n    def __repr__(self):\n        while True: pass\nx = 1\nV()"
    r = sb.run(code, timeout=1, check="pass")
    assert r.status == "timeout"
    assert r.error is not None and r.error.line == 3
    assert r.check is not None and r.check.message == NOT_CHECKED


def test_a_timeout_past_a_day_is_refused_at_the_api(sb: Sandbox):
    with pytest.raises(ValueError, match="one day"):
        sb.run("print('hi')", timeout=1e10)
    assert sb.run("1", timeout=MAX_SECONDS).value == "1"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"timeout_s": -1}, "timeout_s"),
        ({"timeout_s": math.nan}, "timeout_s"),
        ({"timeout_s": 1e10}, "timeout_s"),
        ({"threads": 0}, "threads"),
        ({"memory_mb": -5}, "memory_mb"),
        ({"grace_s": math.inf}, "grace_s"),
        ({"output_bytes": True}, "output_bytes"),
    ],
)
def test_limits_no_run_could_keep_are_refused_naming_the_field(override, field):
    with pytest.raises(ValueError, match=f"Limits.{field} must be"):
        Sandbox(**override)


def test_a_check_that_runs_out_of_time_says_so(sb: Sandbox):
    r = sb.run("x = 1\nprint('my code finished')", timeout=1, check="while True: pass")
    assert r.status == "timeout"
    assert r.stdout == "my code finished\n"
    assert r.check is not None and not r.check.passed
    assert r.check.message == CHECK_TIMED_OUT
    assert set(CHECK_TIMED_OUT) == {"en", "zh"}
    assert "check" in CHECK_TIMED_OUT["en"] and "检查" in CHECK_TIMED_OUT["zh"]


def test_a_check_stopped_for_output_does_not_say_the_code_did_not_finish(sb: Sandbox):
    """A learner's function that floods only when the check calls it: the run is killed at
    once, with no word of where it was, so its check must not claim the code did not finish."""
    code = "def f():\n    print('x' * 2_000_000)\n    return 1\nprint('my code finished')"
    r = sb.run(code, timeout=5, check="assert f() == 1")
    assert r.status == "error" and r.error is not None and r.error.type == "OutputLimitExceeded"
    assert r.stdout.startswith("my code finished\n")
    assert r.check is not None and not r.check.passed and r.check.message == CHECK_FLOODED
    assert "did not run to the end" not in CHECK_FLOODED["en"] and set(CHECK_FLOODED) == {
        "en",
        "zh",
    }


def test_a_worker_killed_by_its_run_is_not_blamed_on_memory():
    with Sandbox(timeout_s=30) as box:
        pid = box.worker_pids()["cpu"]
        r = box.run("import os, signal, time\nos.kill(os.getppid(), signal.SIGKILL)\ntime.sleep(1)")
        assert r.status == "crashed"
        assert r.error is not None and "SIGKILL" in r.error.message
        assert "memory" not in r.error.message
        assert r.error.code == "worker_signal"
        began = time.monotonic()
        assert box.run("1 + 1").value == "2"
        recovery = time.monotonic() - began
        assert box.worker_pids()["cpu"] == pid  # the same worker, a new server (see supervise)
        print(f"recovery after the worker was killed: {recovery:.2f} s")


def test_a_stopped_worker_is_given_up_at_timeout_plus_grace():
    with Sandbox(timeout_s=30) as box:
        box.run("1")
        began = time.monotonic()
        r = box.run(
            "import os, signal, time\nos.kill(os.getppid(), signal.SIGSTOP)\ntime.sleep(1)",
            timeout=2,
        )
        took = time.monotonic() - began
        assert r.status == "timeout"
        assert took < 2 + box.limits.grace_s + 1.5, took  # was 17.3 s: + 5 s slack + 10 s start
        assert box.run("print('next')").stdout == "next\n"


def test_a_trailing_comment_ending_in_a_semicolon_still_shows_the_value(sb: Sandbox):
    assert sb.run("x = 5\nx  # shows x;").value == "5"
    assert sb.run("x = 5\nx;  # hidden").value is None
    assert sb.run("x = 5\nx \\\n;").value is None


def test_a_leading_byte_order_mark_is_no_syntax_error(sb: Sandbox):
    r = sb.run("\ufeffx = 2\nx * 3")
    assert (r.status, r.value) == ("ok", "6")


@pytest.mark.parametrize("code", [None, 5, b"1"])
def test_code_that_is_no_str_is_a_type_error_at_the_api(sb: Sandbox, code: object):
    with pytest.raises(TypeError, match="code must be a str"):
        sb.run(code)  # type: ignore[arg-type]


def test_a_syntax_error_the_learner_raises_with_odd_fields_is_an_error_not_a_crash(sb):
    """``raise SyntaxError(42, ('<snippet>', 'a', 1, 'x'))``: a message that is no str and a line
    that is no int were passed on as they were, and the result check took the run for one that
    wrote on the sandbox's pipes (review)."""
    r = sb.run("raise SyntaxError(42, ('<snippet>', 'a', 1, 'x'))")
    assert r.status == "error", (r.status, r.error)
    assert r.error.type == "SyntaxError" and "42" in r.error.message
    assert sb.run("1 + 1").value == "2"
