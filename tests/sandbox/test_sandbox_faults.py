"""Every fault is reported clearly, the worker survives, and the next run works."""

from __future__ import annotations

import os
import sys
import textwrap
import time

import pytest
from sandbox_helpers import FORK_WITHOUT_EXIT, pid_gone

from sandbox import Sandbox

OK = "1 + 1"


def assert_recovers(sb: Sandbox) -> None:
    r = sb.run(OK)
    assert r.status == "ok" and r.value == "2", r


@pytest.fixture
def worker_pid(sb):
    pid = sb.worker_pids()["cpu"]
    yield pid
    assert sb.worker_pids()["cpu"] == pid, "the CPU worker must never die from a snippet"


def test_endless_loop_times_out_with_line(sb, worker_pid):
    # 1 s is enough however long this shared machine stalls the run's start: a timeout counts
    # from the moment the learner's code begins (see test_sandbox_start.py)
    r = sb.run("x = 0\nwhile True:\n    x += 1\n", timeout=1)
    assert r.status == "timeout"
    assert r.error.type == "Timeout"
    assert r.error.line in (2, 3)
    assert_recovers(sb)


def test_endless_loop_ignoring_sigint(sb, worker_pid):
    r = sb.run(
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n",
        timeout=1,
    )
    assert r.status == "timeout"
    assert_recovers(sb)


def test_loop_swallowing_keyboard_interrupt(sb, worker_pid):
    r = sb.run(
        "while True:\n    try:\n        pass\n    except KeyboardInterrupt:\n        pass\n",
        timeout=1,
    )
    assert r.status == "timeout"
    assert_recovers(sb)


def test_os_exit(sb, worker_pid):
    r = sb.run("print('before')\nimport os\nos._exit(3)")
    assert r.status == "crashed"
    assert "code 3" in r.error.message
    assert r.stdout == "before\n"
    assert_recovers(sb)


def test_segfault(sb, worker_pid):
    r = sb.run("import ctypes\nctypes.string_at(0)")
    assert r.status == "crashed"
    assert "SIGSEGV" in r.error.message
    assert_recovers(sb)


def test_sys_exit(sb, worker_pid):
    r = sb.run("import sys\nsys.exit(2)")
    assert r.status == "error"
    assert r.error.type == "SystemExit" and r.error.line == 2
    assert_recovers(sb)


def test_keyboard_interrupt_raised_in_code(sb, worker_pid):
    r = sb.run("raise KeyboardInterrupt")
    assert r.status == "error" and r.error.type == "KeyboardInterrupt"
    assert_recovers(sb)


def test_recursion_error(sb, worker_pid):
    r = sb.run("def f(n):\n    return f(n + 1)\n\nf(0)")
    assert r.status == "error" and r.error.type == "RecursionError"
    assert r.error.line == 2
    assert "repeated" in r.error.traceback  # collapsed, not 1000 frames
    assert len(r.error.traceback) < 5000
    assert_recovers(sb)


def test_huge_tensor_is_oom(sb, worker_pid):
    r = sb.run("x = torch.empty(10**12)")
    assert r.status == "oom"
    assert "memory" in r.error.message
    assert_recovers(sb)


def test_runaway_memory_is_capped():
    with Sandbox(memory_mb=256) as small:
        r = small.run(
            "chunks = []\nwhile True:\n    chunks.append(bytearray(32 * 1024 * 1024))", timeout=60
        )
        assert r.status == "oom"
        assert r.error.line == 3
        assert_recovers(small)


def test_output_flood_is_capped_and_stopped(sb, worker_pid):
    r = sb.run("while True:\n    print('spam' * 100)", timeout=60)
    assert r.status == "error"
    assert r.error.type == "OutputLimitExceeded"
    assert r.output_truncated
    assert len(r.stdout.encode()) <= sb.limits.output_bytes
    assert len(r.stdout) > sb.limits.output_bytes // 2
    assert_recovers(sb)


def test_binary_flood_from_c_is_capped(sb, worker_pid):
    r = sb.run("import os\nwhile True:\n    os.write(2, b'\\xff' * 65536)", timeout=60)
    assert r.status == "error" and r.output_truncated
    assert_recovers(sb)


def test_child_processes_are_killed(sb, worker_pid):
    r = sb.run(
        textwrap.dedent(
            """
            import subprocess, os
            p = subprocess.Popen(["sleep", "60"])
            pid = os.fork()
            if pid == 0:
                import time
                time.sleep(60)
                os._exit(0)
            (p.pid, pid)
            """
        )
    )
    assert r.status == "ok", r.error
    for pid in eval(r.value):
        assert pid_gone(pid), f"process {pid} survived its run"
    assert_recovers(sb)


def test_thread_left_running_does_not_block(sb, worker_pid):
    """A daemon thread is not waited for (as Python does not at exit), nor left to the next
    run: a non-daemon one is waited for (tests/sandbox/test_sandbox_exit_wait_qa39.py)."""
    r = sb.run(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n'started'"
    )
    assert r.status == "ok" and r.value == "'started'"
    assert_recovers(sb)


def _zombie_children(parent: int) -> list[str]:
    zombies = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == str(parent) and fields[0] == "Z":
                zombies.append(entry)
    return zombies


def test_no_zombies_after_many_runs(sb, worker_pid):
    for _ in range(5):
        sb.run("import subprocess\nsubprocess.Popen(['true'])")
    # The worker answers first and reaps the run's processes right after (before it reads the
    # next request): the last run's may be dying still, but none may stay a zombie.
    end = time.monotonic() + 5
    while (zombies := _zombie_children(worker_pid)) and time.monotonic() < end:
        time.sleep(0.05)
    assert not zombies


def test_processes_in_a_session_of_their_own_are_killed(sb, worker_pid):
    r = sb.run(
        textwrap.dedent(
            """
            import subprocess
            alone = subprocess.Popen(["sleep", "60"], start_new_session=True)
            daemon = subprocess.Popen(
                ["sh", "-c", "setsid sleep 60 & echo $!"],
                stdout=subprocess.PIPE, text=True, start_new_session=True,
            )
            (alone.pid, int(daemon.stdout.readline()))
            """
        )
    )
    assert r.status == "ok", r.error
    for pid in eval(r.value):
        assert pid_gone(pid), f"process {pid} survived its run"
    assert_recovers(sb)


@pytest.mark.parametrize(
    ("code", "kind", "message", "line"),
    [
        ("raise ValueError('bad \\udcff')", "ValueError", "bad \\udcff", 1),
        (
            "class Odd(Exception):\n    def __str__(self):\n        raise TypeError\n\nraise Odd()",
            "Odd",
            "<str() of the exception failed: TypeError>",
            5,
        ),
        ("x = " + "-" * 100_000 + "1", None, "nested too deeply", None),
        ("answer = input('n? ')", "EOFError", "no keyboard", 1),
    ],
    ids=["lone-surrogate", "str-raises", "too-deep-to-compile", "input"],
)
def test_odd_errors_are_reported_not_crashed(sb, worker_pid, code, kind, message, line):
    r = sb.run(code)
    assert r.status == "error", r.error
    if kind is not None:
        assert r.error.type == kind
    assert message in r.error.message
    assert r.error.line == line
    assert_recovers(sb)


def test_text_no_utf8_can_carry_travels_escaped(sb, worker_pid):
    r = sb.run("s = '\udcff'\nclass Odd:\n    def __repr__(self):\n        return s\n\nOdd()")
    assert r.status == "ok", r.error
    assert r.value == "\\udcff"


def test_memory_error_names_the_budget_without_a_dangling_colon(sb, worker_pid):
    r = sb.run("raise MemoryError")
    assert r.status == "oom"
    assert r.error.message == f"out of memory (a run may use {sb.limits.memory_mb} MB)"


def test_a_run_that_closes_the_sandboxs_pipes_is_reported_not_killed(sb, worker_pid):
    # os.closerange(3, ...) is how daemons shed inherited files; it closes the result pipe too.
    r = sb.run("import os\nos.closerange(3, 1000)\nprint('still here')\n1 + 1")
    assert r.status == "crashed"
    assert r.error.code == "unreported", r.error
    assert "still here" in r.stdout
    assert "Bad file descriptor" in r.stderr  # why the result could not be sent
    assert_recovers(sb)


def test_a_deep_recursion_is_described_at_once_and_keeps_both_ends(sb, worker_pid):
    r = sb.run(
        textwrap.dedent(
            """
            import sys
            sys.setrecursionlimit(200_000)
            def down(n):
                return down(n + 1) if n < 50_000 else 1 / 0
            down(0)
            """
        ),
        timeout=20,
    )
    assert r.status == "error", r.error  # not a timeout while the traceback is described
    assert r.error.type == "ZeroDivisionError" and r.error.line == 5
    tb = r.error.traceback
    assert "line 6, in <module>" in tb  # where the learner's code made the first call
    assert "more calls left out" in tb
    assert tb.endswith("ZeroDivisionError: division by zero\n")
    assert len(tb) < 10_000
    assert_recovers(sb)


@pytest.mark.parametrize(
    "code",
    ["raise ValueError('x' * 5_000_000)", "raise SystemExit('x' * 5_000_000)"],
    ids=["message", "sys-exit"],
)
def test_a_huge_error_message_is_cut(sb, worker_pid, code):
    r = sb.run(code)
    assert r.status == "error"
    assert len(r.error.message) < 30_000 and "more characters]" in r.error.message
    assert len(r.error.traceback) < 30_000
    assert_recovers(sb)


def test_a_huge_check_message_is_cut(sb):
    r = sb.run("x = 1", check="assert x == 2, 'y' * 5_000_000")
    assert r.check is not None and not r.check.passed
    assert len(r.check.message) < 30_000 and "more characters]" in r.check.message


@pytest.mark.skipif(sys.version_info < (3, 11), reason="add_note() is Python 3.11+")
def test_an_exceptions_notes_are_in_its_traceback(sb):
    r = sb.run("e = ValueError('bad')\ne.add_note('a note')\nraise e")
    assert r.error.traceback.endswith("ValueError: bad\na note\n")


def test_a_process_the_code_forks_does_not_report_the_run(sb, worker_pid):
    # The forked copy runs the rest of the snippet too (and prints), but the run is the original's.
    r = sb.run(FORK_WITHOUT_EXIT, timeout=10)
    assert r.status == "ok", r.error
    assert r.value == "'parent'"
    assert r.stdout == "from child\nfrom parent\n"
    assert_recovers(sb)


def test_breakpoint_says_a_snippet_has_no_debugger(sb, worker_pid):
    r = sb.run("x = 3\nbreakpoint()\nprint(x)")
    assert r.status == "error"
    assert r.error.type == "BdbQuit" and r.error.hint_code == "no_debugger"
    assert "no keyboard for a debugger" in r.error.message
    assert_recovers(sb)
