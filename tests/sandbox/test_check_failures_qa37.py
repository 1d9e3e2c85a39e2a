"""How a failed check is told apart and worded when the learner's answer is wrong in ways its
assertions did not foresee (QA round 37): an ``assert`` in the learner's own code, an exception
without a message, a Module subclass that never called ``super().__init__()``, an attribute the
check reads under another name, a loop the check ran into. Run for real in the sandbox, with the
lessons' own checks where they show it, then worded as the exercise step words them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.outcome import CHECK_CODES
from tutor.decks.loader import load_file
from tutor.sandbox_messages import CHECK_KEYS, check_words, error_message

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def exercise(step_id: str) -> Any:
    """The exercise ``step_id`` of whichever lesson has it."""
    for path in sorted(LESSONS.glob("*.yaml")):
        deck, _ = load_file(path)
        for step in deck.steps:
            if getattr(step, "id", None) == step_id:
                return step
    raise LookupError(step_id)


def checked(sb: Sandbox, step_id: str, code: str, timeout: float = 20) -> Any:
    """The run of ``code`` with the exercise's check, as the exercise step runs it."""
    return sb.run(code, device="cpu", timeout=timeout, check=exercise(step_id).check)


DROPOUT_HEAD = (
    "class MyDropout(nn.Module):\n"
    "    def __init__(self, p=0.5):\n"
    "        super().__init__()\n"
    "        self.p = p\n"
    "\n"
    "    def forward(self, x):\n"
)
LEARNERS_ASSERTS = [
    (
        "l01.ex-dropout-aware",
        DROPOUT_HEAD + "        assert self.training\n"
        "        return F.dropout(x, p=self.p, training=self.training)\n",
        7,
        "AssertionError",
    ),
    (
        "l01.ex-functional-twin",
        "def my_linear(x, layer):\n    y = F.linear(x, layer.weight, layer.bias)\n"
        "    assert layer.bias is not None\n    return y\n",
        3,
        "AssertionError",
    ),
    (
        "l04.ex-conv-out-size",
        "def conv_out(size, kernel, stride=1, padding=0, dilation=1):\n"
        "    assert dilation == 1, 'dilation not supported'\n"
        "    return (size + 2 * padding - kernel) // stride + 1\n",
        2,
        "AssertionError: dilation not supported",
    ),
]


@pytest.mark.parametrize(
    ("step_id", "code", "line", "error"), LEARNERS_ASSERTS, ids=["forward", "bare", "message"]
)
def test_an_assert_in_the_learners_code_is_an_error_in_their_code(sb, step_id, code, line, error):
    """It read as the check's verdict: a line of the check's hidden code ("assert
    torch.equal(_d(_x), _x), {"), or the learner's own assert message, with no line marked."""
    r = checked(sb, step_id, code)
    assert r.status == "ok" and not r.check.passed and not r.check.crashed
    assert r.check.code == "raised_in_code"
    assert r.check.params == {"error": error, "line": line}
    assert r.check.message == f"{error} (raised in your code, line {line})"
    said, raw = check_words(r.check, "zh")
    assert said == f"{error}（在你的代码第 {line} 行引发）" and raw == ""


def test_the_checks_own_assertion_stays_its_verdict(sb):
    """A wrong value: the check's assertion speaks, in its own words."""
    r = checked(sb, "l01.ex-functional-twin", "def my_linear(x, layer):\n    return x\n")
    assert not r.check.passed and r.check.code is None and not r.check.crashed
    assert isinstance(r.check.message, dict) and r.check.message["en"]


def test_an_assertion_raised_by_what_the_check_called_is_the_checks(sb):
    """torch.testing's assertion, called by the check: the check's verdict, not an error in the
    learner's code (which did run inside the same check, and returned)."""
    check = "torch.testing.assert_close(twice(torch.ones(2)), torch.zeros(2))\n"
    r = sb.run("def twice(x):\n    return 2 * x\n", device="cpu", timeout=20, check=check)
    assert not r.check.passed and r.check.code is None
    assert "Tensor-likes are not close" in r.check.message


def test_the_checks_callback_asserting_inside_the_learners_code_is_the_checks(sb):
    """The learner's function calls what the check gave it, and that assertion fails: the
    innermost code is the check's, so it is the check's verdict."""
    check = "def probe():\n    assert False, 'probe saw a wrong call'\n\napply(probe)\n"
    r = sb.run("def apply(fn):\n    return fn()\n", device="cpu", timeout=20, check=check)
    assert r.check.code is None and r.check.message == "probe saw a wrong call"


def test_an_exception_without_a_message_has_no_dangling_colon(sb):
    code = "def my_linear(x, layer):\n    raise NotImplementedError\n"
    r = checked(sb, "l01.ex-functional-twin", code)
    assert r.check.code == "raised_in_code"
    assert r.check.params["error"] == "NotImplementedError"
    assert r.check.message == "NotImplementedError (raised in your code, line 2)"
    assert check_words(r.check, "en")[0] == "NotImplementedError (raised in your code, line 2)"
    assert check_words(r.check, "zh")[0] == "NotImplementedError（在你的代码第 2 行引发）"


def test_a_check_crashing_without_a_message_names_its_error_alone(sb):
    r = sb.run("x = 1\n", device="cpu", timeout=20, check="raise ValueError\n")
    assert r.check.code == "check_crashed" and r.check.params["error"] == "ValueError"


NO_SUPER_DROPOUT = (
    "class MyDropout(nn.Module):\n"
    "    def __init__(self, p=0.5):\n"
    "        self.p = p\n"
    "\n"
    "    def forward(self, x):\n"
    "        return F.dropout(x, p=self.p, training=self.training)\n"
)
NO_SUPER_TOWER = (
    "class Tower(nn.Module):\n"
    "    def __init__(self, depth, width):\n"
    "        self.depth = depth\n"
    "        for i in range(depth):\n"
    "            self.add_module(f'layer{i}', nn.Linear(width, width))\n"
    "    def forward(self, x):\n"
    "        for m in self.children():\n"
    "            x = F.relu(m(x))\n"
    "        return x\n"
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_module_without_super_init_is_named_with_the_fix(sb, lang):
    """It said "'MyDropout' object has no attribute '_backward_hooks'" with advice to compare
    names and return values."""
    r = checked(sb, "l01.ex-dropout-aware", NO_SUPER_DROPOUT)
    assert r.check.code == "module_not_initialized" and r.check.code in CHECK_CODES
    assert r.check.params["name"] == "MyDropout" and not r.check.crashed
    said, raw = check_words(r.check, lang)
    assert "`MyDropout`" in said and "`super().__init__()`" in said
    assert "_backward_hooks" in raw and "_backward_hooks" not in said
    assert bool(CJK.search(said)) == (lang == "zh")


def test_a_module_without_super_init_failing_in_the_learners_code_keeps_its_line(sb):
    r = checked(sb, "l02.ex-tower-add-module", NO_SUPER_TOWER)
    assert r.check.code == "raised_in_code" and r.check.params["line"] == 5
    assert r.check.params["hint_code"] == "no_module_init"
    english, _ = check_words(r.check, "en")
    assert english.startswith("AttributeError: 'Tower' object has no attribute '_modules'")
    assert "(raised in your code, line 5)" in english
    assert english.endswith(" (call `super().__init__()` first in `Tower.__init__`)")
    assert r.check.message == english  # the sandbox's English is the catalogue's
    said, _ = check_words(r.check, "zh")
    assert "（在你的代码第 5 行引发）" in said
    assert said.endswith("（请在 `Tower.__init__` 里先调用 `super().__init__()`）")


def test_a_module_without_super_init_at_the_top_level_gets_the_hint(sb):
    r = sb.run(NO_SUPER_TOWER + "Tower(2, 3)\n", device="cpu", timeout=20)
    assert r.status == "error" and r.error.line == 5
    assert (r.error.hint_code, r.error.params) == ("no_module_init", {"cls": "Tower"})
    assert "请在 `Tower.__init__` 里先调用 `super().__init__()`" in error_message(r.error, "zh")


def test_a_plain_missing_attribute_in_the_learners_code_gets_no_module_hint(sb):
    r = sb.run("class A:\n    pass\nA().x\n", device="cpu", timeout=20)
    assert r.status == "error" and r.error.hint_code is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_attribute_the_check_reads_under_another_name_is_named(sb, lang):
    code = (
        "class PositionalBias(nn.Module):\n"
        "    def __init__(self, length=5):\n"
        "        super().__init__()\n"
        "        self.register_buffer('offset', torch.linspace(-1.0, 1.0, length),"
        " persistent=False)\n"
        "    def forward(self, x):\n"
        "        return x + self.offset\n"
    )
    r = checked(sb, "l08.ex-buffer-follows", code)
    assert r.check.code == "missing_attribute"
    assert r.check.params["name"] == "offsets" and r.check.params["type"] == "PositionalBias"
    said, raw = check_words(r.check, lang)
    assert "`offsets`" in said and "`PositionalBias`" in said and "AttributeError" in raw
    assert bool(CJK.search(said)) == (lang == "zh")


def test_an_attribute_missing_on_something_not_the_learners_is_the_checks_crash(sb):
    check = "t = make()\nt.not_a_tensor_attribute\n"
    r = sb.run("def make():\n    return torch.ones(1)\n", device="cpu", timeout=20, check=check)
    assert r.check.code == "check_crashed" and r.check.crashed


def test_every_new_check_code_has_its_words():
    assert {"module_not_initialized", "missing_attribute"} <= set(CHECK_CODES) == set(CHECK_KEYS)


LOOPS = "def last_hidden(gru, x, lengths):\n    h = None\n    while True:\n        pass\n"


def test_a_loop_the_check_ran_into_names_the_learners_line(sb):
    """It said "(your code, as the check called it)" with no line to mark."""
    r = checked(sb, "l04.ex-last-valid-state", LOOPS, timeout=2)
    assert r.status == "timeout" and r.error.code == "timeout"
    assert r.error.line in (3, 4) and r.error.params["line"] == r.error.line
    assert f"(stopped at line {r.error.line})" in r.error.message
    assert "last_hidden" in r.error.traceback and "KeyboardInterrupt" not in r.error.traceback
    assert not r.check.passed and "as the check called it" in r.check.message["en"]


def test_a_loop_in_the_checks_own_code_names_no_line(sb):
    r = sb.run("x = 1\n", device="cpu", timeout=2, check="while True:\n    pass\n")
    assert r.status == "timeout" and r.error.line is None and r.error.traceback == ""


def test_a_tracer_failing_without_a_message_names_its_error_alone():
    """The trace's own failure (the device broke mid-run) is worded as the check's crash is."""
    from sandbox.runner import _finish_trace

    class Broken:
        def finish(self, run_error: BaseException | None = None) -> Any:
            raise RuntimeError

    [warning] = _finish_trace(Broken())["trace_warnings"]
    assert warning["message"] == "RuntimeError" == warning["params"]["error"]


def test_a_bare_assertion_of_the_check_over_several_lines_reads_whole(sb):
    """It read as its first line alone: ``assert (x ==``."""
    check = "y = 2\nassert (x ==\n        y)\n"
    r = sb.run("x = 1\n", device="cpu", timeout=20, check=check)
    assert r.check.code is None and r.check.message == "assert (x == y)"


def test_a_property_whose_getter_fails_is_not_said_never_set(sb):
    """The review: a property with a slip inside (``self.off``) falls back to nn.Module's
    ``__getattr__``, whose error names the property: "your code never set it" was untrue."""
    code = (
        "class PositionalBias(nn.Module):\n"
        "    def __init__(self, length=5):\n"
        "        super().__init__()\n"
        "        self.register_buffer('offs', torch.linspace(-1.0, 1.0, length),"
        " persistent=False)\n"
        "    @property\n"
        "    def offsets(self):\n"
        "        return self.off\n"
        "    def forward(self, x):\n"
        "        return x + self.offs\n"
    )
    r = checked(sb, "l08.ex-buffer-follows", code)
    assert r.check.code != "missing_attribute", r.check


def test_two_bare_asserts_on_one_line_are_shown_as_the_line(sb):
    """The review: ``assert x == 1; assert x == 2`` failing on the second was said as the
    first, which passed."""
    r = sb.run("x = 1\n", device="cpu", timeout=20, check="assert x == 1; assert x == 2\n")
    assert r.check.message == "assert x == 1; assert x == 2"
