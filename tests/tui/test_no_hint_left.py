"""``h`` off an exercise's editor always means a hint. With none left it was switched off, and
the letter went into the code as typed-ahead: the QA walk's "esc then h" once more after the
last hint made ``hlayer = nn.Linear(3, 1)`` unseen, and the next check failed on a NameError.
Now the step says no hint is left, and the code stays as it was."""

from __future__ import annotations

import dataclasses

import pytest

from .conftest import SIZE, text_of, wait_for
from .test_exercise_typing_safety import failed_check


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_h_after_the_last_hint_says_so_and_types_nothing(app_factory, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        total = len(view.step.hints)
        for _ in range(total):  # the verdict's way: esc, then h
            await pilot.press("escape", "h")
            await pilot.pause()
        assert view.state.get("hints") == total
        before = editor.text
        await pilot.press("escape", "h")
        await pilot.pause()
        assert editor.text == before
        note = screen.t("ex.no_hint_left", total=total)
        assert note in text_of(view.query_one(".hints")), text_of(view.query_one(".hints"))
        await pilot.press("x")  # other letters still go into the code
        await wait_for(pilot, lambda: editor.text != before)
        assert sorted(editor.text) == sorted(before + "x")  # the x, and no h


async def test_h_on_an_exercise_without_hints_says_it_has_none(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        view.step = dataclasses.replace(view.step, hints=[])
        before = editor.text
        await pilot.press("escape", "h")
        await pilot.pause()
        assert editor.text == before
        assert screen.t("ex.no_hints") in text_of(view.query_one(".hints"))
