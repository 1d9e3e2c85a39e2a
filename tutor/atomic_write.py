"""Writing a file so that a crash leaves the old contents or the new, never a part."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

NEW_FILE_MODE = 0o644


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` for the new contents, renamed over ``path`` when the block
    ends (removed, ``path`` untouched, when it raises).

    The file is flushed to disk before the rename, which is atomic on POSIX and Windows: a reader,
    a crash or a full disk sees the old file or the new one. An existing file keeps its
    permissions; a new one gets ``0o644`` (a temporary file is created private). Raises
    ``OSError`` when the folder cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as written:
            os.fsync(written.fileno())
        mode = path.stat().st_mode if path.exists() else NEW_FILE_MODE
        os.chmod(temp, mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` so that a crash leaves the old
    contents or the new (see :func:`replacing`)."""
    with replacing(path) as temp, open(temp, "w", encoding="utf-8", newline="") as out:
        out.write(text)
