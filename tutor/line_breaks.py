"""Chinese line breaking for Rich and Textual.

Rich breaks lines only at spaces, and Textual borrows Rich's wrapper for its ``Content`` (so for
``Static``, ``Markdown`` and toasts). Chinese prose has almost no spaces, so a paragraph wraps at
whichever few it has: a run of Chinese that does not fit the rest of a line jumps whole to the
next one and leaves a ragged half-empty line behind, and a run wider than the screen is cut at
the edge, inside an English word (``D|ropout``) or before a comma as readily as anywhere.

Chinese typesetting may break between any two ideographs, except before closing punctuation
(``，。）``) and after opening punctuation (``（“``). :func:`install` teaches Rich's word splitter
exactly that: each ideograph is a word of its own, carrying any opening marks before it and
closing marks after it, while runs of Latin letters and code stay whole. Text without CJK
characters splits into the same words as before.

The splitter is Rich's private ``rich._wrap.re_word``, read on every call; :func:`install`
replaces it and says whether it could, and a test pins the behaviour on the installed Rich.

Markdown has the opposite trouble: a paragraph written over several lines joins them with a
space, which Chinese does not use (``了。 今天``). :func:`east_asian_markdown` is a Markdown
parser that drops such a line break where Chinese has no space (:func:`joins_without_space`),
as Pandoc's ``east_asian_line_breaks`` does. YAML's folded scalars (``>``) join their lines
with a space too, before any Markdown sees them; :func:`join_folded_lines` takes out the same
spaces there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

# Ideographs and kana: a line may break before and after each one. (Korean, which breaks at
# spaces as English does, is left to Rich.)
_IDEOGRAPHS = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3040-\u309f\u30a1-\u30fa\u3100-\u312f"
    "\u31a0-\u31bf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
# Full-width punctuation: a line may break after a closing mark and before an opening one.
_CJK_CLOSING = "，。、；：！？）」』】〕〉》〗〙〛｝］％ー・\uff0e\uff61\uff64"
_CJK_OPENING = "（「『【〔〈《〖〘〚｛［"
# Marks shared with Western text. Next to an ideograph they stay with it (never opening or
# closing a line); elsewhere they are ordinary letters of a word, so English wraps as before.
# ASCII ``.,;:!?`` are not among them: Chinese prose has its own, so after an ideograph they
# begin code (``用.to(device)``), which must not lose its dot to the line before.
_SHARED_CLOSING = r"…—”’·)\]}%"
_SHARED_OPENING = r"“‘(\[{"

_IDEOGRAPH = f"[{_IDEOGRAPHS}]"
# A letter of a run that is not Chinese: anything but space, ideographs and full-width marks,
# except a shared opening mark that belongs to the ideograph right after it.
_LETTER = (
    rf"(?:[^\s{_IDEOGRAPHS}{_CJK_OPENING}{_CJK_CLOSING}{_SHARED_OPENING}]"
    rf"|[{_SHARED_OPENING}](?![{_SHARED_OPENING}]*{_IDEOGRAPH}))"
)

CJK_WORD = re.compile(
    rf"\s*(?:[{_CJK_OPENING}{_SHARED_OPENING}]*{_IDEOGRAPH}[{_CJK_CLOSING}{_SHARED_CLOSING}]*"
    rf"|[{_CJK_OPENING}]*{_LETTER}+[{_CJK_CLOSING}]*"
    rf"|[{_CJK_OPENING}{_CJK_CLOSING}{_SHARED_OPENING}]+)\s*"
)
"""One word for Rich's wrapper: leading space; then an ideograph with the marks bound to it, a
run of other letters (code, English) with the full-width marks bound to it, or stray marks;
then trailing space. Every non-space character falls in some alternative, so the words tile the
text as Rich's own ``\\s*\\S+\\s*`` does, and text with no CJK character splits exactly as
it did."""


def install() -> bool:
    """Make Rich (and Textual through it) wrap Chinese as Chinese typesetting does. Idempotent;
    ``False`` if this Rich has no word splitter to replace (the text then wraps at spaces only)."""
    try:
        from rich import _wrap
    except ImportError:
        return False
    if not isinstance(getattr(_wrap, "re_word", None), re.Pattern):
        return False
    _wrap.re_word = CJK_WORD
    return True


def east_asian_markdown() -> MarkdownIt:
    """Textual's Markdown parser ("gfm-like"), joining the lines of a paragraph without a space
    where Chinese has none (:func:`joins_without_space`). Code is never touched."""
    from markdown_it import MarkdownIt

    return with_east_asian_line_breaks(MarkdownIt("gfm-like"))


def with_east_asian_line_breaks(parser: MarkdownIt) -> MarkdownIt:
    """Add the rule of :func:`east_asian_markdown` to ``parser`` (for the Anki export's HTML)."""
    parser.core.ruler.push("east_asian_line_breaks", _join_east_asian_lines)
    return parser


_IDEOGRAPH_CHARACTER = re.compile(_IDEOGRAPH)
# Full-width punctuation: no space on either side of it, whatever the neighbour.
_CJK_MARKS = _CJK_OPENING + _CJK_CLOSING
# The shared marks that are not ASCII (— … “ ” ‘ ’ ·): beside an ideograph they are Chinese.
_SHARED_PROSE_MARKS = "".join(c for c in _SHARED_OPENING + _SHARED_CLOSING if not c.isascii())


def joins_without_space(before: str, after: str) -> bool:
    """Whether a line break between ``before`` (the last character of a line) and ``after`` (the
    first of the next) disappears, as Chinese typesetting has it, rather than becoming a space:
    beside full-width punctuation (``切片），⏎ModuleList``), between two ideographs, and between
    an ideograph and a mark Chinese shares with English (``配电盘——⏎以及``). Between Chinese
    and a Latin word, and in English or Korean, the space stays."""
    if not before or not after:
        return False
    if before in _CJK_MARKS or after in _CJK_MARKS:
        return True
    ideographs = (_IDEOGRAPH_CHARACTER.match(before), _IDEOGRAPH_CHARACTER.match(after))
    chinese = (
        ideographs[0] or before in _SHARED_PROSE_MARKS,
        ideographs[1] or after in _SHARED_PROSE_MARKS,
    )
    return all(chinese) and any(ideographs)


def join_folded_lines(value: str, source: Iterable[str]) -> str:
    """``value``, a YAML folded scalar (``>``), without the spaces folding put where Chinese has
    none (see :func:`joins_without_space`). ``source`` is the scalar's lines as written (more
    may follow): a fold is only where one of them ends and the next begins, so a space the author
    typed inside a line (in code, in Korean) stays."""
    kept, start, position = [], 0, 0
    for line in source:
        text = line.strip()
        if not text:
            continue
        found = value.find(text, position)
        if found < 0:
            break  # past the scalar's end (the lines that follow it), or not a line of it
        position = found + len(text)
        if value[position : position + 1] == " " and joins_without_space(
            value[position - 1], value[position + 1 : position + 2]
        ):
            kept.append(value[start:position])
            start = position = position + 1  # the fold's space is left out
    kept.append(value[start:])
    return "".join(kept)


def _join_east_asian_lines(state: StateCore) -> None:
    for token in state.tokens:
        children = token.children or []
        for index, child in enumerate(children):
            if child.type != "softbreak":
                continue
            before = _edge_character(reversed(children[:index]), last=True)
            after = _edge_character(children[index + 1 :], last=False)
            if joins_without_space(before, after):
                child.type, child.content = "text", ""


def _edge_character(tokens: Iterable[Token], *, last: bool) -> str:
    """The character of inline text nearest a line break, looking past markup (``**``) that has
    no text of its own; ``""`` at the paragraph's edge."""
    for token in tokens:
        if token.content:
            return token.content[-1] if last else token.content[0]
        if token.type in ("softbreak", "hardbreak"):
            return ""
    return ""
