"""``atexit`` callbacks the learner's code registers run as its run ends, as they do when a script
ends in plain ``python``: after the code (and the threads it left going), last registered first,
their output in the run's, their errors said on stderr as Python says them; in both workers, within
the run's timeout, and never in a later run."""

from __future__ import annotations

import pytest


def test_a_registered_print_shows_after_the_code(run_in):
    r = run_in("import atexit\natexit.register(print, 'bye')\nprint('hi')\n6 * 7")
    assert (r.status, r.stdout, r.value) == ("ok", "hi\nbye\n", "42")


def test_callbacks_run_last_registered_first_and_unregistered_ones_do_not(run_in):
    r = run_in(
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


def test_a_failing_callback_is_said_on_stderr_and_the_rest_still_run(run_in):
    r = run_in(
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


def test_callbacks_run_after_an_error_too(run_in):
    r = run_in("import atexit\natexit.register(print, 'bye')\n1 / 0")
    assert (r.status, r.stdout) == ("error", "bye\n")
    assert r.error is not None and r.error.type == "ZeroDivisionError"


def test_a_registration_never_reaches_the_next_run(run_in):
    r = run_in("import atexit\natexit.register(print, 'leaked')")
    assert (r.status, r.stdout) == ("ok", "leaked\n")  # in its own run
    r = run_in("print('next')")
    assert (r.status, r.stdout) == ("ok", "next\n")


def test_a_callback_that_never_ends_is_stopped_by_the_runs_timeout(run_in):
    r = run_in(
        "import atexit, time\natexit.register(time.sleep, 60)\nprint('hi', flush=True)",
        timeout=1,
    )
    assert (r.status, r.stdout) == ("timeout", "hi\n")
    r = run_in("print('next')")
    assert (r.status, r.stdout) == ("ok", "next\n")


@pytest.mark.parametrize("name", ["callable", "isinstance"])
def test_registering_works_with_a_builtin_replaced(run_in, name):
    r = run_in(f"import atexit, builtins\nbuiltins.{name} = None\natexit.register(print, 'bye')")
    assert (r.status, r.stdout, r.error) == ("ok", "bye\n", None)


def test_a_callback_registered_as_they_run_is_not_run(run_in):
    # as Python 3.11's exit: the callbacks registered when it began, last first
    r = run_in(
        """
        import atexit
        def again():
            print("again")
            atexit.register(again)
        atexit.register(print, "first")
        atexit.register(again)
        """
    )
    assert (r.status, r.stdout) == ("ok", "again\nfirst\n")


def test_a_keyboard_interrupt_from_a_callback_is_said_and_the_rest_run(run_in):
    r = run_in(
        """
        import atexit
        def k():
            raise KeyboardInterrupt
        atexit.register(print, "still")
        atexit.register(k)
        """
    )
    assert (r.status, r.stdout, r.error) == ("ok", "still\n", None)
    assert "Exception ignored in atexit callback: <function k" in r.stderr
    assert "KeyboardInterrupt" in r.stderr
    assert "runner.py" not in r.stderr


def test_a_callback_that_unbinds_keyboard_interrupt_then_fails_is_said(run_in):
    r = run_in(
        """
        import atexit, builtins
        def bad():
            builtins.KeyboardInterrupt = None
            1 / 0
        atexit.register(print, "still")
        atexit.register(bad)
        """
    )
    assert (r.status, r.stdout, r.error) == ("ok", "still\n", None)
    assert "ZeroDivisionError: division by zero" in r.stderr
    assert "runner.py" not in r.stderr
    r = run_in("print(KeyboardInterrupt.__name__)")
    assert (r.status, r.stdout) == ("ok", "KeyboardInterrupt\n")


def test_the_timeout_still_stops_the_callbacks_after_an_interrupted_one(run_in):
    r = run_in(
        "import atexit, time\natexit.register(print, 'never')\natexit.register(time.sleep, 60)",
        timeout=1,
    )
    assert (r.status, r.stdout) == ("timeout", "")


@pytest.mark.parametrize("name", ["isinstance", "ValueError", "type", "getattr"])
def test_a_callback_replacing_a_builtin_leaves_the_run_reported(run_in, name: str):
    """What the sandbox does after the callbacks (its SIGINT handler put back, the result sent)
    calls no builtin a callback replaced: the run comes back with its output."""
    r = run_in(
        f"""
        import atexit, builtins
        def patch():
            print("cb")
            builtins.{name} = None
        atexit.register(patch)
        print("main")
        """
    )
    assert (r.status, r.stdout, r.error) == ("ok", "main\ncb\n", None)
    r = run_in(f"print({name}.__name__)")
    assert (r.status, r.stdout) == ("ok", f"{name}\n")
