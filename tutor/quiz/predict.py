"""Comparing a learner's predicted output with what the snippet really printed."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

_WS = re.compile(r"\s+")
_INT = re.compile(r"-?\d+")
_SHAPE_WRAPPERS = re.compile(r"^(torch\.size|size|shape)\s*", re.IGNORECASE)


def last_line(output: str) -> str:
    """The last non-empty line of some output (what a predict item asks about)."""
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def normalise_exact(text: str) -> str:
    """Whitespace-insensitive form: all whitespace removed, surrounding quotes kept."""
    return _WS.sub("", text)


def parse_shape(text: str) -> tuple[int, ...] | None:
    """A shape from ``torch.Size([4, 2])``, ``(4, 2)``, ``[4,2]``, ``4x2``, ``4, 2`` or ``4``.

    ``torch.Size([])`` and ``()`` are the scalar shape ``()``. Anything else gives ``None``.
    """
    s = text.strip()
    s = _SHAPE_WRAPPERS.sub("", s).strip()
    while len(s) >= 2 and s[0] + s[-1] in ("()", "[]"):
        s = s[1:-1].strip()
    if not s:
        return ()
    parts = [p.strip() for p in re.split(r"[,x×*]", s, flags=re.IGNORECASE)]
    if parts and parts[-1] == "":  # trailing comma: (4,)
        parts = parts[:-1]
    if not parts or not all(_INT.fullmatch(p) for p in parts):
        return None
    return tuple(int(p) for p in parts)


def parse_number(text: str) -> float | None:
    s = text.strip().rstrip(",")
    m = re.fullmatch(r"tensor\((.*?)(,.*)?\)", s)
    if m:
        s = m.group(1).strip()
    try:
        return float(s)
    except ValueError:
        return None


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
    return normalise_exact(answer) == normalise_exact(truth)


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
