"""Bilingual comments in deck code: ``# English  #zh: 中文``.

A snippet is one program for both languages (the same tokens on the same lines, so line numbers
in a traceback and the marked error line agree), but its comments are prose for the learner.
A comment may carry its Chinese after ``#zh:``; :func:`localize_comments` shows each comment in
one language. Python ignores comments, so the bilingual source runs exactly like either version.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator

from tutor.i18n import LANGS

ZH_MARK = "#zh:"

# Comment words that read the same in both languages: code (``_parameters``, ``x.to()``,
# ``ValueError``), numbers, arrows, and anything in parentheses (shapes such as ``(N, C)``).
_PARENTHESES = re.compile(r"\([^()]*\)")
_CODE_LIKE = re.compile(r"[_.()\[\]=<>/\d]|[a-z][A-Z]")
_WORD = re.compile(r"[A-Za-z]{2,}")


def comments(code: str) -> Iterator[tokenize.TokenInfo]:
    """The comment tokens of ``code``, as far as it tokenizes (an edit may be half-written)."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                yield token
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return


def split_comment(comment: str) -> tuple[str, str | None]:
    """``("# English", "中文")`` from ``"# English  #zh: 中文"``; ``(comment, None)`` when the
    comment has no Chinese part."""
    english, mark, chinese = comment.partition(ZH_MARK)
    if not mark:
        return comment, None
    return english.rstrip(), chinese.strip()


def localize_comments(code: str, lang: str) -> str:
    """``code`` with every bilingual comment in ``lang`` only (``en`` or ``zh``)."""
    if ZH_MARK not in code:
        return code
    lines = code.split("\n")
    # Right to left within a line keeps the earlier columns valid.
    for token in sorted(comments(code), key=lambda t: t.start, reverse=True):
        english, chinese = split_comment(token.string)
        if chinese is None:
            continue
        shown = f"# {chinese}" if lang == "zh" and chinese else english
        row, start = token.start
        _, end = token.end
        line = lines[row - 1]
        lines[row - 1] = line[:start] + shown + line[end:]
    return "\n".join(lines)


def follow_language(text: str, template: str, lang: str) -> str:
    """``template`` with its comments in ``lang`` while ``text`` is still ``template`` untouched
    (in either language); the learner's own edit otherwise. For an editor that starts from deck
    code and should follow a language switch until someone types in it."""
    return localize_comments(template, lang) if is_untouched(text, template) else text


def is_untouched(text: str, template: str) -> bool:
    """Whether ``text`` is ``template`` as written or with its comments in either language."""
    return text == template or any(text == localize_comments(template, lang) for lang in LANGS)


def needs_translation(comment: str) -> bool:
    """Whether a comment without a ``#zh:`` part holds English words a Chinese learner would
    want translated (``# 0 = padding`` does; ``# -> _parameters`` and ``# (N, C)`` do not)."""
    english, chinese = split_comment(comment)
    if chinese is not None:
        return False
    text = _PARENTHESES.sub(" ", english.lstrip("#"))
    words = [w for w in text.split() if not _CODE_LIKE.search(w)]
    return any(_WORD.search(word) for word in words)


def untranslated_comments(code: str) -> list[tuple[int, int, str]]:
    """(line, column, comment) of each comment of ``code`` that :func:`needs_translation`;
    1-based line, 0-based column, as :mod:`tokenize` counts."""
    return [(*t.start, t.string) for t in comments(code) if needs_translation(t.string)]
