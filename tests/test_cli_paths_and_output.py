"""Paths given empty and output that cannot be written: one line, never a traceback.

An unset shell variable (``--data-dir "$DIR"``) gives ``""``, which ``Path`` reads as the
current folder: ``--decks ""`` loaded every YAML file below it, ``--data-dir ""`` used the
learner's own data. A full disk under the output failed every command with a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tutor.cli import main as cli_main
from tutor.i18n import tr

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--data-dir", "", "stats"], "--data-dir"),
        (["--decks", "", "validate"], "--decks"),
        (["run", ""], "FILE"),
        (["sandbox", ""], "FILE"),
        (["export-anki", ""], "OUT.apkg"),
        (["validate", "lessons", ""], "PATH"),
    ],
)
def test_an_empty_path_is_refused_in_one_line(args, named, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # were it taken as the current folder, nothing here to read
    monkeypatch.setenv("NN_TUTOR_HOME", str(tmp_path / "home"))
    assert cli_main(["--lang", "en", *args]) == 2
    out, err = capsys.readouterr()
    assert (
        out == ""
        and err.strip() == f"nn-tutor: {named} is empty (an unset shell variable?); give it a path."
    )
    assert not (tmp_path / "home").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", [["stats"], ["settings", "--json"], ["validate"]])
def test_output_that_cannot_be_written_is_one_line(command, tmp_path):
    args = [sys.executable, "-m", "tutor", "--lang", "en", "--data-dir", str(tmp_path), *command]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            args,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            timeout=120,
            env={**os.environ, "NN_TUTOR_NO_CUDA": "1"},
        )
    assert done.returncode == 1
    assert done.stderr.strip() == "nn-tutor: No space left on device", done.stderr


def test_sandbox_opens_a_file_in_another_encoding_as_it_runs_it(tmp_path, monkeypatch, capsys):
    """``nn-tutor sandbox FILE`` checked the file as UTF-8 before starting: a file declaring
    ``# coding: latin-1`` (which the sandbox and ``run`` read) ended in a traceback."""
    from tutor.app import TutorApp

    started: list[str] = []

    def run(app: TutorApp) -> None:  # the check passed: the TUI would start on the file
        started.append(app.start_arg)

    monkeypatch.setattr(TutorApp, "run", run)
    monkeypatch.setattr("tutor.cli.missing_terminal", lambda args: None)  # at a terminal
    data_dir = ["--lang", "en", "--data-dir", str(tmp_path / "data")]
    latin = tmp_path / "latin.py"
    latin.write_bytes(b'# coding: latin-1\nx = "caf\xe9"\n')
    assert cli_main([*data_dir, "sandbox", str(latin)]) == 0
    assert started == [str(latin)]
    undeclared = tmp_path / "undeclared.py"
    undeclared.write_bytes(b'x = "caf\xe9"\n')
    assert cli_main([*data_dir, "sandbox", str(undeclared)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"cannot read {undeclared}: ") and len(err.strip().splitlines()) == 1
    assert started == [str(latin)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sandbox_opens_a_new_file_but_not_in_a_folder_that_is_not_there(
    tmp_path, monkeypatch, capsys, lang
):
    """``nn-tutor sandbox new.py`` was refused ("No such file or directory") though the sandbox
    screen says a file that does not exist yet is created on ctrl+s, as an editor's would be.
    It opens now; a new file in a folder that does not exist (a slip in its name, which ctrl+s
    used to make) is said in one line before the app starts."""
    from tutor.app import TutorApp

    started: list[str] = []
    monkeypatch.setattr(TutorApp, "run", lambda app: started.append(app.start_arg))
    monkeypatch.setattr("tutor.cli.missing_terminal", lambda args: None)  # at a terminal
    data_dir = ["--lang", lang, "--data-dir", str(tmp_path / "data")]
    new = tmp_path / "new.py"
    assert cli_main([*data_dir, "sandbox", str(new)]) == 0
    assert started == [str(new)] and not new.exists()
    slip = tmp_path / "scirpts" / "new.py"
    assert cli_main([*data_dir, "sandbox", str(slip)]) == 2
    err = capsys.readouterr().err
    assert err == tr("sandbox.no_folder", lang, path=slip, folder=slip.parent) + "\n"
    assert started == [str(new)] and not slip.parent.exists()
    folder = f"{tmp_path / 'experiments'}/"  # names a folder: not a new file called experiments
    assert cli_main([*data_dir, "sandbox", folder]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith(tr("sandbox.file_missing", lang, path=folder, reason=""))
        and err.count("\n") == 1
    )
    assert started == [str(new)] and not (tmp_path / "experiments").exists()


def test_the_tui_follows_the_terminals_size_not_columns_and_lines(tmp_path, monkeypatch):
    """COLUMNS and LINES in the environment (dotfiles, Jupyter's terminal) are what Textual's
    driver reads first: the app drew at their size and ignored every resize (QA)."""
    from tutor.app import TutorApp

    seen: list[tuple[str | None, str | None]] = []
    monkeypatch.setattr(
        TutorApp,
        "run",
        lambda app: seen.append((os.environ.get("COLUMNS"), os.environ.get("LINES"))),
    )
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setattr("tutor.cli.missing_terminal", lambda args: None)  # at a terminal
    monkeypatch.setenv("LINES", "10")
    assert cli_main(["--lang", "en", "--data-dir", str(tmp_path / "data")]) == 0
    assert seen == [(None, None)]


def test_export_writes_only_over_an_anki_package(tmp_path, capsys):
    """``export-anki notes.md`` (a slip) replaced the learner's notes with a zip and said so."""
    notes = tmp_path / "notes.md"
    notes.write_text("my precious notes")
    not_a_package = tmp_path / "old.apkg"
    not_a_package.write_text("not a zip")
    base = ["--lang", "en", "--data-dir", str(tmp_path / "data"), "export-anki"]
    assert cli_main([*base, str(notes)]) == 2
    assert cli_main([*base, str(not_a_package)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{notes}: an Anki package's name ends in .apkg; nothing was written.",
        f"{not_a_package} is there already and is not an Anki package; nothing was written over it.",
    ]
    assert notes.read_text() == "my precious notes" and not_a_package.read_text() == "not a zip"
    package = tmp_path / "cards.apkg"
    assert cli_main([*base, str(package)]) == 0 and zipfile.is_zipfile(package)
    assert cli_main([*base, str(package)]) == 0  # an earlier export is replaced


def test_a_folder_given_with_its_slash_is_named_once(tmp_path, monkeypatch, capsys):
    """``nn-tutor sandbox afolder/`` said "cannot read afolder/: afolder: Is a directory": the
    OS names the folder without its slash, and that read as another path (QA)."""
    (tmp_path / "afolder").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tutor.cli.missing_terminal", lambda args: None)  # at a terminal
    assert (
        cli_main(["--lang", "en", "--data-dir", str(tmp_path / "data"), "sandbox", "afolder/"]) == 2
    )
    assert capsys.readouterr().err == "cannot read afolder/: Is a directory\n"
