"""The command line's QA pass 39 on where progress is kept: a ``~user`` path whose user does not
exist, a data folder named by a variable that is a file, a progress file salvaged with
``sqlite3 .dump`` (no schema version), a table dropped by hand, a folder where the file should be,
and ``export-anki`` beside a store it cannot read.

Everything is real: the commands run as the learner runs them (in a process of their own where
the error ends the program), over SQLite files made the way the learner made them.
"""

from __future__ import annotations

import json
import os
import pwd
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ, load_library
from tests.learning.test_store import _v1_database
from tutor.cli import main as cli_main
from tutor.config import ConfigError, TutorConfig
from tutor.learning import Learning
from tutor.learning.store import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
NO_USER = "nosuchuser39"
RATED = ("tensors.card-count", "tensors.card-bias")


def _cli(*args: str, lang: str = "en") -> int:
    return cli_main(["--decks", str(FIXTURE_DECKS), "--lang", lang, *args])


def _tutor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``nn-tutor ARGS`` in a process of its own, with ``env`` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line(err: str) -> str:
    said = err.strip()
    assert len(said.splitlines()) == 1 and "Traceback" not in said, said
    return said


def _with_history(data: Path) -> Path:
    """A data dir whose store holds two ratings; its database's path."""
    config = TutorConfig.resolve(data_dir=data, decks=[str(FIXTURE_DECKS)], lang="en")
    with Learning.open(config, load_library(), settings=NO_FUZZ) as learning:
        for card in RATED:
            learning.rate(card, 3)
    return config.paths.database


def _dumped(source: Path, target: Path, *, leave_out: str | None = None) -> Path:
    """``sqlite3 source .dump | sqlite3 target``, as a learner salvages a file: the copy has
    every table and row, and no schema version. ``leave_out``: a statement naming it is lost."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as old:
        script = "\n".join(
            line for line in old.iterdump() if not leave_out or leave_out not in line
        )
    new = sqlite3.connect(target)
    new.executescript(script)
    assert new.execute("PRAGMA user_version").fetchone()[0] == 0
    new.close()
    return target


def _version_and_reviews(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        return version, conn.execute("SELECT count(*) FROM reviews").fetchone()[0]


# ------------------------------------------------------------------- ~user: no such user


@pytest.fixture
def no_user() -> str:
    try:
        pwd.getpwnam(NO_USER)
    except KeyError:
        return NO_USER
    pytest.skip(f"there is a user {NO_USER}")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("words", "env", "named"),
    [
        (["--data-dir", f"~{NO_USER}/x"], {}, "--data-dir"),
        (["--decks", f"~{NO_USER}/d"], {}, "--decks"),
        ([], {"NN_TUTOR_HOME": f"~{NO_USER}/x"}, "NN_TUTOR_HOME"),
    ],
)
def test_a_path_for_a_user_that_does_not_exist_is_one_line(no_user, words, env, named, lang):
    """``Path.expanduser`` raised "RuntimeError: Could not determine home directory." with a
    traceback, for every command and the TUI alike."""
    for command in (["stats"], []):  # [] is the TUI: said before any screen is drawn
        done = _tutor("--lang", lang, *words, *command, env=env)
        said = _one_line(done.stderr)
        assert done.returncode == 2  # a bad option, as an empty path is
        assert named in said and f'"{no_user}"' in said
        assert ("用户" in said) == (lang == "zh")


def test_the_config_says_which_option_named_an_unknown_user(no_user):
    with pytest.raises(ConfigError) as raised:
        TutorConfig.resolve(data_dir=f"~{no_user}/x", lang="en")
    assert "--data-dir" in str(raised.value) and no_user in str(raised.value)


# ------------------------------------------------- a data folder named by a variable: a file


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_data_folder_from_nn_tutor_home_that_is_a_file_names_the_variable(
    tmp_path, capsys, monkeypatch, lang
):
    """The message blamed ``--data-dir``, which the learner never typed."""
    afile = tmp_path / "afile"
    afile.write_text("x")
    monkeypatch.setenv("NN_TUTOR_HOME", str(afile))
    assert _cli("stats", lang=lang) == 1
    said = _one_line(capsys.readouterr().err)
    assert "NN_TUTOR_HOME" in said and str(afile) in said and "--data-dir" not in said


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG_DATA_HOME is Linux's")
def test_a_data_folder_in_xdg_data_home_that_is_a_file_names_the_variable(
    tmp_path, capsys, monkeypatch
):
    afile = tmp_path / "afile"
    afile.write_text("x")
    monkeypatch.delenv("NN_TUTOR_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(afile))
    assert _cli("stats") == 1
    said = _one_line(capsys.readouterr().err)
    assert "XDG_DATA_HOME" in said and str(afile) in said and "--data-dir" not in said


def test_a_data_folder_given_with_the_option_that_is_a_file_names_the_option(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert _cli("--data-dir", str(afile), "stats") == 1
    assert "--data-dir" in _one_line(capsys.readouterr().err)


# ------------------------------------------------------- a copy salvaged with sqlite3 .dump


def test_a_dumped_copy_is_read_and_kept_with_its_history(tmp_path, capsys):
    """Its schema version is 0: ``stats`` read it as no progress at all (0 reviews), and
    ``settings`` failed with "table meta already exists" (the first release's tables again)."""
    copy = _dumped(_with_history(tmp_path / "old"), tmp_path / "new" / "progress.sqlite3")
    assert _cli("--data-dir", str(copy.parent), "stats", "--json") == 0
    assert json.loads(capsys.readouterr().out)["reviews_total"] == len(RATED)
    assert _version_and_reviews(copy) == (0, len(RATED))  # reading it wrote nothing
    assert _cli("--data-dir", str(copy.parent), "settings", "--new-per-day", "3") == 0
    assert _version_and_reviews(copy) == (SCHEMA_VERSION, len(RATED))  # adopted, all kept


def test_a_dumped_copy_of_an_older_schema_is_upgraded_with_its_history(tmp_path, capsys):
    old = tmp_path / "old" / "progress.sqlite3"
    _v1_database(old)
    copy = _dumped(old, tmp_path / "new" / "progress.sqlite3")
    assert _cli("--data-dir", str(copy.parent), "stats", "--json") == 0
    assert json.loads(capsys.readouterr().out)["reviews_total"] == 1
    assert _version_and_reviews(copy) == (SCHEMA_VERSION, 1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_copy_without_a_version_whose_tables_match_none_is_left_as_it_is(tmp_path, capsys, lang):
    copy = _dumped(
        _with_history(tmp_path / "old"),
        tmp_path / "new" / "progress.sqlite3",
        leave_out="CREATE INDEX flags_card",
    )
    before = copy.read_bytes()
    for command in (["stats"], ["settings", "--new-per-day", "3"]):
        assert _cli("--data-dir", str(copy.parent), *command, lang=lang) == 1
        said = _one_line(capsys.readouterr().err)
        assert str(copy) in said and "PRAGMA user_version" in said
    assert copy.read_bytes() == before


# ------------------------------------------------------------ a table dropped, a folder


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_table_dropped_by_hand_is_one_line_naming_the_file(tmp_path, capsys, lang):
    """``stats`` ended in "sqlite3.OperationalError: no such table: flags"."""
    db = _with_history(tmp_path / "data")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE flags")
    for command in (["stats"], ["settings", "--new-per-day", "3"]):
        assert _cli("--data-dir", str(db.parent), *command, lang=lang) == 1
        said = _one_line(capsys.readouterr().err)
        assert str(db) in said and "table flags" in said
        assert ("损坏" in said) == (lang == "zh")
    assert _version_and_reviews(db) == (SCHEMA_VERSION, len(RATED))


def test_a_table_dropped_from_an_older_schema_is_said_before_its_upgrade(tmp_path, capsys):
    """The upgrade failed on it halfway, and ``stats`` said the file could not be upgraded
    because another nn-tutor was writing or it was not writable: neither was so."""
    db = tmp_path / "data" / "progress.sqlite3"
    _v1_database(db)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE positions")
    for command in (["stats"], ["settings", "--new-per-day", "3"]):
        assert _cli("--data-dir", str(db.parent), *command) == 1
        said = _one_line(capsys.readouterr().err)
        assert str(db) in said and "damaged" in said and "table positions" in said
    assert _version_and_reviews(db) == (1, 1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_folder_where_the_database_should_be_is_said_to_be_one(tmp_path, capsys, lang):
    """``stats`` said "disk I/O error", ``settings`` "unable to open database file"."""
    db = tmp_path / "data" / "progress.sqlite3"
    db.mkdir(parents=True)
    for command in (["stats"], ["settings", "--new-per-day", "3"]):
        assert _cli("--data-dir", str(db.parent), *command, lang=lang) == 1
        said = _one_line(capsys.readouterr().err)
        assert str(db) in said
        assert ("文件夹" if lang == "zh" else "Is a directory") in said


# ------------------------------------------------------- export-anki beside no progress


def test_export_anki_goes_on_without_a_store_it_cannot_read(tmp_path, capsys):
    """A package is made from the decks; from progress it needs only the last export's time.
    A store from a newer nn-tutor, or a data folder that is a file, refused the export."""
    newer = tmp_path / "newer" / "progress.sqlite3"
    newer.parent.mkdir()
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    afile = tmp_path / "afile"
    afile.write_text("x")
    for data in (newer.parent, afile):
        out = tmp_path / f"{data.name}.apkg"
        assert _cli("--data-dir", str(data), "export-anki", str(out)) == 0
        assert out.exists()
        said = capsys.readouterr()
        assert "Exported" in said.out
        problem, note = said.err.strip().splitlines()
        assert str(data) in problem and "exported all the same" in note
    with sqlite3.connect(newer) as conn:  # the newer file is left as it is
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
