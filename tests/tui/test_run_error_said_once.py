"""A long torch message is shown once (QA): the run panel's error line says it whole, and the
traceback below, whose last line is Python's ``Type: message``, ends in its first row only.
Lesson 08's inference-tensor message filled 5 rows twice at 80×24, lesson 09's size mismatch 7."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from rich.cells import cell_len

from sandbox.outcome import HINTS
from sandbox.result import RunError
from tutor.sandbox_messages import TRACEBACK_END_WIDTH, error_summary, shown_traceback
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.terminal_text import terminal_text
from tutor.widgets.run_panel import RunPanel

from .conftest import FakeResult, FakeSandbox, drawn, make_app, ready, text_of, wait_for

INFERENCE = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`."
)
MISMATCH = (
    "Error(s) in loading state_dict for Sequential:\n"
    "\tsize mismatch for 2.weight: copying a param with shape torch.Size([3, 8]) from "
    "checkpoint, the shape in current model is torch.Size([5, 8]).\n"
    "\tsize mismatch for 2.bias: copying a param with shape torch.Size([3]) from checkpoint, "
    "the shape in current model is torch.Size([5])."
)
CLI = [sys.executable, "-m", "tutor", "--lang", "en"]

FRAMES = (
    'Traceback (most recent call last):\n  File "<snippet>", line 5, in <module>\n'
    "    loss = (head.weight * feats).sum()\n"
)


def raised(message: str, *, kind: str = "RuntimeError", hint: str = "", **more: Any) -> RunError:
    """A learner's exception as the sandbox reports it: its traceback ends in Python's
    ``Type: message``, its message has the sandbox's hint after it, if any."""
    said = f"{message} ({hint})" if hint else message
    traceback = f"{FRAMES}{kind}: {message}\n"
    return RunError(kind, said, traceback, line=5, hint=hint, **more)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_message_is_said_once_its_tracebacks_end_cut_to_a_row(lang: str) -> None:
    error = raised(INFERENCE)
    heading, message = error_summary(error, lang)
    traceback = shown_traceback(error, lang)
    assert message == INFERENCE  # whole, in the error line
    assert traceback.startswith(FRAMES.rstrip())  # the frames as they were
    end = traceback.splitlines()[-1]
    assert end.startswith("RuntimeError: Inference tensors cannot be saved for backward.")
    assert end.endswith(" …") and cell_len(end) <= TRACEBACK_END_WIDTH
    assert (heading + message + traceback).count("torch.inference_mode()") == 1


def test_a_message_of_many_lines_ends_the_traceback_with_its_first() -> None:
    traceback = shown_traceback(raised(MISMATCH), "en")
    assert traceback.splitlines()[-1] == (
        "RuntimeError: Error(s) in loading state_dict for Sequential: …"
    )
    assert "size mismatch" not in traceback


def test_the_hint_stays_in_the_error_line_and_a_short_message_in_the_traceback() -> None:
    """A message that fits a row ends the traceback as Python ends it."""
    message = "mat1 and mat2 shapes cannot be multiplied (2x5 and 3x4)"
    error = raised(message, hint="an nn.Linear needs ...", hint_code="matmul_shapes")
    assert shown_traceback(error, "en") == f"{FRAMES}RuntimeError: {message}"
    assert error_summary(error, "en")[1].endswith("(an nn.Linear needs ...)")


@pytest.mark.parametrize(
    "error",
    [
        # the sandbox words the message itself: the error line may not say Python's
        RunError(
            "RecursionError",
            "nested too deeply",
            f"{FRAMES}RecursionError: {INFERENCE}\n",
            code="too_nested",
        ),
        # a traceback that ends in another exception's words
        RunError("RuntimeError", "something else", f"{FRAMES}RuntimeError: {INFERENCE}\n"),
        RunError("ValueError", INFERENCE, f"{FRAMES}RuntimeError: {INFERENCE}\n"),
    ],
)
def test_a_traceback_whose_end_the_error_line_does_not_say_is_kept_whole(error: RunError) -> None:
    assert shown_traceback(error, "en") == error.traceback.rstrip()


def test_a_qualified_exception_name_is_cut_as_well() -> None:
    error = RunError("MyError", INFERENCE, f"{FRAMES}__main__.MyError: {INFERENCE}\n")
    assert shown_traceback(error, "en").splitlines()[-1].startswith("__main__.MyError: Inference")
    assert shown_traceback(error, "en").count("torch.inference_mode()") == 0


async def test_the_sandbox_screen_shows_the_long_message_once_at_80_columns(tmp_path) -> None:
    def fails(code: str, **_: Any) -> FakeResult:
        return FakeResult(status="error", error=raised(INFERENCE))

    app = make_app(tmp_path, sandbox=FakeSandbox(fails))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = SandboxScreen(code="loss = (head.weight * feats).sum()")
        await app.push_screen(screen)
        await pilot.press("ctrl+r")
        panel = screen.query_one(RunPanel)
        await wait_for(pilot, lambda: panel.result is not None)
        await pilot.pause()
        shown = text_of(panel.query_one(".run-error"))
        assert shown.count("torch.inference_mode()") == 1, shown
        # the traceback's end is one row, drawn whole
        rows = [row.strip() for row in drawn(app).splitlines()]
        assert shown.splitlines()[-1] in rows, "\n".join(rows)


def test_nn_tutor_run_says_a_long_message_once(tmp_path) -> None:
    """``nn-tutor run`` prints the traceback, then the error's line: the same rule (torch's
    inference-tensor message, 4 rows at 80 columns, was printed twice)."""
    snippet = tmp_path / "inference.py"
    snippet.write_text(
        "import torch\nx = torch.ones(2, requires_grad=True)\n"
        "with torch.inference_mode():\n    y = torch.ones(2)\n(x * y).sum().backward()\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [*CLI, "--data-dir", str(tmp_path / "data"), "run", str(snippet)],
        capture_output=True,
        text=True,
        timeout=180,
        env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
    )
    printed = " ".join(out.stdout.split())
    assert printed.count("instead of `torch.inference_mode()`") == 1, out.stdout
    assert "RuntimeError: Inference tensors cannot be saved for backward." in printed


def drawn_end(error: RunError) -> str:
    """The traceback's last row as the run panel draws it: tabs to their stops, escapes gone."""
    return terminal_text(shown_traceback(error, "en")).plain.splitlines()[-1]


def test_a_cut_end_with_tabs_keeps_to_a_row_as_drawn() -> None:
    """The panel draws a tab to the next 8-column stop: measured as one cell, the row drew
    wider than 72 cells and wrapped at 80 columns."""
    end = drawn_end(raised("a\tb\tc\td\t" + "word " * 30, kind="ValueError"))
    assert end.startswith("ValueError: a") and end.endswith(" …")
    assert cell_len(end) <= TRACEBACK_END_WIDTH, repr(end)


def test_a_cut_end_never_splits_an_escape_of_the_learners_message() -> None:
    """Cut inside ``ESC[38;5;196m``, the rest of the sequence was drawn as text."""
    end = drawn_end(raised("a" * 50 + "\x1b[38;5;196m" + "b" * 40, kind="ValueError"))
    assert end.startswith("ValueError: " + "a" * 50 + "b") and end.endswith(" …"), repr(end)
    assert "[38" not in end and ";196" not in end and cell_len(end) <= TRACEBACK_END_WIDTH


def test_a_long_name_is_cut_inside_it_not_back_to_the_type() -> None:
    """Backed up to the last space, a NameError kept only ``NameError: name …``."""
    name = "positional_bias_for_every_head_of_the_attention_block_in_layer_two"
    end = drawn_end(raised(f"name '{name}' is not defined", kind="NameError"))
    assert end.startswith("NameError: name 'positional_bias_for_every_head"), repr(end)
    assert end.endswith(" …") and cell_len(end) <= TRACEBACK_END_WIDTH


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("fix_code", "fix_params"),
    [
        ("matrix_product_shapes", {"width": "3", "inner": "4"}),
        # any fix of the error is kept before the cap's note, not a torch hint alone
        ("qualified_name", {"name": "F", "module": "torch.nn", "qualified": "nn.functional"}),
    ],
)
def test_a_long_message_with_its_fix_and_the_output_caps_note_is_said_once(
    lang: str, fix_code: str, fix_params: dict[str, str]
) -> None:
    """Code that raised, then its thread flooded past the output cap: the message carries the
    fix of its error and the cap's note after it (f706113); the traceback's end is still cut."""
    fix = HINTS[fix_code].format(**fix_params)
    cap_note = HINTS["raised_thread_output_limit"].format(thread="t", kb=1024)
    long_message = INFERENCE.replace("Inference tensors", "mat1 and mat2 shapes (2x3 and 4x5)")
    error = RunError(
        "RuntimeError",
        f"{long_message} ({fix}) ({cap_note})",
        f"{FRAMES}RuntimeError: {long_message}\n",
        line=5,
        hint=cap_note,
        hint_code="raised_thread_output_limit",
        params={
            "thread": "t",
            "kb": 1024,
            "earlier_hint_code": fix_code,
            "earlier_hint_params": fix_params,
        },
    )
    end = shown_traceback(error, lang).splitlines()[-1]
    assert end.endswith(" …") and cell_len(end) <= TRACEBACK_END_WIDTH, end
