"""Comparing a learner's predicted output with what the snippet really printed."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation

_WS = re.compile(r"\s+")
# Spaces beside these do not change what a line says: ``[4,2]`` is ``[4, 2]``. Spaces between
# words or numbers do: ``2 5`` is two numbers, ``25`` one.
_SPACE_AT_PUNCTUATION = re.compile(r" ?([,;:=<>()\[\]{}]) ?")
# What a Chinese input method types for ASCII keys that NFKC leaves as they are (NFKC already
# turns full-width ``（）［］，：０-９`` into ASCII), and the typographic minus sign U+2212 (a
# keyboard layout's or an editor's minus), which Python's ``float`` refuses.
_IME_PUNCTUATION = str.maketrans(
    {"【": "[", "】": "]", "《": "<", "》": ">", "。": ".", "“": '"', "”": '"', "‘": "'", "’": "'"}
    | {"\N{MINUS SIGN}": "-"}
)
# A number standing on its own: not part of a name (``fc1``, ``0.weight``), a version (``1.2.3``)
# or a quoted string (``'0'``).
_NUMBER = re.compile(r"""(?<![\w.'"])-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.'"])""")
# A size is never negative (``-1`` is no shape, not a wrong one); longer is no size either (and
# int() refuses more than 4300 digits).
_DIM = re.compile(r"\d{1,18}")
_SHAPE_WRAPPERS = re.compile(r"^(torch\.size|size|shape)\s*[:=]?\s*", re.IGNORECASE)

_DTYPE_ALIASES = {"float": "float32", "double": "float64", "half": "float16", "long": "int64"}
_DTYPE_ALIASES |= {"int": "int32", "short": "int16", "bit": "uint1", "chalf": "complex32"}
_DTYPE_ALIASES |= {"cfloat": "complex64", "cdouble": "complex128"}
_DTYPES = ["bool", "bfloat16", "float16", "float32", "float64", "complex32", "complex64"]
_DTYPES += ["complex128", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2", "float8_e5m2fnuz"]
_DTYPES += ["float8_e8m0fnu", "float4_e2m1fn_x2", "qint8", "qint32", "quint8", "quint2x4"]
_DTYPES += ["quint4x2", "bits8", "bits16", "bits1x8", "bits2x4", "bits4x2"]
_DTYPES += [f"{sign}int{bits}" for sign in ("", "u") for bits in (*range(1, 9), 16, 32, 64)]
DTYPE_PRINTED_AS: dict[str, str] = {name: name for name in _DTYPES} | _DTYPE_ALIASES
"""Each name torch gives a dtype (``torch.long``) and the name torch prints it by (``int64``):
written out, as the UI process does not import torch (a test checks them against torch)."""
# Words a line may print that an answer may spell otherwise: a torch dtype (``torch.int64``,
# typed ``long``, ``torch.long`` or ``int64``) and Python's constants (``False``, typed ``false``).
_SPELT_FREELY = re.compile(
    r"(?<![\w.])(?:torch\.(?P<dtype>\w+)(?![\w.])|(?P<constant>True|False|None)(?!\w))"
)


def last_line(output: str) -> str:
    """The last non-empty line of some output (what a predict item asks about)."""
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def fold_typed(text: str) -> str:
    """``text`` with what a Chinese input method types (full-width digits and ``（4，2）``,
    ``【】``, curly quotes) and a typographic minus as the ASCII a program prints, so such an
    answer is read as typed."""
    return unicodedata.normalize("NFKC", text).translate(_IME_PUNCTUATION)


def _plain_number(found: re.Match[str]) -> str:
    """A number written as its value reads: ``4.``, ``4.0`` and ``4`` as ``4``; ``0.5000`` and
    ``5e-1`` as ``0.5`` (exactly, by decimal value: ``0.333`` is not ``0.3333``)."""
    text = found.group()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    if abs(value.adjusted()) > 30:  # written out, too long to compare as typed
        return text.lower()
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def normalise_exact(text: str) -> str:
    """The form exact answers are compared in: typed characters folded (:func:`fold_typed`), runs
    of whitespace as one space, none at the ends or beside punctuation, and numbers by value
    (torch prints ``tensor([3., 3.])``, Python ``[3.0, 3.0]``; a learner types ``[3, 3]``).
    Spaces between words and numbers still count, so ``2 5`` is not ``25``; surrounding quotes
    are kept, and so are the numbers within them."""
    spaced = _WS.sub(" ", fold_typed(text)).strip()
    return _NUMBER.sub(_plain_number, _SPACE_AT_PUNCTUATION.sub(r"\1", spaced))


def parse_shape(text: str) -> tuple[int, ...] | None:
    """A shape from ``torch.Size([4, 2])``, ``(4, 2)``, ``[4,2]``, ``4x2``, ``4, 2`` or ``4``.

    ``torch.Size([])`` and ``()`` are the scalar shape ``()``; a bare ``shape`` or
    ``torch.Size``, with no brackets, names no shape. A full stop after the answer (``(2, 3).``,
    ``（2，3）。``) is punctuation. Negative sizes are no shape. Anything else gives ``None``.
    """
    s = fold_typed(text).strip().rstrip(".").strip()
    s = _SHAPE_WRAPPERS.sub("", s).strip()
    bracketed = False
    while len(s) >= 2 and s[0] + s[-1] in ("()", "[]"):
        s, bracketed = s[1:-1].strip(), True
    if not s:
        return () if bracketed else None
    parts = [p.strip() for p in re.split(r"[,x×*]", s, flags=re.IGNORECASE)]
    if parts and parts[-1] == "":  # trailing comma: (4,)
        parts = parts[:-1]
    if not parts or not all(_DIM.fullmatch(p) for p in parts):
        return None
    return tuple(int(p) for p in parts)


def parse_number(text: str) -> float | None:
    """A number from ``3``, ``-0.5``, ``1e-3``, ``nan`` or ``tensor(3.)``; ``None`` otherwise."""
    s = fold_typed(text).strip().rstrip(",")
    m = re.fullmatch(r"tensor\((.*?)(,.*)?\)", s)
    if m:
        s = m.group(1).strip()
    try:
        return float(s)
    except ValueError:
        return None


PARSERS: dict[str, Callable[[str], object]] = {"shape": parse_shape, "number": parse_number}
"""The ``match`` kinds that read a value from the printed line, and how: a line that reads as
none can be matched by no answer but itself, word for word (``nn-tutor check`` refuses it)."""


_OPENERS = {"(": ")", "[": "]", "{": "}"}


def _outside_quotes(text: str) -> Iterator[tuple[int, str, int]]:
    """Each character of ``text`` not within quotes, where it is and how many brackets are open
    around it (a bracket itself is outside the pair it makes): ``[1]`` gives ``[`` and ``]`` at
    0 and ``1`` at 1."""
    closers: list[str] = []
    quote = ""
    for at, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
            continue
        if char in "'\"":
            quote = char
        elif closers and char == closers[-1]:
            closers.pop()
        yield at, char, len(closers)
        if char in _OPENERS:
            closers.append(_OPENERS[char])


def _commas_outside_brackets(text: str) -> list[int]:
    """Where ``text`` has a comma outside any bracket or quote: ``2,5`` has one, ``(2,5)`` and
    ``'2,5'`` none."""
    return [at for at, char, depth in _outside_quotes(text) if char == "," and depth == 0]


def _list_items(line: str) -> str | None:
    """What the one list a line prints holds, its brackets dropped (``6,6,6`` for
    ``[6,6,6]``, ``[1],[2]`` for ``[[1],[2]]``, ``tensor(3)`` for ``[tensor(3)]``); ``None``
    for a line that is not one list (``[1] [2]``), an empty one, or one whose only item is a
    list or tuple of its own (``[[1,2]]``, ``[(1,2)]``): typed alone, that item reads as the
    list, a nesting level short. A call's brackets are no nesting: a tensor typed for a list of
    one tensor is its item, as ``1`` is for ``[1.0]``; nor are a complex number's
    (``(1+2j)`` for ``[(1+2j)]``)."""
    if not (line.startswith("[") and line.endswith("]")):
        return None
    outermost = [at for at, _, depth in _outside_quotes(line) if depth == 0]
    items = line[1:-1]
    if outermost != [0, len(line) - 1] or not items:
        return None
    several = bool(_commas_outside_brackets(items))
    item = items.lstrip()
    nested = item.startswith("[") or (item.startswith("(") and _is_tuple(item))
    return items if several or not nested else None


def _is_tuple(item: str) -> bool:
    """Whether ``item``, one printed value that begins with a round bracket, is a tuple: ``()``
    or one with a comma inside its brackets (``(1,)``, ``([1],2)``). Python prints a complex
    number in round brackets too, with no comma there: ``(1+2j)``."""
    closing = next(
        (at for at, char, depth in _outside_quotes(item) if char == ")" and depth == 0),
        len(item),
    )
    inside = item[1:closing]
    return not inside.strip() or bool(_commas_outside_brackets(inside))


def _exact_matches(answer: str, truth: str) -> bool:
    """Whether ``answer`` is ``truth`` as :func:`normalise_exact` compares them, also when the
    learner ended it with a full stop (``True True.``, an input method's ``。``), wrote values
    the line prints apart with commas between them (``2, 5`` for ``2 5``), typed the items of
    a printed list without its brackets (``6, 6, 6`` or ``6 6 6`` for ``[6.0, 6.0, 6.0]``,
    ``1`` for ``[1.0]``: what the questions ask for is the values) or spelt a printed word as
    :func:`_answer_pattern` allows (``half long`` for ``torch.float16 torch.int64``, ``false``
    for ``False``)."""
    printed = normalise_exact(truth)
    items = _list_items(printed)
    if items is None:
        return _typed_as(answer, printed)
    # the items also typed with spaces between them (``6 6 6``), as a line prints values apart
    spaced = normalise_exact(_commas_as_spaces(items))
    return any(_typed_as(answer, line) for line in (printed, items, spaced))


def _commas_as_spaces(text: str) -> str:
    """``text`` with each comma outside brackets and quotes a space: ``6 6 [1,2]`` for
    ``6,6,[1,2]``."""
    commas = set(_commas_outside_brackets(text))
    return "".join(" " if at in commas else char for at, char in enumerate(text))


def _typed_as(answer: str, printed: str) -> bool:
    """Whether ``answer`` is the normalised line ``printed``, forgiving a full stop after it
    and commas between values it prints apart (see :func:`_exact_matches`)."""
    typed = normalise_exact(answer)
    if typed.endswith(".") and not printed.endswith("."):
        typed = typed[:-1].rstrip()
    line = _answer_pattern(printed)
    if not line.fullmatch(typed) and not _commas_outside_brackets(printed):
        typed = normalise_exact(_commas_as_spaces(typed))
    return line.fullmatch(typed) is not None


def _answer_pattern(printed: str) -> re.Pattern[str]:
    """The answers that read as the normalised line ``printed``: itself, with each torch dtype it
    prints also spelt by any name torch gives that dtype, with or without ``torch.``
    (``torch.int64`` as ``long``, never ``int``, which is ``torch.int32``), and Python's
    ``True``, ``False`` and ``None`` in any case. Only those words, and only outside quotes: a
    bare ``float32`` (not torch's dtype) or a quoted ``'True'`` (a string) counts as written."""
    unquoted = {at for at, _, _ in _outside_quotes(printed)}
    pattern, done = [], 0
    for word in _SPELT_FREELY.finditer(printed):
        if word.start() not in unquoted:
            continue
        if word["constant"]:
            spellings = f"(?i:{word['constant']})"
        elif word["dtype"] in DTYPE_PRINTED_AS:
            dtype = DTYPE_PRINTED_AS[word["dtype"]]
            names = sorted(name for name, shown in DTYPE_PRINTED_AS.items() if shown == dtype)
            spellings = rf"(?:torch\.)?(?:{'|'.join(names)})"
        else:  # torch.Tensor, torch.nn: not a dtype
            continue
        pattern += [re.escape(printed[done : word.start()]), spellings]
        done = word.end()
    return re.compile("".join([*pattern, re.escape(printed[done:])]))


def _matches_one(answer: str, truth: str, match: str, rel_tol: float, abs_tol: float) -> bool:
    if match == "shape":
        a, t = parse_shape(answer), parse_shape(truth)
        if a is not None and t is not None:
            return a == t
    elif match == "number":
        a, t = parse_number(answer), parse_number(truth)
        if a is not None and t is not None:
            if math.isnan(a) and math.isnan(t):
                return True
            return math.isclose(a, t, rel_tol=rel_tol, abs_tol=abs_tol)
    return _exact_matches(answer, truth)


def predict_matches(
    answer: str,
    truth: str,
    match: str = "exact",
    accept: Sequence[str] = (),
    *,
    rel_tol: float = 1e-3,
    abs_tol: float = 1e-6,
) -> bool:
    """Whether ``answer`` counts as the printed ``truth`` (or one of the ``accept`` spellings)."""
    if not answer.strip():
        return False
    return any(
        _matches_one(answer, candidate, match, rel_tol, abs_tol)
        for candidate in (truth, *accept)
        if candidate is not None
    )
