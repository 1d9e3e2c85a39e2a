"""An exercise's hints taken one after another, as QA took them (lesson 08, 80×24): a failed
check, esc, then h, h, h. The first hint put the focus back in the editor, so the next two h's
were typed into the code (``hhclass PositionalBias``) and the next check failed for them. And the
habit the line under a hint taught, "esc, then h", went on after the last hint: that esc closed
the lesson mid-exercise. Now a hint leaves the focus where it was, off the editor (h again is the
next hint; shift+tab from Check, or typing, is the way back to the code, as the line says), and
the esc right after a hint asks before it closes the lesson."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest
from textual.keys import _character_to_key
from textual.widgets import Button

from tutor.screens.lesson import LessonScreen

from .conftest import HANG, text_of, wait_for
from .test_exercise_typing_safety import failed_check

SIZE = (80, 24)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_h_pressed_again_and_again_shows_each_hint_then_says_none_is_left(app_factory, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        total = len(view.step.hints)
        before = editor.text
        await pilot.press("escape")  # off the editor, as the verdict says
        await pilot.pause()
        check = view.query_one("#check", Button)
        for taken in range(1, total + 1):
            await pilot.press("h")
            await pilot.pause()
            assert view.state.get("hints") == taken
            assert app.focused is check  # the next h is a hint too, not a letter in the code
            hints = text_of(view.query_one(".hints"))
            assert screen.t("ex.hint_n", n=taken, total=total) in hints, hints
        await pilot.press("h")
        await pilot.pause()
        assert screen.t("ex.no_hint_left", total=total) in text_of(view.query_one(".hints"))
        assert editor.text == before


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_from_check_the_line_under_a_hint_names_shift_tab_and_it_leads_to_the_code(
    app_factory, lang
):
    """esc from the editor lands on Check, where the hint leaves the focus: shift+tab goes back
    to the code and types nothing, so a fix that begins with s (``self``) keeps its s."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        await pilot.press("escape", "h")
        await pilot.pause()
        hints = text_of(view.query_one(".hints"))
        assert screen.t("ex.next_hint_check", n=2, total=len(view.step.hints)) in hints, hints
        before = editor.text
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is editor and editor.text == before
        hints = text_of(view.query_one(".hints"))
        assert screen.t("ex.next_hint", n=2, total=len(view.step.hints)) in hints, hints
        await pilot.press(*"self")
        await wait_for(pilot, lambda: "self" in editor.text)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_off_check_the_line_under_a_hint_names_a_click_or_typing_but_for_the_steps_keys(
    app_factory, lang
):
    """With the focus on the step's text (a click there), shift+tab leads elsewhere: the line
    names a click on the code, which types nothing, and typing, which goes into the code from
    there, but for the step's own keys (``self`` lost its s to the solution's ask): it names
    each of them."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        await pilot.click(".step-title")
        await pilot.press("h")
        await pilot.pause()
        assert view.state.get("hints") == 1
        line = text_of(view.query_one(".hints")).splitlines()[-1]
        assert line == screen.t("ex.next_hint_key", n=2, total=len(view.step.hints))
        stay_keys = line_naming_keys(line)
        kept = [
            char for char in printable_keys() if not view.types_key(_character_to_key(char), char)
        ]
        assert kept and all(
            re.search(rf"(?<![a-z]){re.escape(char)}(?![a-z])", stay_keys) for char in kept
        ), (kept, stay_keys)
        before = editor.text
        await pilot.click("#editor")
        await wait_for(pilot, lambda: app.focused is editor)
        assert editor.text == before
        await pilot.click(".step-title")
        await pilot.press("x")
        await wait_for(pilot, lambda: editor.text != before)
        assert app.focused is editor and sorted(editor.text) == sorted(before + "x")


def printable_keys() -> list[str]:
    """Every character a key on an ASCII keyboard types, space included."""
    return [char for char in string.printable if char.isprintable()]


def line_naming_keys(line: str) -> str:
    """The last bracketed part of ``line`` (ASCII or full-width brackets), where it names the
    keys that stay keys: not ``(hint 2/3)`` before it."""
    *_, last = re.findall(r"[(（]([^()（）]*)[)）]", line)
    return last


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_esc_then_h_habit_never_closes_the_lesson(app_factory, lang):
    """esc, h as many times as there are hints and once more: every hint, then the note, and the
    lesson still open, the code as it was. The esc right after a hint (or the note) asks; a
    second esc in a row closes the lesson, as the toast says. The toast names h for the next
    hint only while one is left: after the last, only that esc again closes."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, view, editor = await failed_check(pilot)
        total = len(view.step.hints)
        before = editor.text
        asks = {key: screen.t(key) for key in ("ex.close_ask", "ex.close_ask_no_hint_left")}
        for taken in range(total + 2):
            app.clear_notifications()
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen
            if taken:  # right after hint number `taken` (past the last: the note)
                key = "ex.close_ask" if taken < total else "ex.close_ask_no_hint_left"
                assert [ask for ask in said(app) if ask in asks.values()] == [asks[key]]
            if taken <= total:
                await pilot.press("h")
                await pilot.pause()
        assert view.state.get("hints") == total and editor.text == before
        assert screen.t("ex.no_hint_left", total=total) in text_of(view.query_one(".hints"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_after_the_last_hint_from_check_the_line_names_shift_tab_and_the_fix_keeps_its_s(
    app_factory, lang
):
    """The last hint taken from Check: no next hint to name there, but the way back to the code
    still matters (the line said "just type your fix", and ``self`` typed from Check lost its s
    to the solution's ask: ``elfclass``). The line under the hints names shift+tab, also under
    the note that none is left, and the fix typed after it arrives whole."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        total = len(view.step.hints)
        await pilot.press("escape", *"h" * total)
        await pilot.pause()
        assert view.state.get("hints") == total and app.focused is view.query_one("#check")
        back = screen.t("ex.back_to_code_check")
        assert text_of(view.query_one(".hints")).splitlines()[-1] == back
        assert screen.t("ex.type_to_edit") not in text_of(view.query_one(".feedback"))
        await pilot.press("h")  # none left: the note, and still the way back
        await pilot.pause()
        lines = text_of(view.query_one(".hints")).splitlines()
        assert lines[-2:] == [screen.t("ex.no_hint_left", total=total), back], lines
        before = editor.text
        await pilot.press("shift+tab", *"self")
        await wait_for(pilot, lambda: len(editor.text) == len(before) + len("self"))
        assert app.focused is editor and editor.text.count("self") == before.count("self") + 1
        assert not view.state.get("show_solution")


async def test_esc_with_no_hint_just_taken_closes_the_lesson_at_once(app_factory):
    """The ask is for the esc right after a hint alone: esc from Check closes as the footer
    says, and so does an esc after a hint once the learner has typed into the code."""
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, _, editor = await failed_check(pilot)
        await pilot.press("escape", "h", "x", "escape")  # a hint, then the fix begun, then esc
        await pilot.pause()
        assert app.focused is not editor and app.screen is screen
        assert "x" in editor.text
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)
        assert screen.t("ex.close_ask") not in said(app)


def said(app: Any) -> list[str]:
    """Every notification the app was asked to show (and not yet timed out), on any screen."""
    return [str(notification.message) for notification in app._notifications]


async def test_with_code_kept_nowhere_one_ask_covers_the_hint_too(app_factory, monkeypatch):
    """The esc after a hint, with the draft unsaved: the unsaved warning asks, and the esc after
    it closes the lesson, as it says (the hint's ask came after it: a third esc closed it)."""
    monkeypatch.setattr(LessonScreen, "unsaved_file", property(lambda self: "draft.py"))
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, _, _ = await failed_check(pilot)
        await pilot.press("escape", "h", "escape")
        await pilot.pause()
        assert app.screen is screen
        assert any(screen.t("sb.unsaved", file="draft.py") in told for told in said(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)
        assert screen.t("ex.close_ask") not in said(app)


async def test_a_check_with_the_mouse_after_a_hint_lets_esc_close(app_factory):
    """Hint, then a click on ▶ Check and its verdict: the esc after that is not right after the
    hint, and closes the lesson at once."""
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, view, _ = await failed_check(pilot)
        await pilot.press("escape", "h")
        await pilot.pause()
        attempts = view.state["attempts"]
        await pilot.click("#check")
        await wait_for(pilot, lambda: view.state.get("attempts") == attempts + 1)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)
        assert screen.t("ex.close_ask") not in said(app)


async def test_a_hint_then_the_esc_that_cancels_a_run_lets_the_next_esc_close(app_factory):
    """A hint taken while a check ran, then esc: it cancels the run (that was the esc after the
    hint), and the next esc closes the lesson."""
    app = app_factory()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen, view, _ = await failed_check(pilot)
        app.sandbox.handler = lambda code, **_: HANG
        await pilot.click("#check")
        await wait_for(pilot, lambda: view.running)
        await pilot.press("h")
        await wait_for(pilot, lambda: view.state.get("hints") == 1)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not view.running)
        assert app.screen is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen)
        assert screen.t("ex.close_ask") not in said(app)
