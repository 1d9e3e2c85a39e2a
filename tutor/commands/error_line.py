"""An error from the system (a file, a folder, SQLite) as one line a command can print."""

from __future__ import annotations


def error_line(error: BaseException, path: object = None) -> str:
    """An OS or SQLite error in one line. An OS error's file is named unless it is ``path``,
    which the message around it names already (a data folder that is a file: that file)."""
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    filename = getattr(error, "filename", None)
    if filename is not None and str(filename) != str(path):
        text = f"{filename}: {text}"
    return " ".join(str(text).split())
