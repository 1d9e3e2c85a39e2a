"""``atexit`` callbacks the learner's code registers run as its run ends, as they do when a script
ends in plain ``python``: after the code (and the threads it left going), last registered first,
their output in the run's, their errors said on stderr as Python says them; in both workers, within
the run's timeout, and never in a later run."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from sandbox import Sandbox
from sandbox.result import RunResult


@pytest.fixture(params=["cpu", "cuda"])
def run_for(request: pytest.FixtureRequest) -> Callable[..., RunResult]:
    """Runs code, with a timeout, in the forked worker or in the in-process one (on the CPU)."""
    box: Sandbox = request.getfixturevalue("sb" if request.param == "cpu" else "inprocess")
    return lambda code, timeout=30: box.run(
        textwrap.dedent(code), device=request.param, timeout=timeout
    )


def test_a_registered_print_shows_after_the_code(run_for):
    r = run_for("import atexit\natexit.register(print, 'bye')\nprint('hi')\n6 * 7")
    assert (r.status, r.stdout, r.value) == ("ok", "hi\nbye\n", "42")


def test_callbacks_run_last_registered_first_and_unregistered_ones_do_not(run_for):
    r = run_for(
        """
        import atexit
        @atexit.register
        def first():
            print("first")
        atexit.register(print, "second", end="!\\n")
        exec("atexit.register(print, 'third')")
        def gone():
            print("gone")
        atexit.register(gone)
        atexit.unregister(gone)
        print("main")
        """
    )
    assert (r.status, r.stdout) == ("ok", "main\nthird\nsecond!\nfirst\n")


def test_a_failing_callback_is_said_on_stderr_and_the_rest_still_run(run_for):
    r = run_for(
        """
        import atexit, sys
        def bye():
            1 / 0
        atexit.register(print, "still")
        atexit.register(bye)
        atexit.register(sys.exit, 3)
        """
    )
    assert (r.status, r.stdout, r.error) == ("ok", "still\n", None)
    assert "Exception ignored in atexit callback: <function bye" in r.stderr
    assert 'File "<snippet>", line 4, in bye' in r.stderr
    assert "ZeroDivisionError: division by zero" in r.stderr
    assert "Exception ignored in atexit callback: <built-in function exit>\nSystemExit: 3" in (
        r.stderr
    )
    assert "runner.py" not in r.stderr  # the sandbox's own frames are none of the learner's


def test_callbacks_run_after_an_error_too(run_for):
    r = run_for("import atexit\natexit.register(print, 'bye')\n1 / 0")
    assert (r.status, r.stdout) == ("error", "bye\n")
    assert r.error is not None and r.error.type == "ZeroDivisionError"


def test_a_registration_never_reaches_the_next_run(run_for):
    run_for("import atexit\natexit.register(print, 'leaked')")
    r = run_for("print('next')")
    assert (r.status, r.stdout) == ("ok", "next\n")


def test_a_callback_that_never_ends_is_stopped_by_the_runs_timeout(run_for):
    r = run_for(
        "import atexit, time\natexit.register(time.sleep, 60)\nprint('hi', flush=True)",
        timeout=1,
    )
    assert (r.status, r.stdout) == ("timeout", "hi\n")
    r = run_for("print('next')")
    assert (r.status, r.stdout) == ("ok", "next\n")
