"""The line under an exercise's hint names the way on from where the focus is (h alone and
shift+tab back from Check, esc then h from the editor, a click or typing from elsewhere), and
it is drawn again as the focus moves: by tab to another button and by a click, not only by the
keys the line names (shift+tab and esc, pinned in test_hints_in_a_row)."""

from __future__ import annotations

import pytest

from .conftest import text_of, wait_for
from .test_exercise_typing_safety import failed_check


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_line_under_a_hint_follows_tab_and_clicks(app_factory, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, view, editor = await failed_check(pilot)
        total = len(view.step.hints)

        def says(key: str) -> bool:
            line = text_of(view.query_one(".hints")).splitlines()[-1]
            return line == screen.t(key, n=2, total=total)

        await pilot.press("escape", "h")  # on Check
        await wait_for(pilot, lambda: says("ex.next_hint_check"))
        await pilot.press("tab")  # on 💡 Hint: no shift+tab back from there
        await wait_for(pilot, lambda: says("ex.next_hint_key"))
        await pilot.click("#editor")  # in the code: h is typed there, esc first
        await wait_for(pilot, lambda: app.focused is editor and says("ex.next_hint"))
        await pilot.click(".step-title")  # on the text around the step
        await wait_for(pilot, lambda: says("ex.next_hint_key"))
        await pilot.click("#check")  # a check, from a click
        await wait_for(pilot, lambda: says("ex.next_hint_check"))
