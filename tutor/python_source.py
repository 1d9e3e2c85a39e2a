"""A Python source file's bytes as text, decoded as Python decodes them, and back again.

Python reads source as UTF-8 unless a byte-order mark or a ``# coding:`` line (PEP 263) says
otherwise: Windows editors (Notepad) often save a BOM, and older files declare latin-1.
``nn-tutor run`` (a file or stdin) and the sandbox screen read code through :func:`decode_source`,
so a snippet runs the same whichever way it comes in; the sandbox writes an edited file back with
:meth:`SourceEncoding.encode`, as it was stored.
"""

from __future__ import annotations

import io
import os
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

from tutor.atomic_write import refuse_unless_regular
from tutor.error_line import error_line
from tutor.i18n import Lang, tr

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class SourceEncoding:
    """How a source file's text was stored as bytes, to write it back the same way.

    ``encoding`` is the codec :func:`tokenize.detect_encoding` names: ``utf-8-sig`` for a file
    that starts with a BOM (encoding writes the BOM again), ``iso-8859-1`` for a
    ``# coding: latin-1`` line. ``newline`` is the file's first line ending; a file that mixes
    them is written back with that one throughout.
    """

    encoding: str = "utf-8"
    newline: str = "\n"

    def encode(self, text: str) -> bytes:
        """``text``, its lines ended by ``\\n`` as an editor holds them, as this file's bytes.
        Raises :class:`UnicodeEncodeError` for a character the encoding has no bytes for (中 in a
        latin-1 file): written in another encoding, the file would contradict its coding line."""
        return text.replace("\n", self.newline).encode(self.encoding)


def decode_source(data: bytes) -> tuple[str, SourceEncoding]:
    """The text of Python source ``data`` (BOM dropped, line endings made ``\\n``, as Python
    reads a file), and how it was stored. Raises ``SyntaxError`` for an unknown or contradictory
    coding line and ``UnicodeDecodeError`` for bytes the encoding does not allow, as Python
    would refuse to run them."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    text = data.decode(encoding)
    first_end = _LINE_END.search(text)
    newline = first_end.group() if first_end else "\n"
    return _LINE_END.sub("\n", text), SourceEncoding(encoding, newline)


UNREADABLE_SOURCE = (OSError, UnicodeDecodeError, SyntaxError)
"""What reading a source file may raise: the file (OSError), bytes its encoding does not allow,
a coding line Python does not know (SyntaxError)."""


def read_source_bytes(path: str | Path) -> bytes:
    """The bytes of the file at ``path``; a FIFO, a device or a socket is refused
    (:class:`~tutor.atomic_write.NotRegularFileError`), not read: reading a FIFO waits for a
    writer, and the app would hang before its first frame."""
    refuse_unless_regular(os.stat(path).st_mode, Path(path))
    return Path(path).read_bytes()


def read_source(path: str | Path) -> tuple[str, SourceEncoding]:
    """The file at ``path`` as :func:`decode_source` reads it; raises one of
    :data:`UNREADABLE_SOURCE`."""
    return decode_source(read_source_bytes(path))


def source_error_line(error: BaseException, path: object, lang: Lang | str) -> str:
    """Why a source file could not be read (one of :data:`UNREADABLE_SOURCE`) or written (a
    character its encoding cannot hold), in one line in ``lang``: the system's reason, or what
    is wrong with the encoding, which Python says in English only ("invalid or missing encoding
    declaration", "'latin-1' codec can't encode character '\\u2192' in position 147")."""
    if isinstance(error, UnicodeDecodeError):  # its line: an offset would be the codec's
        line = bytes(error.object[: error.start]).count(b"\n") + 1
        return tr("sandbox.source_bad_bytes", lang, encoding=error.encoding, line=line)
    if isinstance(error, UnicodeEncodeError):
        line = error.object[: error.start].count("\n") + 1
        char = error.object[error.start : error.end]
        return tr("sandbox.source_cannot_hold", lang, encoding=error.encoding, char=char, line=line)
    if isinstance(error, SyntaxError):  # from detect_encoding: the file's coding line
        if (error.msg or "").startswith("invalid or missing encoding declaration"):
            return tr("sandbox.source_not_utf8", lang)
        return tr("sandbox.source_coding", lang, reason=error.msg)
    return error_line(error, path, lang)


def unreadable_source_line(
    error: BaseException, path: object, lang: Lang | str, *, named: object = None
) -> str:
    """What a command says of a source it could not read, in one line: "cannot read PATH: why"
    (:func:`source_error_line`), PATH shown as ``named`` where it is no file's name (``-``,
    standard input)."""
    reason = source_error_line(error, path, lang)
    return tr("sandbox.file_missing", lang, path=path if named is None else named, reason=reason)
