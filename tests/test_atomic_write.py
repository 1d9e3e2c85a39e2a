"""``write_text_atomic``: the old file or the new one, never a part, and no litter."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.atomic_write import NEW_FILE_MODE, write_text_atomic


def test_writes_a_new_file_in_a_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "state.json"
    write_text_atomic(target, "{}\r\n中文")
    assert target.read_bytes() == "{}\r\n中文".encode()  # newlines as given
    assert target.stat().st_mode & 0o777 == NEW_FILE_MODE  # not the temporary file's 0o600
    assert os.listdir(target.parent) == ["state.json"]


def test_replaces_a_file_and_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "mine.py"
    target.write_text("old")
    target.chmod(0o640)
    write_text_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch) -> None:
    target = tmp_path / "progress.json"
    target.write_text("old")

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_text_atomic(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["progress.json"]
