"""``decode_source``: bytes as Python reads them, and ``encode`` puts them back as they were."""

from __future__ import annotations

import pytest

from tutor.python_source import SourceEncoding, decode_source


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbfx = 1\r\nprint(x)\r\n",  # Notepad: BOM and CRLF
        b"# coding: latin-1\nprint('caf\xe9')\n",
        b"x = 1\rprint(x)\r",  # classic Mac line ends
        b"x = 1",  # no line end at all
    ],
    ids=["bom-crlf", "latin-1", "cr", "one-line"],
)
def test_an_untouched_file_is_written_back_byte_for_byte(data: bytes) -> None:
    text, stored_as = decode_source(data)
    assert "\r" not in text and "\ufeff" not in text  # as Python hands source to the compiler
    assert stored_as.encode(text) == data


def test_python_compiles_the_decoded_text_as_it_runs_the_file() -> None:
    text, _ = decode_source(b"\xef\xbb\xbfs = 'caf\xc3\xa9'\r\n")
    scope: dict[str, str] = {}
    exec(compile(text, "<snippet>", "exec"), scope)
    assert scope["s"] == "café"


def test_a_character_the_encoding_lacks_is_refused_not_written_otherwise() -> None:
    with pytest.raises(UnicodeEncodeError):
        SourceEncoding("iso-8859-1").encode("# 中文\n")


@pytest.mark.parametrize(
    ("data", "error"),
    [(b"# coding: klingon\n", SyntaxError), (b"x = 1\ny = '\xff'\n", UnicodeDecodeError)],
)
def test_what_python_would_refuse_raises(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        decode_source(data)
