"""Printing under a locale whose encoding cannot hold what nn-tutor says.

A terminal set to ISO-8859-1 or GBK cannot encode emoji, Chinese (ISO-8859-1) or box lines, and
every command printing one ended in a ``UnicodeEncodeError`` traceback, ``--json`` included.
Such characters are written as JSON's escapes (``\\u4e2d``, an emoji as its surrogate pair)
instead: a line stays a line, and ``--json`` output stays valid JSON, whose strings read back
as they were.
"""

from __future__ import annotations

import codecs
import json
import sys

ESCAPE_ERRORS = "nn-tutor-json-escape"


def _json_escapes(error: UnicodeError) -> tuple[str, int]:
    """The codec error handler: each character the encoding cannot hold as JSON escapes it."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return "".join(json.dumps(char)[1:-1] for char in chunk), error.end


codecs.register_error(ESCAPE_ERRORS, _json_escapes)


def escape_what_output_cannot_encode() -> None:
    """Make stdout and stderr escape the characters their encoding cannot hold (see the module's
    docstring), where that encoding is not UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        reconfigure = getattr(stream, "reconfigure", None)
        if not encoding or reconfigure is None:
            continue  # replaced by a test's capture, or closed: not the terminal's
        try:
            utf8 = codecs.lookup(encoding).name == "utf-8"
        except LookupError:
            utf8 = False
        if not utf8:
            reconfigure(errors=ESCAPE_ERRORS)
