"""How a trace writes a shape and a stat, in the TUI trace view and in `nn-tutor run --trace`."""

from __future__ import annotations

import pytest

from tutor.trace_text import shape_text


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


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3, "3"),  # an integer tensor's min and max are exact ints now
        (-1234, "-1234"),
        (10**18, "1.00e+18"),  # as wide as a float's stat, not 19 digits pushing columns out
        (-(2**63), "-9.22e+18"),
        (0.5, "0.500"),
        (12345.6, "1.23e+04"),
    ],
)
def test_a_stat_is_written_as_wide_as_a_float_is(value, text):
    from tutor.trace_text import stat_text

    assert stat_text(value) == text
