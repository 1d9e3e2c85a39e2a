"""An exercise's starter is read whole in the editor at 80×24, in English and in Chinese: the
editor does not wrap, so a line wider than it is cut at the edge (``# three (E, E`` in lesson
11's multi-head exercise) until the learner scrolls sideways. Exercises QA found cut and fixed
are listed here; add one to hold it to the width too."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import TextArea

from .conftest import make_app, open_exercise

ROOT = Path(__file__).resolve().parents[2]
FIXED = ["l11.ex-mha-by-hand"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("exercise", FIXED)
async def test_the_starter_fits_the_editor_at_80_columns(tmp_path, lang, exercise):
    app = make_app(tmp_path, lang, decks=[ROOT / "lessons"])
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_exercise(pilot, exercise)
        editor = view.query_one(TextArea)
        await pilot.pause()
        assert not editor.soft_wrap
        width = editor.scrollable_content_region.width - editor.gutter_width
        wide = [line for line in editor.text.splitlines() if cell_len(line) > width]
        assert wide == [], f"wider than the editor's {width} columns"
