"""``write_text_atomic``: the old file or the new one, never a part, and no litter."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.atomic_write import replacing, write_bytes_atomic, write_text_atomic


def test_writes_a_new_file_in_a_new_folder_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "state.json"
    old = os.umask(0o022)
    try:
        write_text_atomic(target, "{}\r\n中文", make_folder=True)
    finally:
        os.umask(old)
    assert target.read_bytes() == "{}\r\n中文".encode()  # newlines as given
    assert target.stat().st_mode & 0o777 == 0o644  # not the temporary file's 0o600
    assert os.listdir(target.parent) == ["state.json"]


def test_a_folder_that_does_not_exist_is_not_made_unasked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path typed with a slip in a folder's name (``Dowloads/cards.apkg``) made that folder
    and wrote the file there, far from where the learner looks; a folder in the path that is a
    file said "File exists". Both are refused as ``open`` refuses them, naming the path."""
    typo = tmp_path / "Dowloads" / "deep" / "cards.apkg"
    with pytest.raises(FileNotFoundError) as raised:
        write_bytes_atomic(typo, b"zip")
    assert raised.value.filename == str(typo)
    assert not (tmp_path / "Dowloads").exists()
    (tmp_path / "notes").write_text("mine")
    monkeypatch.chdir(tmp_path)  # the path as typed, relative: named so, not resolved
    with pytest.raises(NotADirectoryError) as raised:
        write_text_atomic(Path("notes") / "cards.apkg", "x")
    assert raised.value.filename == str(Path("notes") / "cards.apkg")
    assert (tmp_path / "notes").read_text() == "mine"


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


def test_a_new_file_gets_the_umask_as_open_would(tmp_path: Path) -> None:
    """A learner with ``umask 077`` gets a private file, as from any other program."""
    old = os.umask(0o077)
    try:
        write_text_atomic(tmp_path / "private.txt", "secret")
        with replacing(tmp_path / "deck.apkg") as temp:
            temp.write_bytes(b"zip")
    finally:
        os.umask(old)
    assert (tmp_path / "private.txt").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "deck.apkg").stat().st_mode & 0o777 == 0o600


def test_writing_through_a_symlink_replaces_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "model.py"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "model.py"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and link.readlink() == real
    assert real.read_text() == "new"
    assert real.stat().st_mode & 0o777 == 0o640  # the target's permissions kept
    assert os.listdir(real.parent) == ["model.py"]  # the temporary file was beside the target


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    """As ``open(link, "w")`` would: the link is kept and now points at a file."""
    (tmp_path / "out").mkdir()
    link = tmp_path / "deck.apkg"
    link.symlink_to(tmp_path / "out" / "deck.apkg")
    with replacing(link) as temp:
        temp.write_bytes(b"zip")
    assert link.is_symlink()
    assert (tmp_path / "out" / "deck.apkg").read_bytes() == b"zip"


def test_bytes_are_written_as_given(tmp_path: Path) -> None:
    target = tmp_path / "win.py"
    write_bytes_atomic(target, b"\xef\xbb\xbfx = 1\r\n")
    assert target.read_bytes() == b"\xef\xbb\xbfx = 1\r\n"


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_what_is_not_a_regular_file_is_refused_and_left_in_place(tmp_path: Path, kind) -> None:
    """Renaming over a device, a FIFO or a folder would put a file in its place (QA, as root:
    ``export-anki /dev/full`` said it succeeded and left a plain file where the device was).
    Refused, naming the path given, with words the learner's language has."""
    from tutor.error_line import error_line

    target = tmp_path / "special"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    with pytest.raises(OSError) as raised:
        write_text_atomic(target, "data")
    assert raised.value.filename == str(target)
    said = error_line(raised.value, lang="zh")
    assert str(target) in said and said.isascii() is False, said  # worded in Chinese
    assert "regular" not in said.replace(str(target), ""), said
    assert target.is_fifo() if kind == "fifo" else target.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["special"]


def test_an_error_names_the_file_asked_for_not_the_temporary() -> None:
    """A folder that cannot take a new file (``/proc``, even for root): the error names the path
    given, as ``open`` would (QA: it named the hidden ``/proc/.out.apkg.1a2b3c4d.tmp``, a file a
    learner would look for in vain)."""
    if not Path("/proc/self").exists():
        pytest.skip("needs Linux's /proc")
    target = Path("/proc/nn-tutor-out.apkg")
    with pytest.raises(OSError) as raised:
        write_bytes_atomic(target, b"x")
    assert raised.value.filename == str(target) and ".tmp" not in str(raised.value)


def test_a_failed_write_by_the_caller_names_the_file_asked_for(tmp_path: Path) -> None:
    """An error while the caller writes the new contents (a full disk) names the file asked for
    too, not the temporary it was writing."""
    target = tmp_path / "out.apkg"
    with pytest.raises(OSError) as raised, replacing(target) as temp:
        raise OSError(28, "No space left on device", str(temp))
    assert raised.value.filename == str(target)
    assert os.listdir(tmp_path) == []


def test_a_file_marked_read_only_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """The rename replaces a file whatever its mode: ctrl+s wrote over a file marked read-only
    and said it had saved, where ``open(path, "w")`` (and editors) refuse."""
    target = tmp_path / "frozen.py"
    target.write_text("x = 1\n")
    target.chmod(0o444)
    with pytest.raises(PermissionError) as raised:
        write_text_atomic(target, "y = 2\n")
    assert raised.value.filename == str(target)
    assert target.read_text() == "x = 1\n" and os.listdir(tmp_path) == ["frozen.py"]
