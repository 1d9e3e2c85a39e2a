"""``nn-tutor run`` after QA pass 37: output streamed as the snippet prints it, the summary as wide
as the learner's terminal (or ``COLUMNS``, or 80) with no trailing spaces in a log, the exit
statuses documented, and ``--json`` a result to read when the snippet cannot be read."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from sandbox.result import RunResult
from tutor.i18n import tr

CLI = [sys.executable, "-m", "tutor"]


def cli_env(**set_: str) -> dict[str, str]:
    """The environment, without a ``COLUMNS`` the test runner's shell may have exported."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return env | set_


def run_cli(
    tmp_path: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(
        [*CLI, "--lang", "en", "--data-dir", str(tmp_path / "data"), "run", *args],
        input=stdin,
        capture_output=True,
        timeout=180,
        env=env or cli_env(),
    )
    return subprocess.CompletedProcess(
        out.args, out.returncode, out.stdout.decode("utf-8"), out.stderr.decode("utf-8")
    )


WAITS_FOR_MARKER = """
import os, sys, time
print("first", file=sys.{stream}, flush=True)
for _ in range(400):  # 20 s: the test makes the marker once it has read "first"
    if os.path.exists({marker!r}):
        print("marker seen", file=sys.{stream}, flush=True)
        break
    time.sleep(0.05)
else:
    print("marker never came", file=sys.{stream}, flush=True)
"""


@pytest.mark.parametrize("stream", ["stdout", "stderr"])
def test_output_is_streamed_to_its_own_stream_as_the_snippet_prints_it(tmp_path, stream):
    """QA: a loop printing once a second showed everything at the end. The snippet here goes
    on only once the test has read its first line: printed at the end, "first" came after the
    snippet gave up waiting. Each stream goes to ours, once, and the summary follows."""
    marker = tmp_path / "marker"
    snippet = tmp_path / "snippet.py"
    snippet.write_text(WAITS_FOR_MARKER.format(stream=stream, marker=str(marker)))
    cli = subprocess.Popen(
        [*CLI, "--lang", "en", "--data-dir", str(tmp_path / "data"), "run", str(snippet)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
    )
    try:
        ours = cli.stdout if stream == "stdout" else cli.stderr
        assert ours is not None
        assert ours.readline() == "first\n"
        marker.touch()
        out, err = cli.communicate(timeout=120)
    finally:
        cli.kill()
    rest = out if stream == "stdout" else err
    assert rest.startswith("marker seen\n"), (out, err)
    assert cli.returncode == 0, err
    other = err if stream == "stdout" else out
    assert "first" not in other and "marker" not in other  # each on its own stream, once
    assert "first" not in rest and "ran in" in out.splitlines()[-1]


def test_streamed_output_is_shown_once_and_still_cut_at_the_limit(tmp_path):
    """Streamed, the output is not shown again in the summary, and the sandbox's cut at 1 MB
    holds: what reaches stdout is at most that, whole lines (the cut falls at the line break
    before it, not 523 x's into the next line), then the note that it was cut, on a line of its
    own. The exit status is 7, the output limit's (it was 1, a raised error's)."""
    from tutor.commands.run import OUTPUT_LIMIT

    code = "print('begin')\nfor i in range(1500):\n    print('x' * 1000)\nprint('end')\n"
    out = run_cli(tmp_path, "-", "--device", "cpu", stdin=code.encode())
    assert out.stdout.count("begin") == 1 and "end\n" not in out.stdout
    streamed = [line for line in out.stdout.splitlines() if set(line) == {"x"}]
    assert len(streamed) > 500 and sum(len(line) + 1 for line in streamed) <= 1024 * 1024
    assert {len(line) for line in streamed} == {1000}
    lines = out.stdout.splitlines()
    note = lines.index("(output cut: the run printed too much)")
    assert lines[note - 1] == "x" * 1000, out.stdout[-500:]
    assert out.returncode == OUTPUT_LIMIT, out.stderr


def test_a_terminal_gets_the_output_live_with_its_colours_and_nothing_else(tmp_path):
    """On a terminal the snippet's progress bar is drawn as it prints it (its ``\\r`` passed on)
    and its colours kept; clearing the screen or setting the title never reaches the terminal.
    Before, the output came at the end, in a box, the bar at its last state only."""
    snippet = tmp_path / "bar.py"
    snippet.write_text(
        "print('\\x1b[2J\\x1b]0;PWNED\\x07epoch \\x1b[31m1\\x1b[0m done')\n"
        "print('  0%\\r 50%\\r100%')\n"
    )
    pid, fd = pty.fork()
    if pid == 0:  # the child: nn-tutor on the terminal
        os.environ.update({"COLUMNS": "80", "TERM": "xterm-256color"})
        os.execv(
            sys.executable, [*CLI, "--lang", "en", "--data-dir", str(tmp_path), "run", str(snippet)]
        )
    shown = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.waitpid(pid, 0)
    text = shown.decode("utf-8")
    assert "epoch \x1b[31m1\x1b[0m done" in text, repr(text)
    assert "  0%\r 50%\r100%" in text, repr(text)
    assert "PWNED" not in text and "\x1b[2J" not in text and "\x07" not in text


@pytest.mark.parametrize("columns", ["60", "100", None])
def test_the_summary_follows_columns_else_80_with_no_trailing_spaces(tmp_path, columns):
    """Piped or redirected, the summary was 160 columns wide whatever ``COLUMNS`` said, and its
    boxes and table padded lines with spaces. Now: ``COLUMNS``, else 80 (no terminal here)."""
    code = (
        "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU())\n"
        "model(torch.ones(2, 3)).sum().backward()\n"
        "'word ' * 60\n"
    )
    env = cli_env(COLUMNS=columns) if columns else cli_env()
    out = run_cli(tmp_path, "-", "--trace", "--device", "cpu", stdin=code.encode(), env=env)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert max(len(line) for line in lines) == int(columns or 80), out.stdout
    assert [line for line in lines if line.endswith(" ")] == []


def test_the_summary_takes_the_width_of_a_terminal_on_stdin(tmp_path):
    """``nn-tutor run FILE > log`` typed in a terminal: stdout is a file, but the terminal is
    there, on stdin; the summary is as wide as it."""
    snippet = tmp_path / "long.py"
    snippet.write_text("'word ' * 60\n")
    leader, follower = pty.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        out = subprocess.run(
            [*CLI, "--lang", "en", "--data-dir", str(tmp_path / "data"), "run", str(snippet)],
            stdin=follower,
            capture_output=True,
            text=True,
            timeout=180,
            env=cli_env(),
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert out.returncode == 0, out.stderr
    assert max(len(line) for line in out.stdout.splitlines()) == 100, out.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_exit_status_is_explained(lang):
    from sandbox.limits import Limits
    from tutor.commands.run import EXIT_CODES, OUTPUT_LIMIT, READ_ERROR

    said = tr("cli.help.run_exit_codes", lang)
    for code in [*EXIT_CODES.values(), READ_ERROR, OUTPUT_LIMIT]:
        assert f"{code} " in said, (code, said)
    assert f"{Limits().output_bytes // 1024} KB" in said  # the output limit, as errors say it


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_run_help_lists_the_exit_statuses(lang: str) -> None:
    from tutor.cli import build_parser

    run = build_parser(lang)._subparsers._group_actions[0].choices["run"]  # type: ignore[union-attr]
    assert "".join(tr("cli.help.run_exit_codes", lang).split()) in "".join(
        run.format_help().split()
    )


@pytest.mark.parametrize(
    ("args", "stdin", "path"),
    [
        (["nope.py"], None, "nope.py"),
        (["-"], b"# coding: klingon\nprint(1)\n", "-"),
    ],
    ids=["missing-file", "unknown-coding"],
)
def test_json_says_when_the_snippet_cannot_be_read(tmp_path, args, stdin, path):
    """``run --json`` on a missing file printed nothing on stdout, where a sandbox that could
    not start still printed a result: a script reading stdout got nothing to parse."""
    out = run_cli(tmp_path, *args, "--json", stdin=stdin)
    assert out.returncode == 2
    result = RunResult.from_json(out.stdout)
    assert result.status == "error" and result.error is not None
    assert result.error.type == "UnreadableSource" and result.error.params == {"path": path}
    assert result.error.message.startswith("cannot read")
    assert out.stderr.startswith("cannot read")  # the learner's line, as without --json
    assert json.loads(out.stdout)["stdout"] == ""


def test_an_escape_split_across_chunks_is_judged_whole():
    """The sandbox hands output over in chunks wherever they fall: a colour cut in two still
    reaches the terminal, a title cut in two still does not."""
    from tutor.commands.run import terminal_safe

    shown, held = terminal_safe("red: \x1b[3")
    assert (shown, held) == ("red: ", "\x1b[3")
    assert terminal_safe(held + "1mX") == ("\x1b[31mX", "")
    shown, held = terminal_safe("a\x1b]0;PWN")
    assert terminal_safe(held + "ED\x07b") == ("b", "") and shown == "a"


def test_only_a_colour_with_plain_numbers_reaches_the_terminal():
    """The review: ``\x1b[>4;2m`` ends in ``m`` as a colour does, and sets a keyboard mode that
    the colour reset after the run does not undo."""
    from tutor.commands.run import terminal_safe

    assert terminal_safe("a\x1b[>4;2mb\x1b[1;31mc\x1b[38:5:1md") == (
        "ab\x1b[1;31mc\x1b[38:5:1md",
        "",
    )


def test_a_log_gets_whole_lines_as_a_terminal_leaves_them():
    """To a file, a line is written once it has ended, at its last state; the unfinished last
    line at the end of the run, ended."""
    import io

    from tutor.commands.run import ForwardedStream

    log = io.StringIO()
    out = ForwardedStream(log)
    out.write("epoch 1\n 50%")
    assert log.getvalue() == "epoch 1\n"
    out.write("\r100%\x1b[2J\n\x1b[31mlast")
    assert log.getvalue() == "epoch 1\n100%\n"
    out.close()
    assert log.getvalue() == "epoch 1\n100%\nlast\n"
