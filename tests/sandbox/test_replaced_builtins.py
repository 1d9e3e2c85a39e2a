"""A run that replaces (or deletes) a builtin that the sandbox's own code calls while and after
the code runs (the output channel, the tracer's hooks, the check, the value's repr, the error's
text and traceback, the result's encoding): its output, its value or its error still come back,
in both workers, as in a plain ``python`` run, whose own reporting is C code no such patch
reaches."""

from __future__ import annotations

import pytest

REPLACED = ["len", "repr", "isinstance", "str", "print", "type", "getattr", "iter", "list", "open"]


@pytest.mark.parametrize("name", REPLACED)
def test_a_replaced_builtin_still_shows_the_last_value(run_in, name):
    r = run_in(f"print('before')\nimport builtins\nbuiltins.{name} = None\n[1, 2]")
    assert (r.status, r.stdout, r.value) == ("ok", "before\n", "[1, 2]")


@pytest.mark.parametrize("name", REPLACED)
def test_a_replaced_builtin_still_reports_the_error(run_in, name):
    r = run_in(f"print('before')\nimport builtins\nbuiltins.{name} = None\n1 / 0")
    assert (r.status, r.stdout) == ("error", "before\n")
    assert r.error is not None
    assert (r.error.type, r.error.line) == ("ZeroDivisionError", 4)
    assert "1 / 0" in r.error.traceback


def test_a_deleted_builtin_still_reports_the_error(run_in):
    r = run_in("print('before')\nimport builtins\ndel builtins.len, builtins.isinstance\nlen([])")
    assert (r.status, r.stdout) == ("error", "before\n")
    assert r.error is not None
    assert (r.error.type, r.error.line) == ("NameError", 4)


def test_the_value_is_still_shown_by_the_learners_own_repr(run_in):
    r = run_in(
        """
        class Point:
            def __repr__(self):
                return "Point(1, 2)"
        import builtins
        builtins.repr = builtins.str = None
        Point()
        """
    )
    assert (r.status, r.value) == ("ok", "Point(1, 2)")


@pytest.mark.parametrize("name", ["len", "int", "isinstance"])
def test_the_next_run_has_the_real_builtins_and_its_output(run_in, name):
    # the in-process worker's pumps, threads of the run's process, lost all later runs' output
    run_in(f"import builtins\nbuiltins.{name} = lambda *a: 42\nprint('patched')")
    r = run_in("print('next')\nlen([1])")
    assert (r.status, r.stdout, r.value) == ("ok", "next\n", "1")


def test_output_printed_while_a_builtin_is_replaced_comes_back(run_in):
    # printed as the code goes on running, while the in-process worker's pumps forward it
    r = run_in(
        """
        import builtins, time
        builtins.len = builtins.int = None
        for i in range(3):
            print(i, flush=True)
            time.sleep(0.1)
        """
    )
    assert (r.status, r.stdout) == ("ok", "0\n1\n2\n")


@pytest.mark.parametrize("name", ["len", "type", "bytes", "memoryview", "range"])
def test_what_is_printed_after_replacing_a_builtin_comes_back(run_in, name):
    # print's write to the output channel is the sandbox's Python code, run as the code runs
    r = run_in(f"import builtins\nbuiltins.{name} = None\nprint('after')\nprint('x' * 10000)")
    assert (r.status, r.stdout) == ("ok", "after\n" + "x" * 10000 + "\n")


def test_the_learners_code_sees_its_own_patch(run_in):
    # as in Python: the sandbox keeps its own copy, the learner's code uses the module it patched
    r = run_in("import builtins\nbuiltins.len = lambda x: 99\nprint(len([1]))\nlen([])")
    assert (r.status, r.stdout, r.value) == ("ok", "99\n", "99")


@pytest.mark.parametrize("change", ["builtins.eval = None", "del builtins.eval"])
def test_a_replaced_eval_still_shows_the_last_value_and_error(run_in, change):
    r = run_in(f"import builtins\n{change}\n6 * 7")
    assert (r.status, r.value) == ("ok", "42")
    r = run_in(f"import builtins\n{change}\n1 / 0")
    assert r.error is not None
    assert (r.status, r.error.type, r.error.line) == ("error", "ZeroDivisionError", 3)


@pytest.mark.parametrize("name", ["len", "type", "id", "isinstance", "getattr"])
def test_a_traced_run_with_a_replaced_builtin_runs_as_plain_python(run_in, name):
    code = (
        "import torch, builtins\nm = torch.nn.Linear(2, 2)\n"
        f"builtins.{name} = None\ny = m(torch.ones(1, 2))\nprint('ok')"
    )
    r = run_in(code, trace=True)
    assert (r.status, r.stdout, r.error) == ("ok", "ok\n", None)
    assert r.trace  # the Linear's call was traced


def test_a_passing_check_whose_call_replaced_a_builtin_passes(run_in):
    code = "import builtins\ndef f():\n    builtins.list = builtins.len = None\n    return 1\n"
    r = run_in(code, check="assert f() == 1")
    assert (r.status, r.error) == ("ok", None)
    assert r.check is not None and r.check.passed
    assert "Traceback" not in r.stderr
