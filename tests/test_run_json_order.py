"""``nn-tutor run``: ``--json`` keeps the order stdout and stderr came in (an ``output`` list of
runs, as ``2>&1`` shows them), and where the other stream writes a line left blank is no line
of its own in a log (pinned: the run panel and the command ask the same question)."""

from __future__ import annotations

import io
import json

from sandbox.result import RunResult
from tutor.cli import main
from tutor.commands.run import stream_output

WARNS_BETWEEN = """
import sys, warnings
print("one", flush=True)
print("more", flush=True)
warnings.warn("careful")
sys.stderr.flush()
print("two", flush=True)
"""


def test_json_output_lists_the_streams_in_the_order_they_came(tmp_path, capsys):
    """A print, a warning, a print: ``output`` holds them in that order, a stream's chunks in a
    row joined as one run; ``stdout`` and ``stderr`` stay as they were."""
    snippet = tmp_path / "warns.py"
    snippet.write_text(WARNS_BETWEEN, encoding="utf-8")
    code = main(["--lang", "en", "--data-dir", str(tmp_path), "run", "--json", str(snippet)])
    out, _ = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert [run["stream"] for run in data["output"]] == ["stdout", "stderr", "stdout"]
    assert data["output"][0] == {"stream": "stdout", "text": "one\nmore\n"}
    assert "UserWarning: careful" in data["output"][1]["text"]
    assert data["output"][2] == {"stream": "stdout", "text": "two\n"}
    assert data["stdout"] == "one\nmore\ntwo\n"
    assert data["stderr"] == data["output"][1]["text"]
    assert RunResult.from_json(out).stdout == data["stdout"]  # still a RunResult to read


def test_json_output_is_there_when_the_snippet_cannot_be_read(tmp_path, capsys):
    """Every ``--json`` result has the list: empty where nothing ran."""
    missing = str(tmp_path / "missing.py")
    code = main(["--lang", "en", "--data-dir", str(tmp_path), "run", "--json", missing])
    out, _ = capsys.readouterr()
    assert code == 2
    assert json.loads(out)["output"] == []


def logged(chunks: list[tuple[str, str]]) -> str:
    log = io.StringIO()
    on_output, close = stream_output(log, log)
    for stream, text in chunks:
        on_output(stream, text)
    close()
    return log.getvalue()


def test_in_a_log_a_row_of_spaces_is_not_broken_off_where_stderr_writes():
    assert logged([("stdout", "   "), ("stderr", "note\n"), ("stdout", "x\n")]) == "note\n   x\n"


def test_in_a_log_a_row_erased_for_a_note_is_not_broken_off_either():
    chunks = [("stdout", "bar 50%\r\x1b[2K"), ("stderr", "note\n"), ("stdout", "bar 100%\n")]
    assert logged(chunks) == "note\nbar 100%\n"


def test_in_a_log_a_line_begun_is_ended_where_stderr_writes():
    chunks = [("stdout", "\x1b[31mred"), ("stderr", "note\n"), ("stdout", " on\n")]
    assert logged(chunks) == "red\nnote\n on\n"
