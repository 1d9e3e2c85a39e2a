"""Python 3.12 and later add "Did you forget to import 'math'?" to a ``NameError`` whose name is
a module of its library (``sys.stdlib_module_names``): the sandbox keeps it as it keeps "Did you
mean", and Chinese glosses it. This Python (3.11) never says it, so its display's exact words
(seen on 3.12.1 and 3.13.0) are the data: fed to the sandbox through the display it asks
(``sys.__excepthook__``), and to the UI as the message the sandbox sends."""

from __future__ import annotations

import linecache
import sys
from typing import Any

import pytest

from sandbox import RunError, runner
from sandbox.outcome import HINTS
from tutor.sandbox_messages import error_message

FORGOT = "name 'math' is not defined. Did you forget to import 'math'?"
NEAR_OR_FORGOT = (
    "name 'math' is not defined. Did you mean: 'mat'? Or did you forget to import 'math'?"
)


@pytest.mark.parametrize(
    ("shown", "message", "suggestion"),
    [
        (
            f"NameError: {FORGOT}\n",
            "name 'math' is not defined",
            ". Did you forget to import 'math'?",
        ),
        (
            f"NameError: {NEAR_OR_FORGOT}\n",
            "name 'math' is not defined",
            ". Did you mean: 'mat'? Or did you forget to import 'math'?",
        ),
        (
            "NameError: name 'modle' is not defined. Did you mean: 'model'?\n",
            "name 'modle' is not defined",
            ". Did you mean: 'model'?",
        ),
        ("NameError: name 'x' is not defined\n", "name 'x' is not defined", ""),
        # 3.13's display coloured (FORCE_COLOR=1 or PYTHON_COLORS=1): 3.13.0's exact bytes
        (
            "\x1b[1;35mNameError\x1b[0m: \x1b[35mname 'math' is not defined. Did you mean: "
            "'mat'? Or did you forget to import 'math'?\x1b[0m\n",
            "name 'math' is not defined",
            ". Did you mean: 'mat'? Or did you forget to import 'math'?",
        ),
        (
            "\x1b[1;35mAttributeError\x1b[0m: \x1b[35mmodule 'math' has no attribute 'sqr'. "
            "Did you mean: 'sqrt'?\x1b[0m\n",
            "module 'math' has no attribute 'sqr'",
            ". Did you mean: 'sqrt'?",
        ),
    ],
)
def test_pythons_suggestion_is_read_from_its_display(shown: str, message: str, suggestion: str):
    assert runner.suggestion_in(shown, message) == suggestion


def described(code: str, shown: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The error dict the sandbox makes of ``code``'s ``NameError`` at a snippet's top level,
    where Python's display (``sys.__excepthook__``) shows it as ``shown``: what 3.12.1 and
    3.13.0 showed for ``code`` (run with ``python3.12 -c``)."""
    monkeypatch.setattr(sys, "__excepthook__", lambda *_: sys.stderr.write(f"{shown}\n"))
    monkeypatch.setitem(
        linecache.cache, runner.SNIPPET, (len(code), None, code.splitlines(True), runner.SNIPPET)
    )
    try:
        exec(compile(code, runner.SNIPPET, "exec"), {})
    except NameError as exc:
        return runner.describe_exception(exc, runner.SNIPPET)
    raise AssertionError(f"{code!r} raised no NameError")


def test_the_sandbox_keeps_pythons_import_suggestion_with_its_own_fix(monkeypatch):
    err = described("print(math.sqrt(2))\n", f"NameError: {FORGOT}", monkeypatch)
    assert err["hint_code"] == "import_module"
    assert err["message"] == f"{FORGOT} ({HINTS['import_module'].format(name='math')})"


def test_the_import_suggestion_alone_leaves_the_fresh_run_hint(monkeypatch):
    """Python suggests any library module's import by its name alone: ``array.shape`` is no
    module's, and a variable from an earlier run is still the likelier slip (as on 3.11)."""
    forgot = "name 'array' is not defined. Did you forget to import 'array'?"
    err = described("print(array.shape)\n", f"NameError: {forgot}", monkeypatch)
    assert err["hint_code"] == "fresh_run"
    assert err["message"] == f"{forgot} ({HINTS['fresh_run'].format(name='array')})"


def test_a_near_name_before_the_import_suggestion_still_drops_the_fresh_run_hint(monkeypatch):
    err = described("mat = 1\nprint(math)\n", f"NameError: {NEAR_OR_FORGOT}", monkeypatch)
    assert (err["message"], err.get("hint_code")) == (NEAR_OR_FORGOT, None)


@pytest.mark.parametrize(
    ("python", "gloss"),
    [
        (FORGOT, "找不到名字 `math`，是不是忘了 `import math`？"),
        (NEAR_OR_FORGOT, "找不到名字 `math`，你是想写 `mat`，还是忘了 `import math`？"),
    ],
)
def test_the_import_suggestion_is_glossed_in_chinese(python: str, gloss: str):
    err = RunError("NameError", python)
    assert error_message(err, "en") == python
    assert error_message(err, "zh") == f"{python}——{gloss}"


def test_the_gloss_comes_before_the_sandboxs_fix():
    fix = HINTS["import_module"].format(name="math")
    err = RunError(
        "NameError",
        f"{FORGOT} ({fix})",
        hint=fix,
        hint_code="import_module",
        params={"name": "math"},
    )
    assert error_message(err, "en") == err.message
    assert error_message(err, "zh").startswith(
        f"{FORGOT}——找不到名字 `math`，是不是忘了 `import math`？（"
    )


def test_a_builtin_as_pythons_near_name_keeps_the_fresh_run_hint(sb):
    """Python suggests builtins too: ``inputs`` gets "Did you mean: 'input'?", the builtin that
    reads a line of stdin, no name of a torch learner's. Python's words stay, and the sandbox's
    advice follows them, as for a name with no suggestion."""
    err = sb.run("lin = nn.Linear(2, 2)\nlin(inputs)\n").error
    python = "name 'inputs' is not defined. Did you mean: 'input'?"
    assert err.hint_code == "fresh_run", err
    assert err.message == f"{python} ({HINTS['fresh_run'].format(name='inputs')})"


def test_a_near_name_the_learner_defined_drops_the_fresh_run_hint_even_a_builtins(sb):
    """The learner's own ``input`` (a builtin's name, taken over) is the near name they meant."""
    err = sb.run("input = torch.ones(2)\nprint(inputs)\n").error
    assert (err.message, err.hint_code) == (
        "name 'inputs' is not defined. Did you mean: 'input'?",
        None,
    )


@pytest.mark.parametrize(
    "code",
    ["import torch\nprint(dtype)\n", "x = [1]\nprint(lenn)\n"],
)
def test_a_name_used_as_a_value_keeps_the_fresh_run_hint_near_a_builtin_function(sb, code):
    """Read as a value, not called, a missing name near a builtin function (``type``, ``len``)
    is likelier a variable of an earlier run than that function mistyped."""
    err = sb.run(code).error
    assert ". Did you mean: '" in err.message, err.message
    assert err.hint_code == "fresh_run", err


def _reads_inputs_before_binding_input() -> None:
    print(inputs)  # noqa: F821 - the NameError under test
    input = 1  # noqa: F841 - bound after the read: in the code's names, not its frame's


def test_a_near_name_of_the_frames_own_code_is_the_learners_even_unbound():
    """Python's display looks for a near name among the raising code's own variable names first,
    bound yet or not: Python 3.12 runs a module-level comprehension in the module's frame, its
    variable (``input`` in ``[inputs for input in ...]``) in the code's names, not the frame's
    dicts. A function's local read before it is bound is the same case on this Python. Not a
    builtin the learner never meant, though ``input`` is one's name."""
    with pytest.raises(NameError) as raised:
        _reads_inputs_before_binding_input()
    suggestion = runner._suggestion(raised.value)
    assert suggestion == ". Did you mean: 'input'?"
    assert runner._near_name_meant(raised.value, suggestion)
