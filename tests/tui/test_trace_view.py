"""How the trace table writes a tensor's shape."""

from __future__ import annotations

import pytest

from tutor.widgets.trace_view import shape_text


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        ([], "()"),
        ([2], "(2,)"),  # a 1-tuple, as Python and the lessons write it
        ([2, 3], "(2, 3)"),
        ([[2], [3, 4]], "(2,) (3, 4)"),  # a nested tensor: its components side by side
        (None, "–"),
    ],
)
def test_shape_text(shape, text):
    assert shape_text(shape) == text
