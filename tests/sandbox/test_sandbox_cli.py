"""``nn-tutor run`` end to end, through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CLI = [sys.executable, "-m", "tutor"]


def nn_tutor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "--lang", "en", "run", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def snippet(tmp_path):
    path = tmp_path / "snippet.py"
    path.write_text(
        "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU())\n"
        "print('hello')\n"
        "model(torch.ones(2, 3)).sum().backward()\n"
        "'done'\n",
        encoding="utf-8",
    )
    return path


def test_run_file_with_trace(snippet):
    out = nn_tutor(str(snippet), "--trace", "--device", "cpu")
    assert out.returncode == 0, out.stderr
    assert "hello" in out.stdout and "'done'" in out.stdout
    assert "Hook trace" in out.stdout and "Linear" in out.stdout and "bwd" in out.stdout


def test_run_stdin_json():
    out = nn_tutor("-", "--json", stdin="x = torch.arange(3)\nprint(x.tolist())\nx.sum()\n")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["status"] == "ok"
    assert data["stdout"] == "[0, 1, 2]\n"
    assert data["value"] == "tensor(3)"


def test_error_exit_code_and_line():
    out = nn_tutor("-", stdin="x = 1\ny = x / 0\n")
    assert out.returncode == 1
    assert "ZeroDivisionError (line 2): division by zero" in out.stdout


def test_an_exception_without_a_message_ends_at_its_name():
    # as Python prints it ("ValueError"), not "ValueError (line 2): " with nothing after
    out = nn_tutor("-", stdin="x = 1\nraise ValueError\n")
    assert out.returncode == 1
    assert "ValueError (line 2)\n" in out.stdout and "ValueError (line 2):" not in out.stdout


def test_an_exception_whose_message_is_only_escapes_ends_at_its_name():
    # what shows of the message is nothing: no colon with nothing after it either
    out = nn_tutor("-", stdin="x = 1\nraise ValueError('\\x1b[0m')\n")
    assert "ValueError (line 2)\n" in out.stdout and "ValueError (line 2):" not in out.stdout


def test_a_value_or_error_with_escape_sequences_never_sends_them_on():
    code = (
        "class Loud:\n    def __repr__(self):\n        return '\\x1b]0;PWNED\\x07\\x1b[2Jloud'\n"
        "Loud()\n"
    )
    out = nn_tutor("-", stdin=code)
    assert "loud" in out.stdout and "\x1b" not in out.stdout and "PWNED" not in out.stdout
    out = nn_tutor("-", stdin="raise ValueError('\\x1b]0;PWNED\\x07\\x1b[2Jboom')\n")
    assert "ValueError (line 1): boom\n" in out.stdout and "\x1b" not in out.stdout


def test_timeout_exit_code():
    out = nn_tutor("-", "--timeout", "1", "--json", stdin="while True:\n    pass\n")
    assert out.returncode != 0
    assert json.loads(out.stdout)["status"] == "timeout"


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Timeout: the run took longer than 1 s and was stopped (stopped at line 2)"),
        ("zh", "超时：运行超过了 1 秒，已被停止（停在第 2 行）"),
    ],
)
def test_a_timeout_names_its_line_once_in_the_learners_language(lang, said):
    out = subprocess.run(
        [*CLI, "--lang", lang, "run", "-", "--timeout", "1"],
        input="x = 0\nwhile True:\n    x += 1\n",
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode != 0
    assert said in out.stdout, out.stdout


def test_missing_file(tmp_path):
    out = nn_tutor(str(tmp_path / "nope.py"))
    assert out.returncode == 2


def test_trace_table_shows_a_nested_tensor_by_its_components():
    code = (
        "import warnings\n"
        "warnings.simplefilter('ignore')\n"
        "class Split(nn.Module):\n"
        "    def forward(self, x):\n"
        "        return torch.nested.nested_tensor([x, x[:1]])\n"
        "Split()(torch.ones(2, 3))\n"
    )
    out = nn_tutor("-", "--trace", "--device", "cpu", stdin=code)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "(2, 3) (1, 3)" in out.stdout  # as the TUI trace view writes it


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "soon", "1e10"])
def test_a_timeout_that_is_no_duration_is_refused(value):
    """Refused with what a timeout may be, the ceiling too (``1e10`` raised OverflowError)."""
    from sandbox.limits import SECONDS_WORDS

    out = nn_tutor("-", f"--timeout={value}", stdin="1")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"expected {SECONDS_WORDS}, got '{value}'" in out.stderr


def test_the_timeout_help_gives_the_sandbox_default(monkeypatch):
    from sandbox.limits import Limits
    from tutor.cli import build_parser

    monkeypatch.setenv("COLUMNS", "200")  # one help line per option
    run = build_parser()._subparsers._group_actions[0].choices["run"]
    assert f"(default {Limits().timeout_s:g})" in run.format_help()


def test_a_sandbox_that_cannot_start_is_one_worded_line(tmp_path, monkeypatch, capsys):
    """No traceback: the reason, in the learner's language, and the exit code of a crash."""
    import argparse

    from sandbox.session import START_TIMEOUT_S
    from tutor.commands import run
    from tutor.config import TutorConfig

    monkeypatch.setitem(START_TIMEOUT_S, "cpu", 0.01)  # torch takes far longer to load
    snippet = tmp_path / "one.py"
    snippet.write_text("1 + 1\n", encoding="utf-8")
    args = argparse.Namespace(
        file=str(snippet), device="auto", timeout=None, trace=False, json=False
    )
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="zh")
    assert run.main(args, config) == run.EXIT_CODES["crashed"]
    err = capsys.readouterr().err
    assert err.strip() == "沙盒不可用：cpu 沙盒在 0.01 秒内没能启动"


@pytest.mark.parametrize(
    ("data", "printed"),
    [
        (b"\xef\xbb\xbfprint('with a BOM')\n", "with a BOM"),  # Windows editors save one
        (b"# -*- coding: latin-1 -*-\nprint('caf\xe9')\n", "caf\u00e9"),
    ],
    ids=["utf-8-bom", "coding-line"],
)
def test_a_file_is_decoded_as_python_decodes_source(tmp_path, data, printed):
    path = tmp_path / "snippet.py"
    path.write_bytes(data)
    out = nn_tutor(str(path), "--json")
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["stdout"] == printed + "\n"


@pytest.mark.parametrize(
    ("data", "printed"),
    [
        (b"\xef\xbb\xbfprint('with a BOM')\r\n", "with a BOM"),
        (b"# -*- coding: latin-1 -*-\nprint('caf\xe9')\n", "caf\u00e9"),
    ],
    ids=["utf-8-bom", "coding-line"],
)
def test_stdin_is_decoded_as_a_file_is(data, printed):
    """``nn-tutor run -`` reads bytes and decodes them as ``run FILE`` does, not in the
    terminal's encoding: a BOM is dropped and a ``# coding:`` line honoured."""
    out = subprocess.run(
        [*CLI, "--lang", "en", "run", "-", "--json"],
        input=data,
        capture_output=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(out.stdout)["stdout"] == printed + "\n"


def test_stdin_with_an_unknown_coding_is_one_line_naming_it():
    out = subprocess.run(
        [*CLI, "--lang", "en", "run", "-"],
        input=b"# coding: klingon\nprint(1)\n",
        capture_output=True,
        timeout=180,
    )
    assert out.returncode == 2
    assert b"klingon" in out.stderr and b"Traceback" not in out.stderr


def test_a_file_with_an_unknown_coding_is_one_line_naming_it(tmp_path):
    path = tmp_path / "snippet.py"
    path.write_bytes(b"# coding: klingon\nprint(1)\n")
    out = nn_tutor(str(path))
    assert out.returncode == 2
    assert "snippet.py" in out.stderr and "klingon" in out.stderr


def test_output_escape_sequences_are_shown_not_sent_to_the_terminal():
    """A snippet's colours and progress bars (tqdm rewrites its line with ``\\r``) are shown as
    the terminal would leave them; other escape sequences (clear the screen, set the title) never
    reach the learner's terminal."""
    code = (
        "print('\\x1b[2J\\x1b]0;pwned\\x07epoch \\x1b[31m1\\x1b[0m done')\n"
        "print('  0%\\r 50%\\r100%')\n"
        "raise ValueError('bad \\x1b[2Jinput')\n"
    )
    out = nn_tutor("-", "--device", "cpu", stdin=code)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "ValueError (line 3): bad input" in out.stdout
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "epoch 1 done" in out.stdout
    assert "100%" in out.stdout and " 50%" not in out.stdout


def test_module_names_in_the_trace_are_shown_as_written_never_as_markup_or_escapes():
    """A module's name is the learner's to choose (``add_module``), its type's too: QA found
    ``[/oops]`` crashed ``run --trace`` (Rich read it as markup), and escape sequences in a name
    reached the terminal (clearing it, setting its title), in the table and in the warnings."""
    code = (
        "model = nn.Sequential()\n"
        "model.add_module('[/oops]', nn.Linear(2, 2))\n"
        "model.add_module('[bold]b[/bold]', nn.ReLU())\n"
        "Evil = type('\\x1b]0;PWNED\\x07Evil', (nn.Module,), {'forward': lambda s, x: x / 0})\n"
        "model.add_module('\\x1b[2Jzero', Evil())\n"
        "model(torch.ones(1, 2))\n"
    )
    out = nn_tutor("-", "--trace", "--device", "cpu", stdin=code)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "[/oops]" in out.stdout and "[bold]b[/bold]" in out.stdout
    assert "zero" in out.stdout and "Evil" in out.stdout
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout and "PWNED" not in out.stdout


def test_ctrl_c_ends_the_run_as_cancelled_with_what_it_printed(tmp_path):
    """ctrl-c (SIGINT) during a run ended the command with 130 and nothing printed: a script
    reading ``--json`` got no result, and "cancelled" (exit 6) was never reached."""
    import signal
    import time

    snippet = tmp_path / "slow.py"
    snippet.write_text("import time\nprint('begun', flush=True)\ntime.sleep(60)\n")
    home = ["--data-dir", str(tmp_path / "data")]
    cli = subprocess.Popen(
        [*CLI, "--lang", "en", *home, "run", str(snippet), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(4)  # begun or still starting: either way the run comes back cancelled
        cli.send_signal(signal.SIGINT)
        out, err = cli.communicate(timeout=60)
    finally:
        cli.kill()
    assert cli.returncode == 6, err
    result = json.loads(out)
    assert result["status"] == "cancelled" and result["error"]["code"] == "cancelled"
    assert result["stdout"] in ("", "begun\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_trace_table_fits_an_80_column_terminal_as_the_tutors_does(sb, lang):
    """Eleven columns that never wrap were squeezed into 80: every cell was cut ("→ …",
    "(5,…", "-0.0…"). The table keeps the columns the tutor's trace view keeps at that width."""
    import io

    from rich.console import Console

    from tutor.commands.run import render
    from tutor.theme_styles import DARK
    from tutor.trace_table import TraceTable

    code = (
        "model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))\n"
        "model(torch.randn(5, 3)).sum().backward()\n"
    )
    result = sb.run(code, trace=True)
    out = io.StringIO()
    render(result, lang, Console(file=out, width=80, color_system=None))
    lines = out.getvalue().splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines)
    shown = TraceTable(result.trace, result.trace_warnings, lang, styles=DARK)
    columns = shown.layout(80).columns
    header = next(line for line in lines if shown.headers["shape"] in line)
    assert [shown.headers[c] for c in columns if shown.headers[c] in header] == [
        shown.headers[c] for c in columns
    ]
    rows = lines[lines.index(header) + 2 :][: len(result.trace)]
    assert "…" not in "".join(rows) and "(5, 4)" in rows[0] and "float32" in "".join(lines)


@pytest.mark.parametrize(
    ("lang", "data", "said"),
    [
        (
            "zh",
            b'x = "caf\xe9"\n',
            "无法读取 标准输入：它的字节不是 UTF-8，也没有 '# coding:' 行写明别的编码",
        ),
        (
            "en",
            b"# coding: utf-8\nx = '\xe9'\n",
            "cannot read standard input: its bytes are not valid utf-8 (line 2)",
        ),
    ],
)
def test_an_undecodable_snippet_is_said_in_the_learners_language(lang, data, said):
    """Python's own words ("invalid or missing encoding declaration") came through in English,
    after "cannot read -"."""
    out = subprocess.run(
        [*CLI, "--lang", lang, "run", "-"], input=data, capture_output=True, timeout=180
    )
    assert out.returncode == 2
    assert out.stderr.decode("utf-8").startswith(said), out.stderr.decode("utf-8")


INTERRUPTED = """
import os, signal, sys, threading, time
from tutor.commands.run import _run_until_interrupted

class Box:
    # a run that ends when cancelled; cancel finds it only after a few tries (not yet begun)
    def __init__(self):
        self.stop, self.tries = threading.Event(), 0
    def run(self, source, **options):
        return "cancelled" if self.stop.wait(60) else "ran to the end"
    def cancel(self):
        self.tries += 1
        if self.tries > {found_after}:
            self.stop.set()
        return self.stop.is_set()

def interrupt(times):
    for _ in range(times):
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGINT)

threading.Thread(target=interrupt, args=({interrupts},), daemon=True).start()
try:
    print(_run_until_interrupted(Box(), "x"))
except KeyboardInterrupt:
    print("interrupted")
os._exit(0)  # the run's thread is not waited for
"""


@pytest.mark.parametrize(
    ("found_after", "interrupts", "said"),
    [(3, 1, "cancelled"), (10**6, 2, "interrupted")],
)
def test_ctrl_c_cancels_a_run_not_yet_begun_and_a_second_stops_at_once(
    found_after, interrupts, said
):
    """A ctrl-c as the run was still on its way to the worker found nothing to cancel, and the
    run went on; a second ctrl-c then waited for the whole run (60 s here) before stopping."""
    code = INTERRUPTED.replace("{found_after}", str(found_after))
    code = code.replace("{interrupts}", str(interrupts))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == said, out.stderr
