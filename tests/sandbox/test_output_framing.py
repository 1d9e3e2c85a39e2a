"""A run's sys.stdout and sys.stderr reach the client framed on one pipe, in the order written
(fx12): no waiting for the worker, threads never split a write, and the order holds for
``sys.__stdout__``, for forked children and over many switches.

Before, each stream had its pipe and a switch waited until the worker had read the other one:
the wait let other threads' text slip in, ``sys.__stdout__`` was a plain block-buffered stream,
and a forked child's writes were not waited for at all.
"""

from __future__ import annotations

import re
import textwrap

from sandbox.session import RunSession
from tests.sandbox.test_output_order import Chunks, run_streamed


def lines_of(chunks: Chunks) -> list[tuple[str, str]]:
    """The merged output as a terminal shows it, split into lines, each with the stream of the
    chunk that ended it (a line cut by the other stream's chunk is one mixed line)."""
    lines: list[tuple[str, str]] = []
    partial = ""
    for stream, text in chunks:
        parts = (partial + text).split("\n")
        partial = parts.pop()
        lines += [(stream, part) for part in parts]
    if partial:
        lines.append(("?", partial))
    return lines


def test_whole_writes_from_threads_to_both_streams_never_mix(sb):
    """Four threads, each writing whole lines to both streams (some longer than a pipe's atomic
    write, so framed in several pieces): every line arrives whole, on its stream."""
    chunks = run_streamed(
        sb,
        """
        import sys, threading
        def work(n):
            for i in range(200):
                pad = "x" * (9000 if i % 50 == 0 else 40)
                sys.stdout.write(f"T{n} out {i} {pad}\\n")
                sys.stderr.write(f"T{n} err {i} {pad}\\n")
        ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        [t.start() for t in ts]; [t.join() for t in ts]
        """,
    )
    pattern = re.compile(r"T(\d) (out|err) (\d+) x+")
    seen: dict[tuple[str, str], list[int]] = {}
    for stream, line in lines_of(chunks):
        match = pattern.fullmatch(line)
        assert match, f"mixed line on {stream}: {line[:120]!r}"
        thread, kind, i = match.groups()
        assert stream == {"out": "stdout", "err": "stderr"}[kind], line[:40]
        seen.setdefault((thread, kind), []).append(int(i))
    assert all(
        seen[(str(n), kind)] == list(range(200)) for n in range(4) for kind in ("out", "err")
    )


def test_restoring_dunder_stdout_keeps_the_order(sb):
    """``sys.stdout = sys.__stdout__`` undoes a StringIO capture: the order still holds (it was
    the worker's own stream, written out of turn)."""
    same = sb.run("import sys\n(sys.__stdout__ is sys.stdout, sys.__stderr__ is sys.stderr)")
    assert same.value == "(True, True)"
    chunks = run_streamed(
        sb,
        """
        import sys, io
        sys.stdout = io.StringIO()
        sys.stdout = sys.__stdout__
        for i in range(200):
            print("out", i)
            print("err", i, file=sys.stderr)
        """,
    )
    expected = [
        (s, f"{w} {i}") for i in range(200) for s, w in (("stdout", "out"), ("stderr", "err"))
    ]
    assert lines_of(chunks) == expected


def test_ten_thousand_alternating_writes_arrive_in_order(sb):
    chunks = run_streamed(
        sb,
        """
        import sys
        for i in range(10000):
            print("out", i)
            print("err", i, file=sys.stderr)
        """,
    )
    expected = [
        (s, f"{w} {i}") for i in range(10000) for s, w in (("stdout", "out"), ("stderr", "err"))
    ]
    assert lines_of(chunks) == expected


def test_a_forked_childs_writes_keep_their_turn(sb):
    """Parent and forked child take turns (a pipe hands the turn over): stdout's lines from one
    process, stderr's from the other, in the order written."""
    chunks = run_streamed(
        sb,
        """
        import os, sys
        to_child_r, to_child_w = os.pipe()
        to_parent_r, to_parent_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            for i in range(100):
                os.read(to_child_r, 1)
                print("child", i, file=sys.stderr)
                os.write(to_parent_w, b"x")
            os._exit(0)
        for i in range(100):
            print("parent", i)
            os.write(to_child_w, b"x")
            os.read(to_parent_r, 1)
        os.waitpid(pid, 0)
        """,
    )
    expected = [
        (s, f"{w} {i}") for i in range(100) for s, w in (("stdout", "parent"), ("stderr", "child"))
    ]
    assert lines_of(chunks) == expected


def test_the_streams_still_work_as_a_learner_expects(sb):
    """fileno(), isatty(), .buffer, reconfigure(), encoding, and a closed sys.stdout."""
    r = sb.run(
        textwrap.dedent(
            """
            import sys
            facts = (sys.stdout.fileno(), sys.stderr.fileno(), sys.stdout.isatty())
            sys.stdout.buffer.write(b"raw bytes\\n"); sys.stdout.flush()
            sys.stdout.reconfigure(line_buffering=True)
            print("caf\\udce9", sys.stdout.encoding, sys.stdout.errors)
            print("loading...", end="", flush=True)
            print(" done")
            sys.stdout.close()
            print("after close", file=sys.stderr)
            facts
            """
        )
    )
    assert r.status == "ok", r.error
    assert r.value == "(1, 2, False)"
    assert r.stdout == "raw bytes\ncaf\\udce9 utf-8 backslashreplace\nloading... done\n"
    assert r.stderr == "after close\n"


def test_prints_from_threads_to_both_streams_never_mix(sb):
    """print() writes its text and its "\\n" apart, but (for text, as here) with no Python code
    between them: no other thread runs there, so none cuts a line. Waiting for the worker let
    one run in, and 56-112 of the 1,600 lines mixed."""
    chunks = run_streamed(
        sb,
        """
        import sys, threading
        def work(n):
            for i in range(200):
                print(f"T{n} out {i}")
                print(f"T{n} err {i}", file=sys.stderr)
        ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        [t.start() for t in ts]; [t.join() for t in ts]
        """,
    )
    lines = lines_of(chunks)
    mixed = [line for _, line in lines if not re.fullmatch(r"T\d (out|err) \d+", line)]
    assert mixed == []
    assert len(lines) == 1600


def test_a_print_follows_fd_1_pointed_at_a_file(run_in, tmp_path):
    """``os.dup2(f.fileno(), 1)`` sends prints to the file, as plain Python does; putting fd 1
    back brings them back to the panel. (They went to the panel, the file stayed empty.)"""
    target = tmp_path / "redirected.txt"
    r = run_in(
        f"""
        import os, sys
        f = open({str(target)!r}, "w")
        saved = os.dup(1)
        os.dup2(f.fileno(), 1)
        print("to the file")
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        f.close()
        print("to the panel")
        """
    )
    assert r.status == "ok", r.error
    assert target.read_text() == "to the file\n"
    assert r.stdout == "to the panel\n"


def test_fd_2_pointed_at_devnull_silences_prints_and_warnings(run_in):
    """The silencing idiom ``os.dup2(devnull, 2)`` silences Python's stderr too."""
    r = run_in(
        """
        import os, sys, warnings
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        print("hidden", file=sys.stderr)
        warnings.warn("hidden warning")
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
        print("shown", file=sys.stderr)
        """
    )
    assert r.status == "ok", r.error
    assert r.stderr == "shown\n"


def test_stdout_buffer_raw_writes_to_fd_1(run_in):
    """``sys.stdout.buffer.raw`` is there, as on a ``BufferedWriter``: fd 1, unbuffered."""
    r = run_in(
        """
        import io, sys
        raw = sys.stdout.buffer.raw
        raw.write(b"raw bytes\\n")
        (isinstance(raw, io.RawIOBase), raw.fileno(), raw.closefd)
        """
    )
    assert r.status == "ok", r.error
    assert r.value == "(True, 1, False)"
    assert r.stdout == "raw bytes\n"


def test_an_alternating_flood_is_sent_in_few_messages(run_in, monkeypatch):
    """Up to the 1 MB cap, one line at a time, alternating streams: the worker sends each
    read's output as one message, in order, not one message per line (that was 524,288)."""
    kinds: list[str] = []
    feed = RunSession.feed

    def counting_feed(session: RunSession, message: dict[str, object]) -> bool:
        kinds.append(str(message.get("type")))
        return feed(session, message)

    monkeypatch.setattr(RunSession, "feed", counting_feed)
    r = run_in(
        """
        import sys
        while True:
            print("o")
            print("e", file=sys.stderr)
        """
    )
    assert r.output_truncated
    assert len(r.stdout) + len(r.stderr) == 1024 * 1024  # the cap, exactly
    assert r.stdout.startswith("o\no\n") and r.stderr.startswith("e\ne\n")
    output_messages = kinds.count("output") + kinds.count("output_batch")
    assert 0 < output_messages < 100_000  # one a line would be 524,288
