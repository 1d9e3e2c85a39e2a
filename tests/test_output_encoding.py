"""The CLI under a locale whose encoding cannot hold what it prints (ISO-8859-1, GBK)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.i18n import tr
from tutor.output_encoding import ESCAPE_ERRORS

ROOT = Path(__file__).resolve().parents[1]


def nn_tutor(tmp_path: Path, encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``nn-tutor ARGS`` with stdout and stderr in ``encoding``, as a terminal set to it has."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NN_TUTOR_NO_CUDA": "1"}
    command = [sys.executable, "-m", "tutor", "--data-dir", str(tmp_path / "data"), *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120)


@pytest.mark.parametrize("encoding", ["latin-1", "gbk"])
def test_commands_print_in_a_locale_that_cannot_hold_their_words(tmp_path, encoding):
    """`validate` in Chinese under ISO-8859-1, and `stats` (its 📊) under GBK, ended in a
    UnicodeEncodeError traceback: what the encoding cannot hold is escaped instead."""
    for args in (["--lang", "zh", "validate"], ["--lang", "en", "stats"], ["--help"]):
        done = nn_tutor(tmp_path, encoding, *args)
        assert done.returncode == 0, done.stderr.decode(encoding)
        assert b"Traceback" not in done.stderr
    said = nn_tutor(tmp_path, encoding, "--lang", "zh", "stats").stdout.decode(encoding)
    title = tr("stats.title", "zh")  # 📊 and Chinese: GBK holds the words, not the emoji
    assert title.encode(encoding, ESCAPE_ERRORS).decode(encoding) in said  # escaped, not lost
    assert "\\ud83d\\udcca" in said  # 📊 as JSON writes it


@pytest.mark.parametrize("encoding", ["latin-1", "gbk"])
def test_json_stays_json_whatever_the_encoding(tmp_path, encoding):
    """`run --json` of a snippet printing Chinese and an emoji: the JSON reads back to them."""
    snippet = tmp_path / "hello.py"
    snippet.write_text("print('形状 🔒 ok')\n", encoding="utf-8")
    done = nn_tutor(tmp_path, encoding, "run", "--json", "--device", "cpu", str(snippet))
    assert done.returncode == 0, done.stderr.decode(encoding)
    assert json.loads(done.stdout.decode(encoding))["stdout"] == "形状 🔒 ok\n"
    stats = nn_tutor(tmp_path, encoding, "--lang", "zh", "stats", "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout.decode(encoding))["due_now"] == 0
