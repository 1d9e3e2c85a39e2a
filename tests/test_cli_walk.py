"""A newcomer on the command line: streams the shell closed (``<&-``, ``>&-``)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.i18n import tr

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_run_dash_with_standard_input_closed_says_so(tmp_path, monkeypatch, capsys, lang):
    """``nn-tutor run - <&-``: Python leaves ``sys.stdin`` None; it ended in a traceback
    (AttributeError: 'NoneType' object has no attribute 'read')."""
    monkeypatch.setattr(sys, "stdin", None)
    code = main(["--lang", lang, "--data-dir", str(tmp_path), "run", "-"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err == tr("cli.closed_stdin_run", lang) + "\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_run_with_standard_output_closed_says_so(tmp_path, monkeypatch, capsys, lang):
    """``nn-tutor run --json FILE >&-`` ended in a traceback; without --json the run said
    nothing and exited 4 ("crashed")."""
    snippet = tmp_path / "one.py"
    snippet.write_text("print(1)\n", encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", None)
    code = main(["--lang", lang, "--data-dir", str(tmp_path), "run", "--json", str(snippet)])
    assert code == 2
    stream = tr("cli.stream.stdout", lang)
    assert capsys.readouterr().err == tr("cli.closed_stream", lang, stream=stream) + "\n"


def test_the_tutor_with_standard_input_closed_says_so_in_one_line(tmp_path):
    """``nn-tutor <&-``: Textual's driver stopped on a screenful of traceback."""
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": "", "LANGUAGE": ""}
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "--data-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        preexec_fn=lambda: os.close(0),
        timeout=60,
        text=True,
    )
    stream = tr("cli.stream.stdin", "zh")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == tr("cli.closed_stream", "zh", stream=stream) + "\n"


@pytest.mark.parametrize(
    ("argv", "lang", "key", "values"),
    [
        (["lesonn", "x"], "en", "cli.unknown_command", {"command": "lesonn", "guess": "lesson"}),
        (
            ["--lang", "zh", "reveiw"],
            "zh",
            "cli.unknown_command",
            {"command": "reveiw", "guess": "review"},
        ),
        (
            ["--data-dir", "d", "Stats"],
            "zh",
            "cli.unknown_command",
            {"command": "Stats", "guess": "stats"},
        ),
        (["inside-module"], "en", "cli.no_such_command", {"command": "inside-module"}),
    ],
)
def test_a_mistyped_command_is_one_line_in_the_learners_language(
    monkeypatch, capsys, argv, lang, key, values
):
    """argparse answered a typo with three lines of usage and an English error listing every
    command; the learner's language (``--lang``, else the locale) and the likely command now."""
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8" if lang == "zh" else "C")
    monkeypatch.delenv("LANGUAGE", raising=False)  # it would come first
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == tr(key, lang, **values) + "\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", ["run", "sandbox"])
def test_a_file_that_cannot_be_read_is_one_line_naming_it_once(
    tmp_path, monkeypatch, capsys, lang, command
):
    """``nn-tutor run [bold]x.py`` (missing) said "cannot read x.py: [Errno 2] No such file or
    directory: '[bold]x.py'": the path twice, errno noise, and Rich ate the ``[bold]``; and
    ``nn-tutor sandbox FILE`` said it in English to a Chinese learner. (A missing file is a new
    one to the sandbox: a folder in its place cannot be read by either.)"""
    monkeypatch.setattr("tutor.cli.missing_terminal", lambda args: None)  # at a terminal
    missing = tmp_path / "[bold]x.py"
    if command == "sandbox":
        missing.mkdir()
    code = main(["--lang", lang, "--data-dir", str(tmp_path / "data"), command, str(missing)])
    out, err = capsys.readouterr()
    errno_ = 2 if command == "run" else 21
    key = "os.enoent" if command == "run" else "os.eisdir"
    reason = os.strerror(errno_) if lang == "en" else tr(key, lang)  # the system's words in zh
    assert code == 2 and out == ""
    assert err == tr("sandbox.file_missing", lang, path=missing, reason=reason) + "\n"


class TypedIn:
    """Standard input at a terminal: the learner types the snippet."""

    def isatty(self) -> bool:
        return True

    @property
    def buffer(self) -> io.BytesIO:
        """What the learner typed, as bytes: ``run -`` decodes them as Python decodes a file."""
        return io.BytesIO(b"1 + 1\n")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_run_dash_at_a_terminal_says_it_is_reading(monkeypatch, capsys, lang):
    """``nn-tutor run -`` typed at a terminal waited in silence, as if it hung."""
    from tutor.commands.run import _read_source

    monkeypatch.setattr(sys, "stdin", TypedIn())
    assert _read_source("-", lang) == "1 + 1\n"
    assert capsys.readouterr().err == tr("sandbox.reading_stdin", lang) + "\n"


def test_run_json_when_the_sandbox_cannot_start_says_so_on_stdout(tmp_path, monkeypatch, capsys):
    """``nn-tutor run --json`` printed nothing on stdout when the sandbox could not start (only a
    red line on stderr): a script reading the JSON got none. It now gets the failed start as a
    run's result, status "crashed" as the exit status 4 says. The worker fails for real: Python
    cannot start with a PYTHONHOME that is not there."""
    import json

    from sandbox import RunError, RunResult
    from tutor.sandbox_messages import unavailable_message

    snippet = tmp_path / "one.py"
    snippet.write_text("print(1)\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONHOME", "/nonexistent")
    code = main(["--lang", "en", "--data-dir", str(tmp_path), "run", "--json", str(snippet)])
    out, err = capsys.readouterr()
    assert code == 4
    result = json.loads(out)
    # the shape of every run's JSON: a result's fields, and its output in order (none here)
    assert result.keys() == RunResult("crashed").to_dict().keys() | {"output"}
    assert result["output"] == []
    assert (result["status"], result["device"]) == ("crashed", "cpu")
    error = RunError(**result["error"])
    assert (error.code, error.params) == ("start_exited", {"device": "cpu", "exit_code": 1})
    assert " ".join(err.split()) == unavailable_message(error, "en")  # the line on stderr stays
