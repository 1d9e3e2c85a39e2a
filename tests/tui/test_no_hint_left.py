"""``h`` off an exercise's editor always means a hint. With none left it was switched off, and
the letter went into the code as typed-ahead: the QA walk's "esc then h" once more after the
last hint made ``hlayer = nn.Linear(3, 1)`` unseen, and the next check failed on a NameError.
Now the step says no hint is left, and the code stays as it was."""

from __future__ import annotations

import dataclasses
from typing import Any

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


async def no_hint_left_said(pilot: Any) -> tuple[Any, Any, Any, str]:
    """A failed check, every hint taken, then esc and h: the lesson, the step's view, its
    editor and the note it shows under the hints."""
    screen, view, editor = await failed_check(pilot)
    view.show_hints_taken(len(view.step.hints))
    await pilot.press("escape", "h")
    await pilot.pause()
    note = screen.t("ex.no_hint_left", total=len(view.step.hints))
    assert note in text_of(view.query_one(".hints"))
    return screen, view, editor, note


@pytest.mark.parametrize("act", ["check", "edit"])
async def test_the_note_goes_with_the_learners_next_act(app_factory, act):
    """Said of the h just pressed, the note does not outlast a new check (under its verdict it
    read as said of that check) nor an edit of the code."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        _, view, editor, note = await no_hint_left_said(pilot)
        editor.focus()
        await pilot.pause()
        if act == "check":
            attempts = view.state["attempts"]
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: view.state.get("attempts") == attempts + 1)
        else:
            await pilot.press("x")
            await wait_for(pilot, lambda: "x" in editor.text)
        await pilot.pause()
        assert note not in text_of(view.query_one(".hints"))


async def test_the_note_is_said_again_after_f2(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen, view, _, _ = await no_hint_left_said(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: screen.step_view not in (view, None))
        await pilot.pause()
        shown = screen.step_view
        note = shown.t("ex.no_hint_left", total=len(shown.step.hints))
        assert note in text_of(shown.query_one(".hints"))
