"""How a trace's numbers and shapes are written, the same in the TUI's trace view and in
``nn-tutor run --trace``: a learner who meets both reads one notation."""

from __future__ import annotations

import math
from typing import Any

MISSING = "–"
"""A stat the tracer did not take (shapes-only, or a tensor too large to reduce)."""


def stat_text(value: Any) -> str:
    """A stat as wide as a table column allows: three decimals, or ``1.23e+04`` past them.

    An integer tensor's exact min and max come as ints: written as they are, and as a float
    past four digits, so that 19 digits of an int64 never push the columns out."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, int) and abs(value) >= 1e4:
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        if value == 0:
            return "0"
        if abs(value) >= 1e4 or abs(value) < 1e-3:
            return f"{value:.2e}"
        return f"{value:.3f}"
    return str(value)


def shape_text(shape: Any) -> str:
    """``(2, 3)`` as ``torch.Size`` and the lessons write it, ``(2,)`` for one dimension, and a
    nested tensor's components side by side."""
    if shape is None:
        return MISSING
    if isinstance(shape, (list, tuple)):
        if shape and isinstance(shape[0], (list, tuple)):
            return " ".join(shape_text(s) for s in shape)
        if len(shape) == 1:
            return f"({shape[0]},)"
        return "(" + ", ".join(str(d) for d in shape) + ")"
    return str(shape)
