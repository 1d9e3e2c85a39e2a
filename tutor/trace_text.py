"""How a trace's numbers and shapes are written, the same in the TUI's trace view and in
``nn-tutor run --trace``: a learner who meets both reads one notation."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len

from tutor.trace_layout import clip

MISSING = "–"
"""A stat the tracer did not take (shapes-only, or a tensor too large to reduce)."""
SHAPE_CELLS = 28
"""The most cells a shape's text takes: a nested tensor of a batch of 16 listed every component
(about 190 cells), which pushed every stat column out of the table."""


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
    nested tensor's components as :func:`nested_shape_text` writes them; never past
    :data:`SHAPE_CELLS` (clipped with "…"), so that the table keeps its stat columns."""
    if shape is None:
        return MISSING
    if isinstance(shape, (list, tuple)):
        if shape and isinstance(shape[0], (list, tuple)):
            text = nested_shape_text(shape)
        else:
            text = _dims_text([str(d) for d in shape])
        return clip(text, SHAPE_CELLS, keep="start")
    return str(shape)


def _dims_text(dims: Sequence[str]) -> str:
    """Dimensions written as a tuple: ``(2, 3)``, and ``(2,)`` for one."""
    if len(dims) == 1:
        return f"({dims[0]},)"
    return "(" + ", ".join(dims) + ")"


def nested_shape_text(components: Sequence[Sequence[Any]]) -> str:
    """A nested tensor's shape: its components side by side while they fit :data:`SHAPE_CELLS`
    (``(2, 4) (3, 4)``), else how many there are and each dimension's range across them
    (``nested[16](3..17, 64)``): a padded batch's lengths, read at a glance."""
    side_by_side = " ".join(shape_text(component) for component in components)
    if cell_len(side_by_side) <= SHAPE_CELLS or len({len(c) for c in components}) != 1:
        return side_by_side  # components of unlike ranks have no common form: clipped instead
    dims = []
    for sizes in zip(*components, strict=True):
        low, high = min(sizes), max(sizes)
        dims.append(str(low) if low == high else f"{low}..{high}")
    return f"nested[{len(components)}]" + _dims_text(dims)
