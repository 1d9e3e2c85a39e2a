"""The command line's QA pass 37: the screens without a terminal, a refused setting beside a damaged
store, a data folder that cannot hold the store, global options after the command, and the words
``validate`` ends on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.cli import main as cli_main
from tutor.i18n import tr

ROOT = Path(__file__).resolve().parents[1]

REFERENCES_ONLY = """\
format: 1
kind: cards
id: qa-stage
title: {en: "QA", zh: "QA"}
lesson: no-such-lesson
cards:
  - id: qa.s1
    front: {en: "F", zh: "F"}
    back: {en: "B", zh: "B"}
    related: [no.such.card]
"""
"""A card deck whose only problems are references to ids no deck has: it still loads."""

TAGS_NOT_A_LIST = """\
format: 1
kind: cards
id: qa-f5
title: {en: "QA f5", zh: "QA f5"}
cards:
  - id: qa.c4
    front: {en: "F", zh: "F"}
    back: {en: "B", zh: "B"}
    tags: notalist
"""


def _tutor(*args: str, **streams: object) -> subprocess.CompletedProcess[str]:
    """``nn-tutor ARGS`` in a process of its own, its streams as given. Before the fix the
    screens never exited without a terminal: the timeout fails the test then."""
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        cwd=ROOT,
        env={name: value for name, value in os.environ.items() if name != "TEXTUAL_DRIVER"},
        text=True,
        timeout=60,
        **streams,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize(("lang", "command"), [("en", []), ("zh", ["review"])])
def test_the_screens_without_a_terminal_say_so_in_one_line(tmp_path, lang, command):
    """``echo | nn-tutor``, cron, CI: the full-screen app started anyway, wrote ~70 KB of escape
    codes to stderr in 15 s and never exited (QA 37 #5)."""
    done = _tutor(
        "--lang", lang, "--data-dir", str(tmp_path), *command,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    stream = tr("cli.stream.stdin", lang)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == tr("cli.needs_terminal", lang, stream=stream) + "\n"
    assert not (tmp_path / "progress.sqlite3").exists()  # nothing was opened


def test_the_screens_name_standard_error_when_only_it_is_no_terminal(tmp_path):
    """Keys come from standard input, and Textual draws on standard error: at a terminal's
    keyboard with standard error sent to a file, nothing could be seen."""
    keyboard, terminal = os.openpty()
    try:
        done = _tutor(
            "--lang", "en", "--data-dir", str(tmp_path), "sandbox",
            stdin=terminal, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
    finally:
        os.close(keyboard)
        os.close(terminal)
    stream = tr("cli.stream.stderr", "en")
    assert done.returncode == 2
    # said on stdout: stderr is the stream sent elsewhere (``nn-tutor 2>/dev/null`` said nothing)
    assert done.stdout == tr("cli.needs_terminal", "en", stream=stream) + "\n"


def test_a_refused_setting_leaves_a_damaged_store_where_it_is(tmp_path, capsys):
    """``settings --retention 1.5`` (refused, exit 2) first moved a damaged database aside and
    started a fresh one (QA 37 #8): the value is checked before the store is opened."""
    damaged = tmp_path / "progress.sqlite3"
    garbage = bytes(range(256)) * 20
    damaged.write_bytes(garbage)
    code = cli_main(["--lang", "en", "--data-dir", str(tmp_path), "settings", "--retention", "1.5"])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        err == "nn-tutor settings: desired retention (--retention) must be between 0.70 and 0.99\n"
    )
    assert [p.name for p in tmp_path.iterdir()] == ["progress.sqlite3"]
    assert damaged.read_bytes() == garbage


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("command", [["stats"], ["settings", "--fuzz"]])
def test_a_data_dir_that_is_a_file_is_named_as_one(tmp_path, capsys, lang, command):
    """``--data-dir FILE``: ``stats`` said "Not a directory", ``settings`` "FILE: File exists"
    (zh "该位置已有同名文件"), neither the cause (QA 37 #7)."""
    blocker = tmp_path / "dfile"
    blocker.write_text("x", encoding="utf-8")
    code = cli_main(["--lang", lang, "--data-dir", str(blocker), *command])
    said = tr("cli.data_dir.is_file", lang, folder=blocker, source="--data-dir")
    database = blocker / "progress.sqlite3"
    assert code == 1
    assert capsys.readouterr().err == (
        tr("learning.open_failed", lang, path=database, error=said) + "\n"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_read_only_data_dir_is_said_to_be_read_only(tmp_path, lang):
    """A change of settings in a folder on a read-only mount said SQLite's "unable to open
    database file", in English under --lang zh, and never that the folder is read-only."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a read-only mount needs root and unshare")
    if subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=30).returncode:
        pytest.skip("no mount namespace here")
    folder = tmp_path / "ro"
    folder.mkdir()
    command = [sys.executable, "-m", "tutor", "--lang", lang, "--data-dir", str(folder)]
    script = (
        f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' && "
        + " ".join(f"'{word}'" for word in [*command, "settings", "--fuzz"])
    )
    done = subprocess.run(
        ["unshare", "-m", "--", "sh", "-c", script],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    said = tr("cli.data_dir.read_only", lang, folder=folder)
    database = folder / "progress.sqlite3"
    assert done.returncode == 1
    assert done.stderr == tr("learning.open_failed", lang, path=database, error=said) + "\n"


def test_a_global_option_after_the_command_is_said_to_go_before_it(tmp_path, capsys):
    """``nn-tutor stats --data-dir X`` said only "unrecognized arguments" (QA 37 #6)."""
    data = str(tmp_path / "data")
    assert cli_main(["--lang", "en", "stats", "--data-dir", data]) == 2
    fixed = f"nn-tutor --lang en --data-dir {data} stats"
    said = tr("cli.global_after_command", "en", options="--data-dir", count=1, fixed=fixed)
    assert capsys.readouterr().err == said + "\n"


@pytest.mark.parametrize(
    ("argv", "fixed"),
    [
        (["stats", "--data-dir"], "nn-tutor --data-dir DIR stats"),
        (["validate", "--decks"], "nn-tutor --decks PATH validate"),
        (["stats", "--lang"], "nn-tutor --lang LANG stats"),
    ],
)
def test_a_global_option_without_its_value_is_shown_with_a_word_for_it(capsys, argv, fixed):
    """The review: moved alone, the option took the command as its value (``nn-tutor
    --data-dir stats`` opens the tutor on a new store in ./stats)."""
    assert cli_main(argv) == 2
    assert capsys.readouterr().err.rstrip("\n").endswith(f": {fixed}")


def test_lang_after_validate_is_no_deck_path(tmp_path, capsys):
    """``nn-tutor validate --lang zh decks`` read "zh" as a deck path; after ``--`` a word is the
    command's own, as argparse reads it."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(REFERENCES_ONLY, encoding="utf-8")
    assert cli_main(["validate", "--lang", "zh", str(deck)]) == 2
    fixed = f"nn-tutor --lang zh validate {deck}"
    said = tr("cli.global_after_command", "zh", options="--lang", count=1, fixed=fixed)
    assert capsys.readouterr().err == said + "\n"
    assert cli_main(["--lang", "en", "validate", "--", "--lang"]) == 1
    assert "--lang:1:1: no such deck file or folder" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_validate_says_a_deck_with_unknown_references_still_loads(tmp_path, capsys, lang):
    """A single deck whose only problems are unknown references: "2 problems found; the other
    decks still load." There were no other decks; this one loads (QA 37 #11). The summary counts
    the advice printed too."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(REFERENCES_ONLY, encoding="utf-8")
    assert cli_main(["--lang", lang, "validate", str(deck)]) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    # and the advice printed above it: its card has no verify block
    found = tr("validate.problems_and_advice", lang, count=2, advice=1)
    assert last == tr("validate.failed_all_loaded", lang, found=found, decks=1)
    assert (
        last
        == {
            "en": "2 problems and 1 piece of advice found; the deck still loads.",
            "zh": "发现 2 个问题和 1 条建议；该卡组仍可加载。",
        }[lang]
    )


def test_a_type_mismatch_in_chinese_has_no_space_between_chinese_words(tmp_path, capsys):
    """ "应为 由 文本 组成的列表，实际是 文本": spaces stood between Chinese words where a value
    was filled in (QA 37 #10)."""
    deck = tmp_path / "deck.yaml"
    deck.write_text(TAGS_NOT_A_LIST, encoding="utf-8")
    assert cli_main(["--lang", "zh", "validate", str(deck)]) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first == f"{deck}:9:11: cards[0].tags: 应为：列表（每项：文本）；实际：文本"
    assert not re.search(r"[\u4e00-\u9fff（），：；] [\u4e00-\u9fff]", first)
