"""Writing a small text file so that a crash leaves the old contents or the new, never a part."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

NEW_FILE_MODE = 0o644


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path``.

    The text goes to a temporary file in the same folder, is flushed to disk and then renamed over
    ``path``, which is atomic on POSIX and Windows: a reader, a crash or a full disk sees the old
    file or the new one. An existing file keeps its permissions; a new one gets ``0o644`` (a
    temporary file is created private). Raises ``OSError`` when the folder cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        mode = path.stat().st_mode if path.exists() else NEW_FILE_MODE
        os.chmod(temp, mode & 0o7777)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
