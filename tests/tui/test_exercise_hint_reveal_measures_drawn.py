"""h after a failed check scrolls the lesson to the hint just taken and the check's reason under
it, measured on the hints and the verdict as drawn: each hint in turn, and in a terminal too
short for the hints taken and the reason at once. Where the new hint and the reason fit, both
show (measured from the first hint instead, the reason went below the fold); where they do not,
the new hint's first row is the top one (measured from the note under it, the hint scrolled off
above)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import TextArea

from tutor.i18n import tr
from tutor.widgets.scrolling_ancestor import scrolling_ancestor
from tutor.widgets.step_base import spaced

from .conftest import FakeSandbox, drawn, make_app, open_exercise, wait_for
from .test_exercise_hint_keeps_reason_in_view import EXERCISE, LESSONS, REASON, failing


@pytest.mark.parametrize("size", [(80, 24), (60, 18), (60, 13)])
async def test_each_hint_taken_comes_into_view_with_the_reason_or_first(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, "en", sandbox=FakeSandbox(failing), decks=[LESSONS])
    async with app.run_test(size=size) as pilot:
        view = await open_exercise(pilot, EXERCISE)
        view.query_one(TextArea).focus()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: view.state.get("verdict") == "fail")
        reason = spaced(tr("ex.failed", "en")) + REASON["en"]  # "❌ Not yet: why"
        await wait_for(pilot, lambda: reason in drawn(app))
        total = len(view.step.hints)
        await pilot.press("escape")  # off the editor, onto Check
        area = scrolling_ancestor(view)
        assert area is not None
        for number in range(1, total + 1):
            await pilot.press("h")
            await wait_for(pilot, lambda taken=number: view.hints_shown == taken)
            for _ in range(3):  # the scroll follows after the hint's refresh
                await pilot.pause()
            rows = drawn(app).splitlines()
            label = tr("ex.hint_n", "en", n=number, total=total)
            label_rows = [y for y, row in enumerate(rows) if label in row]
            assert label_rows, rows  # the hint just taken
            hint_first = label_rows[0] == area.content_region.y
            assert any(reason in row for row in rows) or hint_first, rows
