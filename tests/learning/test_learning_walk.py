"""An adversarial walk of the learning state from the command line: a progress database that
cannot be opened, an export that cannot be written. Each is a one-line error naming the file,
never a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS
from tutor.cli import main as cli_main


def _cli(data_dir: Path, *args: str, lang: str = "en") -> int:
    return cli_main(
        ["--data-dir", str(data_dir), "--decks", str(FIXTURE_DECKS), "--lang", lang, *args]
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_database_that_cannot_be_opened_is_a_one_line_error(tmp_path: Path, capsys, lang):
    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.sqlite3").mkdir()  # not a file SQLite can open
    rc = _cli(data, "stats", lang=lang)
    err = capsys.readouterr().err.strip()
    assert rc == 1
    assert len(err.splitlines()) == 1, err
    assert "progress.sqlite3" in err
    assert "Traceback" not in err
    assert ("数据库" in err) == (lang == "zh")


def test_a_database_locked_by_another_process_is_a_one_line_error(
    tmp_path: Path, capsys, monkeypatch
):
    """For a command that writes: one that only reads is let through (test_cli_store_access)."""
    from tutor.learning import store

    data = tmp_path / "data"
    assert _cli(data, "settings", "--retention", "0.85") == 0  # creates the database
    capsys.readouterr()
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(data / "progress.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        rc = _cli(data, "settings", "--retention", "0.9")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err.strip()
    assert rc == 1
    assert len(err.splitlines()) == 1, err
    assert "progress.sqlite3" in err and "locked" in err


def test_a_data_dir_that_is_a_file_is_a_one_line_error(tmp_path: Path, capsys):
    data = tmp_path / "data"
    data.write_text("not a folder")
    rc = _cli(data, "stats")
    err = capsys.readouterr().err.strip()
    assert rc == 1
    assert len(err.splitlines()) == 1, err
    assert str(data) in err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_export_that_cannot_be_written_is_a_one_line_error(tmp_path: Path, capsys, lang):
    out = tmp_path / "a-folder.apkg"
    out.mkdir()  # the path given is a folder
    rc = _cli(tmp_path / "data", "export-anki", str(out), lang=lang)
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert rc == 1
    assert len(err.splitlines()) == 1, err
    assert str(out) in err
    assert ("导出" in err) == (lang == "zh")
    assert "Exported" not in captured.out


def test_a_reexport_that_fails_half_way_keeps_the_last_package(tmp_path: Path, monkeypatch):
    import genanki

    from tests.learning.conftest import load_library
    from tutor.learning.anki_export import AnkiExporter

    out = tmp_path / "cards.apkg"
    exporter = AnkiExporter(load_library())
    exporter.write(out, 1_000.0)
    before = out.read_bytes()

    def full_disk(self, file, timestamp=None):  # writes a little, then the disk is full
        Path(file).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(genanki.Package, "write_to_file", full_disk)
    with pytest.raises(OSError):
        exporter.write(out, 2_000.0)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cards.apkg"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_database_from_a_newer_nn_tutor_is_named_in_the_learners_language(
    tmp_path: Path, capsys, lang
):
    from tutor.learning.store import SCHEMA_VERSION

    data = tmp_path / "data"
    data.mkdir()
    db = data / "progress.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    rc = _cli(data, "stats", lang=lang)
    err = capsys.readouterr().err.strip()
    assert rc == 1
    assert len(err.splitlines()) == 1, err
    assert str(db) in err
    assert f"v{SCHEMA_VERSION + 1}" in err
    assert ("升级" in err) == (lang == "zh")


def test_a_rating_after_the_database_was_deleted_is_refused_not_lost(config, library, clock):
    """The file deleted (or replaced) under a running nn-tutor: SQLite writes on into the unlinked
    file, and every rating from then on vanishes with it. The write says so instead."""
    from tests.learning.conftest import NO_FUZZ
    from tutor.learning import Learning, StoreError

    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        learning.rate("tensors.card-count", 3)
        db = config.paths.database
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        with pytest.raises(StoreError, match=r"progress\.sqlite3"):
            learning.rate("tensors.card-bias", 3)
