"""Writing a file so that a crash leaves the old contents or the new, never a part."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

_TEMP_NAME_TRIES = 100


@contextlib.contextmanager
def replacing(path: Path, *, make_folder: bool = False) -> Iterator[Path]:
    """A temporary file beside ``path`` for the new contents, renamed over ``path`` when the block
    ends (removed, ``path`` untouched, when it raises).

    The file is flushed to disk before the rename, which is atomic on POSIX and Windows: a reader,
    a crash or a full disk sees the old file or the new one. A symlink is written through, as
    ``open(path, "w")`` would: its target gets the new contents and the link stays. An existing
    file keeps its permissions; a new one gets what ``open`` would give it (``0o666`` less the
    umask). Raises ``OSError`` when the folder cannot be written, and ``PermissionError`` for a
    file marked read-only (no write bit), as ``open`` would.

    A folder that does not exist is made only with ``make_folder`` (nn-tutor's own data folder):
    a path the learner typed with a slip in a folder's name raises ``FileNotFoundError``, as
    ``open`` would, rather than leave the file in a new folder nobody looks in.
    """
    # The rename replaces whatever sits at its destination: the link itself, were it not resolved.
    target = Path(os.path.realpath(path))
    if make_folder:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _naming(path):  # a folder in the path that is a file: the path as given
            found = target.stat()
    except FileNotFoundError:
        kept_mode: int | None = None
    else:
        refuse_unless_regular(found.st_mode, path)
        if not found.st_mode & 0o222:  # read-only: the rename would replace it all the same
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        kept_mode = found.st_mode & 0o7777
    # An existing file's new contents stay private until they get its mode; a new file is created
    # as open() creates one, so the umask (and a folder's default ACL) applies.
    with _naming(path):
        temp = _new_file_beside(target, 0o600 if kept_mode is not None else 0o666)
    try:
        with _naming(path):  # the caller's writes to the temporary too (a full disk, say)
            yield temp
            with open(temp, "rb+") as written:
                os.fsync(written.fileno())
            if kept_mode is not None:
                os.chmod(temp, kept_mode)
            os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


class NotRegularFileError(OSError):
    """The path is a device, a FIFO or a socket (a folder raises ``IsADirectoryError``): renaming
    a file over it would put the file in its place (a device node replaced by a plain file, for
    root)."""

    reason_key = "os.not_regular"  # its words in the learner's language (tutor/error_line.py)


def refuse_unless_regular(mode: int, path: Path) -> None:
    """Raise unless ``mode`` (a stat's) is a regular file's: reading a FIFO blocks until
    another program writes to it, and writing over a device replaces it."""
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(mode):
        raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """An OS error raised inside names ``path``, the file asked for, rather than the hidden
    temporary beside it, which a learner would look for in vain; one that names no file (a
    write to a full disk: ``ENOSPC``) names it too, or the learner is not told which file was
    not saved. One with no error number is not the system's and is left as it is."""
    try:
        yield
    except OSError as exc:
        if exc.errno is None or str(exc.filename) == str(path):
            raise
        raise type(exc)(exc.errno, exc.strerror, str(path)) from exc


def _new_file_beside(target: Path, mode: int) -> Path:
    """A new empty file with a hidden unused name in ``target``'s folder, created with ``mode``
    less the umask.

    The kernel applies the umask as the file is created, as for ``open``: reading the umask
    instead would mean ``os.umask`` (set and put back, process-wide, a race with other threads)
    or ``/proc/self/status`` (Linux only), and would still miss a default ACL.
    ``tempfile.mkstemp`` always creates ``0o600``, hence this.
    """
    for _ in range(_TEMP_NAME_TRIES):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        os.close(fd)
        return temp
    raise FileExistsError(errno.EEXIST, "no unused temporary file name", str(target.parent))


def write_bytes_atomic(path: Path, data: bytes, *, make_folder: bool = False) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old contents or the new (see
    :func:`replacing`)."""
    with replacing(path, make_folder=make_folder) as temp:
        temp.write_bytes(data)


def write_text_atomic(path: Path, text: str, *, make_folder: bool = False) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` so that a crash leaves the old
    contents or the new (see :func:`replacing`)."""
    write_bytes_atomic(path, text.encode("utf-8"), make_folder=make_folder)
