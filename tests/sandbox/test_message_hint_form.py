"""A message with the sandbox's advice at its end, ``"message (hint)"`` (or the hint alone, an
exception without a message), and the same message without it: one pair of functions in
:mod:`sandbox.result`, which the sandbox (``add_hint``) and the UI (``worded_error``,
``shown_traceback``) share."""

from __future__ import annotations

import pytest

from sandbox.outcome import HINTS, add_hint, error
from sandbox.result import RunError, message_with_hint, message_without_hint
from tutor.sandbox_messages import shown_traceback, worded_error

HINT = HINTS["no_stdin"]


@pytest.mark.parametrize(
    "message",
    ["", " ", "EOF when reading a line", "bad (value)", f"said ({HINT}) before", HINT],
)
def test_without_the_hint_added_gives_the_message_back(message: str) -> None:
    assert message_without_hint(message_with_hint(message, HINT), HINT) == message


def test_a_message_has_the_hint_as_its_last_words_or_is_the_hint_alone() -> None:
    assert message_with_hint("EOF when reading a line", HINT) == f"EOF when reading a line ({HINT})"
    assert message_with_hint("", HINT) == HINT  # pdb's BdbQuit has no message of its own
    assert message_without_hint(HINT, HINT) == ""


@pytest.mark.parametrize(
    ("message", "hint"),
    [
        (f"bad ({HINT}) here", HINT),  # the hint's words mid-text are the message's own
        (f"bad({HINT})", HINT),  # not the sandbox's form: no space before it
        (f"bad ({HINT})", HINTS["no_debugger"]),  # another hint
        ("bad ()", ""),  # no hint to take off
        ("", ""),
        ("bad", HINT),
    ],
)
def test_a_message_not_ending_in_the_hint_has_none_to_take_off(message: str, hint: str) -> None:
    assert message_without_hint(message, hint) is None


def test_add_hint_ends_the_message_in_its_hint_as_message_without_hint_reads_it() -> None:
    err = add_hint(error("EOFError", "EOF when reading a line"), "no_stdin")
    assert err["hint"] == HINT
    assert message_without_hint(err["message"], err["hint"]) == "EOF when reading a line"
    bare = add_hint(error("BdbQuit", ""), "no_debugger")
    assert message_without_hint(bare["message"], bare["hint"]) == ""


def test_the_hints_words_mid_message_are_not_worded_as_a_hint() -> None:
    err = RunError("EOFError", f"bad ({HINT}) here", hint=HINT, hint_code="no_stdin")
    assert worded_error(err, "zh") is None  # the message stays as it came


def test_a_hint_alone_is_worded_alone_and_its_traceback_kept_whole() -> None:
    traceback = 'Traceback (most recent call last):\n  File "<snippet>", line 1\nbdb.BdbQuit'
    err = RunError("BdbQuit", HINTS["no_debugger"], traceback, 1, hint=HINTS["no_debugger"])
    err.hint_code = "no_debugger"
    zh = worded_error(err, "zh")
    assert zh and "调试器" in zh and not zh.startswith("（")
    assert shown_traceback(err, "en") == traceback
