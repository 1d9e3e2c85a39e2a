"""A check's message names code as lessons do, but its ``*`` are maths: ``x * 2 * y`` lost both
stars to italics under the lessons' inline Markdown (QA)."""

from __future__ import annotations

from tutor.widgets.inline import inline


def test_code_only_keeps_stars_and_draws_code_spans() -> None:
    text = inline("x * 2 * y should be `out`", style="red", emphasis=False, code_style="bold")
    assert text.plain == "x * 2 * y should be out"
    assert [text.plain[s.start : s.end] for s in text.spans] == ["out"]


def test_lessons_keep_their_emphasis() -> None:
    assert inline("a *word* and **more**", code_style="bold").plain == "a word and more"
