"""An error from the system (a file, a folder, SQLite) as one line a command can print."""

from __future__ import annotations

import errno
import os

from tutor.i18n import Lang, tr

REASON_KEYS = {
    errno.ENOENT: "os.enoent",
    errno.EACCES: "os.eacces",
    errno.EPERM: "os.eperm",
    errno.EEXIST: "os.eexist",
    errno.ENOTDIR: "os.enotdir",
    errno.EISDIR: "os.eisdir",
    errno.EROFS: "os.erofs",
    errno.ENOSPC: "os.enospc",
}
"""The OS errors a learner meets with files and folders -> their words in the catalog: the
system says them in English whatever the learner's language."""


def error_line(error: BaseException, path: object = None, lang: Lang | str | None = None) -> str:
    """An OS or SQLite error in one line. An OS error's file is named unless it is ``path``,
    which the message around it names already (a data folder that is a file: that file). With
    ``lang``, the common OS errors, and nn-tutor's own that carry a ``reason_key`` (with its
    ``reason_values``), are said in that language."""
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    # a reason of nn-tutor's own first (NotRegularFileError, MovedAsideError)
    key = getattr(error, "reason_key", None)
    if key is None and isinstance(error, OSError):
        key = REASON_KEYS.get(error.errno or 0)
    if lang is not None and key is not None:
        text = tr(key, lang, **getattr(error, "reason_values", {}))
    filename = getattr(error, "filename", None)
    if filename is not None and not _same_path(filename, path):
        text = f"{filename}: {text}"
    return " ".join(str(text).split())


def _same_path(filename: object, path: object) -> bool:
    """Whether the OS named ``path`` itself, as typed or as it normalizes (``afolder/`` is
    named ``afolder``): the message around it names it already."""
    return path is not None and os.path.normpath(str(filename)) == os.path.normpath(str(path))
