"""Where the output cap cuts: at the line break before it, so a flood of lines ends on a whole
line (it ended on a fragment, ``l`` of ``line 96335``, with the cap's note after it), in both
workers; a line too long to leave out is still kept as far as the cap. And ``nn-tutor run``'s
exit status for a run stopped so: 7, not a raised error's 1."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from sandbox.result import RunError, RunResult
from sandbox.worker import CUT_LINE_BYTES, OutputCap

CAP = 4096  # small: the flood reaches it in a moment


@pytest.fixture(scope="module", params=["forked", "in-process"])
def capped(request: pytest.FixtureRequest) -> Iterator[tuple[Sandbox, str]]:
    """A sandbox whose output cap is :data:`CAP` bytes: the forked CPU worker, or the in-process
    one (on the CPU, asked for as "cuda"), and the device that runs there."""
    in_process = request.param == "in-process"
    extra = {"inprocess_device": "cpu"} if in_process else {}
    with Sandbox(timeout_s=30, output_bytes=CAP, **extra) as box:
        yield box, "cuda" if in_process else "cpu"


def run(capped: tuple[Sandbox, str], code: str) -> RunResult:
    box, device = capped
    return box.run(textwrap.dedent(code), device=device)


def test_a_flood_of_lines_is_cut_after_a_whole_line(capped):
    r = run(
        capped,
        """
        for i in range(1_000_000):
            print("line", i)
        """,
    )
    assert r.output_truncated and r.error is not None and r.error.code == "output_limit"
    assert r.stdout.endswith("\n"), r.stdout[-40:]
    lines = r.stdout.splitlines()
    assert lines == [f"line {i}" for i in range(len(lines))]
    assert CAP - CUT_LINE_BYTES <= len(r.stdout) <= CAP


def test_a_line_too_long_to_leave_out_is_kept_to_the_cap(capped):
    r = run(
        capped,
        """
        print("head")
        print("x" * 10_000, end="")
        """,
    )
    assert r.output_truncated
    assert r.stdout == "head\n" + "x" * (CAP - len("head\n"))


def test_the_cap_counts_both_streams_bytes_together_and_cuts_at_a_line_break():
    """stdout's and stderr's bytes count toward one cap; what reaches it is cut at its last
    line break, and a line begun in it is left out whole."""
    cap = OutputCap(20)
    assert cap.keep(b"0123456789\n") == b"0123456789\n"
    assert cap.keep(b"err\n") == b"err\n"  # 15 of 20 bytes, with stdout's
    assert cap.keep(b"abcd\nefghij") == b"abcd\n"
    assert cap.reached and cap.keep(b"\n") == b""
    fresh = OutputCap(20)
    assert fresh.keep(b"0123456789\n") == b"0123456789\n"
    assert fresh.keep(b"abcdefghij") == b""  # a line begun here: left out whole
    assert fresh.reached


def test_the_cap_does_not_finish_a_line_begun_before_it_with_a_fragment():
    """``value `` then, in a later piece, the number: the cap falling in the number keeps none
    of it, so the output ends ``value `` (``value 10`` of ``value 1000292`` read as a value)."""
    cap = OutputCap(24)
    assert cap.keep(b"value 1000000\n") == b"value 1000000\n"
    assert cap.keep(b"value ") == b"value "
    assert cap.keep(b"1000001\n") == b""
    assert cap.reached
    longer = OutputCap(2 * CUT_LINE_BYTES)  # a piece longer than that is still kept to the cap
    assert longer.keep(b"x" * 10) == b"x" * 10
    assert longer.keep(b"x" * 3 * CUT_LINE_BYTES) == b"x" * (2 * CUT_LINE_BYTES - 10)


def test_run_exits_7_for_the_output_limit_and_1_for_a_raised_error():
    from tutor.commands.run import EXIT_CODES, OUTPUT_LIMIT, exit_status

    flooded = RunError("OutputLimitExceeded", "printed too much", code="output_limit")
    assert exit_status(RunResult("error", error=flooded)) == OUTPUT_LIMIT == 7
    raised = RunError("ValueError", "bad")
    assert exit_status(RunResult("error", error=raised)) == EXIT_CODES["error"] == 1
    assert exit_status(RunResult("timeout")) == 3
