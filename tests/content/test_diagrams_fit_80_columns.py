"""Every fenced block of every shipped lesson, diagram or code, fits an 80x24 terminal whole, in
English and Chinese.

A fenced block wider than its room is cut at the right edge (the lesson's nav hint then says
"the diagram is cut: tab to it, then ←/→"); QA found the explanatory right-hand column of many
diagrams hidden that way. At 80 columns a step's fence is 70 cells wide, and its text is padded
2 cells on each side, which leaves :data:`DIAGRAM_COLUMNS` for a line. Lines are measured in
terminal cells, as Rich draws them: a CJK character or a full-width ``，（）`` takes two.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Label

from tests.content.test_course import COURSE
from tests.content.test_diagrams import FENCE, markdown_texts
from tests.tui.conftest import make_app, ready, wait_for
from tutor.decks import DeckLibrary
from tutor.paths import shipped_root
from tutor.screens.lesson import LessonScreen
from tutor.widgets.prose import WideFence

SIZE = (80, 24)
DIAGRAM_COLUMNS = 66
"""The widest line a fenced block shows uncut at 80x24 (checked against the app below)."""

LESSONS = ["welcome", *COURSE]
"""Every shipped lesson, by id (a test below keeps the list whole)."""


def too_wide(block: str) -> list[str]:
    return [line for line in block.splitlines() if cell_len(line) > DIAGRAM_COLUMNS]


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_every_fence_fits_80_columns(library: DeckLibrary, lesson_id: str) -> None:
    """Each line of each fence (a diagram, a code block), not only of the diagrams."""
    deck = next(deck for deck in library.lessons if deck.id == lesson_id)
    failures = [
        f"{path}: {cell_len(line)} cells: {line.rstrip()}"
        for path, text in markdown_texts(deck)
        for block in FENCE.findall(text)
        for line in too_wide(block)
    ]
    assert failures == [], "\n".join(failures)


def test_every_shipped_lesson_is_measured(library: DeckLibrary) -> None:
    """A lesson added to the course is measured too: its id belongs in LESSONS."""
    assert sorted(LESSONS) == sorted(deck.id for deck in library.lessons)


async def test_the_width_is_what_a_fence_shows_at_80_columns(tmp_path) -> None:
    """A fence on a lesson step at 80x24 leaves exactly DIAGRAM_COLUMNS for its text."""
    root = shipped_root()
    app = make_app(tmp_path, "en", decks=[root / "lessons", root / "cards"])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        lesson = app.library.lesson("params-buffers")
        step = next(i for i, s in enumerate(lesson.steps) if s.id == "l03.txt-parameter")
        app.open_lesson(lesson.id, step=step)  # a text step with a diagram
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: bool(app.screen.query(WideFence)))
        fence = app.screen.query(WideFence).first()
        label = fence.query_one(Label)
        assert fence.size.width - label.styles.gutter.width == DIAGRAM_COLUMNS
