"""The functions that draw a run's or the stats' secondary text are told its style by every
caller, the theme's own (``Styles.muted``): a default (the dark theme's) would let a caller that
forgot it draw in the wrong theme's style unnoticed. A stream shown with no panel, which knows
no theme, notes its cut in a style with no colour, that reads on any ground."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from tutor.screens.stats import forecast_chart
from tutor.widgets.run_panel import MAX_SHOWN_OUTPUT, RunPanel, StreamedOutput, describe_status


@pytest.mark.parametrize(
    "function", [describe_status, RunPanel.error_text, forecast_chart], ids=lambda f: f.__name__
)
def test_the_muted_style_has_no_default_and_is_named(function: Callable[..., Any]) -> None:
    muted = inspect.signature(function).parameters["muted"]
    assert muted.default is inspect.Parameter.empty
    assert muted.kind is inspect.Parameter.KEYWORD_ONLY


def test_a_stream_shown_without_a_panel_notes_its_cut_in_no_colour() -> None:
    stream = StreamedOutput()
    stream.feed("".join(f"line {n}\n" for n in range(MAX_SHOWN_OUTPUT // 4)))
    notes = [line for line in stream.lines() if "⋯" in line.plain]
    assert len(notes) == 1, [line.plain for line in stream.lines()][:3]
    assert str(notes[0].style) == "italic"  # set apart, in no colour of a theme
