"""QA pass 34 on the sandbox's messages: a crash said once, a hint for tabs mixed with spaces."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.outcome import run_died
from sandbox.result import RunError
from tutor.sandbox_messages import error_message, error_summary


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(timeout_s=30) as box:
        yield box


def line(error: RunError, lang: str) -> str:
    """The error's one line as the run panel and ``nn-tutor run`` show it."""
    return "".join(error_summary(error, lang))


# -- a crash is said once ---------------------------------------------------------------------


def test_a_segfault_says_it_crashed_once(sb):
    r = sb.run("print('before')\nimport ctypes\nctypes.string_at(0)\n")
    assert r.status == "crashed" and r.error.code == "crashed_signal"
    assert line(r.error, "en") == "Crashed: Segmentation fault (SIGSEGV)"
    assert line(r.error, "zh") == "崩溃：收到信号 SIGSEGV"
    # the sandbox's own message, for a view that shows it alone, still says what it is
    assert error_message(r.error, "en") == "the run crashed: Segmentation fault (SIGSEGV)"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_crash_line_repeats_the_heading(lang):
    crashes = [
        run_died(signal_number=signal.SIGSEGV),
        run_died(signal_number=signal.SIGKILL, out_of_memory=True),
        run_died(signal_number=signal.SIGABRT),
    ]
    for crash in crashes:
        heading, message = error_summary(RunError(**crash), lang)
        assert heading.rstrip(":： ") in {"Crashed", "崩溃"}, heading
        assert "crash" not in message and "崩溃" not in message, message
        assert crash["params"]["name"] in message


def test_a_crash_killed_for_memory_says_why():
    killed = RunError(**run_died(signal_number=signal.SIGKILL, out_of_memory=True))
    assert line(killed, "en") == "Crashed: Killed (SIGKILL); the system ran out of memory"
    assert line(killed, "zh") == "崩溃：收到信号 SIGKILL，系统内存不足"


def test_a_crash_with_nothing_more_known_is_the_heading_alone():
    bare = RunError("Crashed", "the run crashed", code="crashed")
    assert line(bare, "en") == "Crashed"
    assert line(bare, "zh") == "崩溃"


def test_other_crashes_keep_their_words():
    exited = RunError(**run_died(exit_code=3))
    assert line(exited, "en") == f"Crashed: {exited.message}"


# -- tabs mixed with spaces -------------------------------------------------------------------

TABS = "for i in range(2):\n\tx = i\n    print(x)\n"


def test_an_indentation_error_in_code_with_tabs_says_where_the_tab_is(sb):
    r = sb.run(TABS)
    assert r.error.type == "IndentationError" and r.error.hint_code == "mixed_tabs"
    en = line(r.error, "en")
    assert en.startswith("IndentationError (line 3): unindent does not match"), en
    assert en.endswith(" (this code mixes tabs and spaces in its indentation: line 2 has a tab)"), (
        en
    )
    zh = line(r.error, "zh")
    assert zh.endswith("（这段代码的缩进混用了制表符和空格，第 2 行就有制表符）"), zh


def test_a_tab_error_names_the_first_line_with_a_tab(sb):
    r = sb.run("if True:\n    x = 1\n    if x:\n\ty = 2\n        z = 3\n")
    assert r.error.type == "TabError" and r.error.params == {"tab_line": 4}
    assert "line 4 has a tab" in r.error.message


def test_indentation_errors_without_tabs_have_no_hint(sb):
    spaces = sb.run("for i in range(2):\n        x = i\n    print(x)\n")
    assert spaces.error.type == "IndentationError" and spaces.error.hint_code is None
    only_tabs = sb.run("for i in range(2):\n\tx = i\n\t\tprint(x)\n")  # unexpected indent
    assert only_tabs.error.type == "IndentationError" and only_tabs.error.hint_code is None


def test_spaces_in_a_tab_indented_docstring_mix_nothing(sb):
    """Only the failing line and the line above it count (review of the change: a docstring's
    spaces made an unrelated error in tab-indented code read as mixing)."""
    code = 'def f():\n\t"""doc\n    more doc"""\n\treturn 1\n\ndef g():\nx = 1\n'
    r = sb.run(code)
    assert r.error.type == "IndentationError" and r.error.hint_code is None, r.error
