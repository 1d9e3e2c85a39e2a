"""Crash safety on real processes: kill -9 mid-write, and two writers at once."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS

WRITER = Path(__file__).with_name("writer.py")


def _spawn(data_dir: Path, count: int, tag: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), str(data_dir), str(FIXTURE_DECKS), str(count), tag],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line == "ready", proc.stderr.read() if proc.stderr else line
    return proc


def _go(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()


def _counts(db: Path) -> tuple[int, int]:
    """(reviews, attempts) after checking the file is sound and internally consistent."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # a rating's card update and its review row are one transaction: they always agree
        mismatched = conn.execute(
            "SELECT count(*) FROM cards c WHERE c.last_ms IS NOT "
            "(SELECT max(at_ms) FROM reviews r WHERE r.card_id = c.id)"
        ).fetchone()[0]
        assert mismatched == 0
        reviews = conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
        attempts = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
        return reviews, attempts
    finally:
        conn.close()


def _writes(acked: int) -> tuple[int, int]:
    """(ratings, quiz attempts) among a writer's first ``acked`` writes: every third is a quiz."""
    return acked - acked // 3, acked // 3


@pytest.mark.slow
def test_kill_9_loses_at_most_the_write_in_flight(tmp_path: Path):
    data_dir = tmp_path / "data"
    db = data_dir / "progress.sqlite3"
    rng = random.Random(4)
    reviews, attempts = 0, 0
    for _round in range(6):
        proc = _spawn(data_dir, 0, "k")
        assert proc.stdout is not None
        _go(proc)
        stop_after = rng.randint(5, 120)
        acked = 0
        for line in proc.stdout:
            acked = int(line)
            if acked >= stop_after:
                break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        for line in proc.stdout:  # everything it acknowledged before it died
            acked = int(line)
        new_reviews, new_attempts = _writes(acked)
        want = (reviews + new_reviews, attempts + new_attempts)
        reviews, attempts = _counts(db)
        # every acknowledged write is there; at most the one in flight landed unacknowledged
        assert reviews >= want[0] and attempts >= want[1], (acked, want, reviews, attempts)
        assert (reviews - want[0]) + (attempts - want[1]) <= 1


@pytest.mark.slow
def test_two_writers_at_once(tmp_path: Path):
    data_dir = tmp_path / "data"
    writers = [_spawn(data_dir, 150, tag) for tag in ("a", "b")]
    for proc in writers:
        _go(proc)
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.split()[-1] == "150"
    assert _counts(data_dir / "progress.sqlite3") == (2 * 100, 2 * 50)
