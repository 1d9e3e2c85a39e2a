"""A run's stdout and stderr reach the client in the order the run wrote them (fx1).

The CPU worker reads them from two pipes; before, it read all that stdout's pipe held, then
stderr's, so a warning written between two prints came after both, and stdout's partial line
waited in its buffer behind a later stderr write.
"""

from __future__ import annotations

import textwrap

from sandbox import Sandbox

Chunks = list[tuple[str, str]]


def run_streamed(sb: Sandbox, code: str) -> Chunks:
    """The chunks ``code`` sent, (stream, text), in the order they came."""
    chunks: Chunks = []
    result = sb.run(textwrap.dedent(code), on_output=lambda s, t: chunks.append((s, t)))
    assert result.status == "ok", result.error
    return chunks


def in_order(chunks: Chunks) -> list[tuple[str, str]]:
    """Each line the chunks hold, with its stream, in the order they came."""
    lines: list[tuple[str, str]] = []
    for stream, text in chunks:
        lines += [(stream, line) for line in text.splitlines() if line.strip()]
    return lines


def test_a_warning_between_prints_comes_between_them(sb):
    chunks = run_streamed(
        sb,
        """
        print("step 1")
        import warnings; warnings.warn("careful")
        print("step 2")
        import sys; print("to stderr", file=sys.stderr)
        print("step 3")
        """,
    )
    lines = [(stream, line.strip()) for stream, line in in_order(chunks)]
    assert lines == [
        ("stdout", "step 1"),
        ("stderr", "<snippet>:3: UserWarning: careful"),
        ("stderr", 'import warnings; warnings.warn("careful")'),
        ("stdout", "step 2"),
        ("stderr", "to stderr"),
        ("stdout", "step 3"),
    ]


def test_lines_written_in_turn_arrive_in_turn(sb):
    """Two hundred rounds: a reader that takes one pipe's lines before the other's gets them
    out of turn nearly every time; in turn, each line is a chunk of its own stream."""
    chunks = run_streamed(
        sb,
        """
        import sys
        for i in range(200):
            print(f"out {i}")
            print(f"err {i}", file=sys.stderr)
        """,
    )
    expected = [
        line for i in range(200) for line in (("stdout", f"out {i}"), ("stderr", f"err {i}"))
    ]
    assert in_order(chunks) == expected


def test_a_partial_line_is_not_held_back_behind_stderr(sb):
    """stdout is line-buffered: its "loading..." waited for the run's end, after stderr's
    line written later; now the other stream's write lets it go first."""
    chunks = run_streamed(
        sb,
        """
        import sys
        print("loading...", end="")
        print("oops", file=sys.stderr)
        print(" done")
        """,
    )
    assert [(s, t) for s, t in chunks if t] == [
        ("stdout", "loading..."),
        ("stderr", "oops\n"),
        ("stdout", " done\n"),
    ]
