"""Commands that only read the progress store (``stats``, ``settings`` showing, ``export-anki``)
open it read-only: another nn-tutor holding its write lock, a read-only file or folder, a schema
older than this nn-tutor's never stop them, and never make them write. Commands that write
(``settings`` changing a value) still say in one line why they cannot.

Everything is real: a second SQLite connection holds the write lock (``BEGIN IMMEDIATE``, as
another nn-tutor writing would), and the read-only cases are file modes. Root reads and writes
any file whatever its mode, so there the command runs as ``nobody`` in a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ, load_library, write_lock_held
from tests.learning.test_store import _v1_database
from tutor.cli import main as cli_main
from tutor.config import TutorConfig
from tutor.learning import Access, Learning, SchedulerSettings
from tutor.learning.store import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534  # the uid (and gid) a command runs as when the tests run as root
RATED = ("tensors.card-count", "tensors.card-bias")


def _cli(data: Path, *args: str, lang: str = "en") -> int:
    return cli_main(["--data-dir", str(data), "--decks", str(FIXTURE_DECKS), "--lang", lang, *args])


def _with_history(data: Path) -> Path:
    """A data dir whose store holds two ratings and a changed setting; its database's path."""
    config = TutorConfig.resolve(data_dir=data, decks=[str(FIXTURE_DECKS)], lang="en")
    with Learning.open(config, load_library(), settings=NO_FUZZ) as learning:
        for card in RATED:
            learning.rate(card, 3)
        learning.update_settings(SchedulerSettings(desired_retention=0.85, enable_fuzzing=False))
    return config.paths.database


def _one_line(err: str) -> str:
    said = err.strip()
    assert len(said.splitlines()) == 1 and "Traceback" not in said, said
    return said


# ----------------------------------------------------------------------------- a lock held


def test_read_commands_read_a_store_whose_write_lock_is_held(tmp_path, capsys, monkeypatch):
    from tutor.learning import store

    db = _with_history(tmp_path / "data")
    monkeypatch.setattr(store, "BUSY_TIMEOUT_MS", 100)  # the lock outlasts the wait at once
    out = tmp_path / "cards.apkg"
    with write_lock_held(db):
        assert _cli(db.parent, "stats", "--json") == 0
        assert json.loads(capsys.readouterr().out)["reviews_total"] == len(RATED)
        assert _cli(db.parent, "settings", "--json") == 0
        assert json.loads(capsys.readouterr().out)["desired_retention"] == 0.85
        assert _cli(db.parent, "export-anki", str(out)) == 0 and out.exists()
        capsys.readouterr()
        assert _cli(db.parent, "settings", "--retention", "0.9") == 1  # a write waits, then says so
        said = _one_line(capsys.readouterr().err)
        assert str(db) in said and "locked" in said


# ------------------------------------------------------------------------ read-only files


@pytest.fixture
def reachable(tmp_path: Path) -> Iterator[Path]:
    """A folder the command can reach: pytest's own is root's alone, so as root a fresh one any
    user may enter, removed afterwards (with the modes the test set undone)."""
    if os.geteuid() != 0:
        yield tmp_path
        return
    base = Path(tempfile.mkdtemp(prefix="nn-tutor-store-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for folder, _, _ in os.walk(base):
            os.chmod(folder, 0o755)
        shutil.rmtree(base)


DEMOTE = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


@cache
def _nobody_runs_nn_tutor() -> bool:
    """Whether ``nobody`` can run this interpreter and import nn-tutor: a checkout or virtual
    environment below a folder only root may enter (``/root``) cannot be."""
    probe = [*DEMOTE, sys.executable, "-c", "import tutor.cli"]
    return subprocess.run(probe, cwd=ROOT, capture_output=True, timeout=120).returncode == 0


def _as_learner(base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``nn-tutor ARGS`` in a subprocess, as ``nobody`` (through util-linux's ``setpriv``) when
    the tests run as root."""
    demote: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root, and no setpriv to run the command as another user")
        demote = DEMOTE
        if not _nobody_runs_nn_tutor():
            pytest.skip("running as root, and nobody cannot run this Python (a folder above it)")
    command = [sys.executable, "-m", "tutor", "--decks", str(FIXTURE_DECKS), "--lang", "en"]
    env = {**os.environ, "HOME": str(base), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [*demote, *command, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _give_to_learner(*paths: Path) -> None:
    """As root, hand the files to the user the command runs as (a learner owns their data)."""
    if os.geteuid() != 0:
        return
    for path in paths:
        for folder, _, files in os.walk(path):
            os.chown(folder, NOBODY, NOBODY)
            for name in files:
                os.chown(Path(folder, name), NOBODY, NOBODY)


@pytest.mark.parametrize("folder_read_only", [False, True], ids=["file", "file-and-folder"])
def test_read_commands_read_a_read_only_store(reachable: Path, folder_read_only: bool):
    """A WAL database in a read-only folder cannot have its ``-shm`` index made: SQLite reads it
    only as an immutable file, which it is while no one can write there."""
    db = _with_history(reachable / "data")
    exports = reachable / "exports"
    exports.mkdir()
    _give_to_learner(db.parent, exports)
    before = db.read_bytes()
    db.chmod(0o444)
    if folder_read_only:
        db.parent.chmod(0o555)
    data = ["--data-dir", str(db.parent)]

    stats = _as_learner(reachable, *data, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["reviews_total"] == len(RATED)
    shown = _as_learner(reachable, *data, "settings", "--json")
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["desired_retention"] == 0.85
    exported = _as_learner(reachable, *data, "export-anki", str(exports / "cards.apkg"))
    assert exported.returncode == 0, exported.stderr
    assert (exports / "cards.apkg").exists()

    changed = _as_learner(reachable, *data, "settings", "--retention", "0.9")
    assert changed.returncode == 1 and changed.stdout == ""
    assert str(db) in _one_line(changed.stderr)
    assert db.read_bytes() == before


def _with_unmerged_writes(db: Path, folder: Path) -> Path:
    """A copy of the WAL database ``db`` in ``folder`` whose last writes are still in its
    ``-wal`` (no checkpoint merged them: a tutor stopped mid-session), with no ``-shm``."""
    folder.mkdir()
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        with conn:  # a write that stays in the -wal while this connection is open
            conn.execute("INSERT INTO meta (key, value) VALUES ('qa', 'unmerged')")
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{db}{suffix}", folder / f"{db.name}{suffix}")
    finally:
        conn.close()
    assert (folder / f"{db.name}-wal").stat().st_size > 0
    return folder / db.name


@pytest.mark.parametrize("lang, word", [("en", "read-only"), ("zh", "只读")])
def test_a_read_only_folder_with_unmerged_writes_is_said_with_what_mends_it(
    reachable: Path, lang: str, word: str
):
    """SQLite reads a ``-wal``'s writes only through a ``-shm`` index it makes beside the file; in
    a read-only folder it cannot, and reading the file alone would miss them. The command says
    so, and what mends it, in one line in the learner's language (not SQLite's "unable to open
    database file"), and leaves the files as they are."""
    db = _with_unmerged_writes(_with_history(reachable / "data"), reachable / "copy")
    _give_to_learner(db.parent)
    files = {p.name: p.read_bytes() for p in db.parent.iterdir()}
    db.parent.chmod(0o555)
    result = _as_learner(reachable, "--data-dir", str(db.parent), "--lang", lang, "stats")
    said = _one_line(result.stderr)
    assert result.returncode == 1 and result.stdout == ""
    assert str(db) in said and word in said and "unable to open" not in said
    assert {p.name: p.read_bytes() for p in db.parent.iterdir()} == files


# ---------------------------------------------------------------- what a read never writes


def test_a_read_upgrades_an_older_schema_as_the_tutor_would(tmp_path, capsys):
    """A store from an older nn-tutor is upgraded by the first command that opens it, reading
    ones too, rather than refused until the tutor is opened (the state after an upgrade)."""
    data = tmp_path / "data"
    db = data / "progress.sqlite3"
    _v1_database(db)
    assert _cli(data, "stats", "--json") == 0
    assert json.loads(capsys.readouterr().out)["reviews_total"] == 1
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_older_schema_whose_upgrade_waits_for_a_lock_is_read_upgraded_and_left(
    tmp_path, capsys, monkeypatch
):
    """Where the upgrade waits for another nn-tutor's write lock, a command that only reads
    reads the store upgraded in memory (it was refused: "cannot be upgraded now") and leaves
    the file as it was."""
    monkeypatch.setattr("tutor.learning.store.BUSY_TIMEOUT_MS", 200)  # not the 10 s wait
    data = tmp_path / "data"
    db = data / "progress.sqlite3"
    _v1_database(db)
    before = db.read_bytes()
    with write_lock_held(db):
        assert _cli(data, "stats", "--json") == 0
    assert json.loads(capsys.readouterr().out)["reviews_total"] == 1
    assert db.read_bytes() == before  # (SQLite's reader may leave an empty -wal and -shm)


@pytest.mark.parametrize("lang, word", [("en", "cannot be upgraded"), ("zh", "无法升级")])
def test_an_older_schema_that_cannot_be_upgraded_is_said_and_left(
    reachable: Path, lang: str, word: str
):
    """Where the upgrade cannot be written (a read-only folder), a command that only reads says
    so in one line, in the learner's language, and leaves the file."""
    data = reachable / "data"
    db = data / "progress.sqlite3"
    _v1_database(db)
    _give_to_learner(data)
    before = db.read_bytes()
    data.chmod(0o555)
    result = _as_learner(reachable, "--data-dir", str(data), "--lang", lang, "stats", "--json")
    said = _one_line(result.stderr)
    assert result.returncode == 1 and result.stdout == ""
    assert word in said and str(db) in said
    assert "v1" in said and f"v{SCHEMA_VERSION}" in said
    assert db.read_bytes() == before


def test_a_read_with_no_store_yet_shows_nothing_learned_and_makes_none(tmp_path, capsys):
    data = tmp_path / "data"
    assert _cli(data, "stats", "--json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["reviews_total"] == 0 and stats["cards_known"] == 0
    assert _cli(data, "settings", "--json") == 0
    assert json.loads(capsys.readouterr().out)["desired_retention"] == 0.9  # the default
    assert not data.exists()


def test_a_read_leaves_a_corrupt_store_where_it_is(tmp_path, capsys):
    """Moving a damaged file aside (and starting afresh) is the tutor's to do, as it writes; a
    command that only reads says it cannot read the file, in one line."""
    data = tmp_path / "data"
    data.mkdir()
    db = data / "progress.sqlite3"
    garbage = b"this is not a database at all\n" * 200
    db.write_bytes(garbage)
    assert _cli(data, "stats", "--json") == 1
    captured = capsys.readouterr()
    assert captured.out == "" and str(db) in _one_line(captured.err)
    assert sorted(p.name for p in data.iterdir()) == ["progress.sqlite3"]
    assert db.read_bytes() == garbage


def _damage_pages(db: Path) -> bytes:
    """Scribble over every page of ``db`` but the first (the header, with the schema version):
    SQLite opens it, and its quick check fails. The damaged bytes."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    raw = bytearray(db.read_bytes())
    for page in range(1, pages):
        raw[page * page_size + 8 : page * page_size + 200] = b"\xab" * 192
    db.write_bytes(bytes(raw))
    return bytes(raw)


@pytest.mark.parametrize("older", [False, True], ids=["current", "older"])
@pytest.mark.parametrize("lang, word", [("en", "is damaged"), ("zh", "已损坏")])
def test_a_read_leaves_a_damaged_store_and_says_what_will_mend_it(
    tmp_path, capsys, older, lang, word
):
    """A damaged store (its quick check fails), of this nn-tutor's schema or an older one (whose
    upgrade would have moved it aside), stays where it is; the line says it is damaged and that
    the tutor moves it aside, in the learner's language, without SQLite's page-by-page report."""
    data = tmp_path / "data"
    db = _with_history(data) if not older else data / "progress.sqlite3"
    if older:
        _v1_database(db)
    damaged = _damage_pages(db)
    assert _cli(data, "stats", "--json", lang=lang) == 1
    captured = capsys.readouterr()
    said = _one_line(captured.err)
    assert captured.out == "" and word in said and str(db) in said and len(said) < 400
    assert not [p.name for p in data.iterdir() if "corrupt" in p.name]
    assert db.read_bytes() == damaged


def test_an_export_keeps_its_timestamp_where_it_can(tmp_path, monkeypatch):
    """Anki updates a note only for a newer timestamp, so each export's is kept in the store, and
    the next is past it. Where the store can only be read, the stamp is still past the last kept
    one, and nothing is written. (The clock stands still: a second passing between two claims
    would change the stamps.)"""
    monkeypatch.setattr("tutor.learning.service.time.time", lambda: 1_800_000_000.0)
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang="en")
    with Learning.open(config, load_library(), access=Access.READ_MOSTLY) as exporter:
        assert not exporter.store.read_only
        first = exporter.claim_export_timestamp()
        kept = exporter.claim_export_timestamp()
        assert kept > first
    with Learning.open(config, load_library(), access=Access.READ) as reader:
        assert reader.store.read_only
        unkept = reader.claim_export_timestamp()
        assert unkept > kept and reader.claim_export_timestamp() == unkept
    with Learning.open(config, load_library(), access=Access.READ) as reader:
        assert reader.store.meta("anki_export_timestamp") == str(kept)


def _on_read_only_mount(folder: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with ``folder`` remounted read-only for it alone (a mount namespace of its
    own: root, and ``unshare``, are needed; the test is skipped without them)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a read-only mount needs root and unshare")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace here: {probe.stderr.decode().strip()}")
    quoted = " ".join(f"'{part}'" for part in command)
    script = (
        f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' && {quoted}"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        ["unshare", "-m", "--", "sh", "-c", script],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_read_commands_read_a_store_on_a_read_only_file_system(tmp_path: Path):
    """A data dir on a read-only mount (a live system, a backup): SQLite says it cannot open the
    file there, not that it is read-only, and ``stats`` and ``export-anki`` refused it ("unable
    to open database file") though the same store in a read-only folder is read."""
    db = _with_history(tmp_path / "data")
    exports = tmp_path / "exports"
    exports.mkdir()
    command = [sys.executable, "-m", "tutor", "--decks", str(FIXTURE_DECKS), "--lang", "en"]
    command += ["--data-dir", str(db.parent)]
    done = _on_read_only_mount(db.parent, [*command, "stats", "--json"])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reviews_total"] == len(RATED)
    exported = _on_read_only_mount(db.parent, [*command, "export-anki", str(exports / "c.apkg")])
    assert exported.returncode == 0, exported.stderr
    assert (exports / "c.apkg").exists()
