"""Three key slips a QA tester hit walking lessons in Chinese at 80×24: a second ``h`` in an
exercise typed into the code (the "esc then h" offer was below the fold, under the run); Enter
after a right prediction landed on "Try again" and threw the feedback away; keys typed after Tab
(on Submit) went nowhere, and an empty submit said nothing the learner saw."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Button, Input

from tutor.i18n import tr
from tutor.widgets.step_quiz_predict import PredictQuizView

from .conftest import screen_text, wait_for
from .test_exercise_typing_safety import failed_check
from .test_tui_review_fixes_steps import open_lesson

SIZE = (80, 24)
PREDICT = 5  # the fixture basics' predict quiz: it prints torch.Size([4, 2])


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_hint_taken_says_how_to_get_the_next(app_factory, lang):
    """Right under the hint taken, while another is left: h alone from Check (where the hint
    leaves the focus), with shift+tab back to the code; esc then h from the editor (where h is
    typed); once every hint is taken, only the way back to the code."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen, view, editor = await failed_check(pilot)
        await pilot.press("escape", "h")
        await pilot.pause()
        assert view.state.get("hints") == 1 and app.focused is not editor
        hints = str(view.query_one(".hints").render())
        assert screen.t("ex.next_hint_check", n=2, total=2) in hints, hints
        await pilot.press("shift+tab")  # back in the editor: esc first
        await pilot.pause()
        hints = str(view.query_one(".hints").render())
        assert app.focused is editor
        assert screen.t("ex.next_hint", n=2, total=2) in hints, hints
        await pilot.press("escape")  # off the editor again, on Check: h alone
        await pilot.pause()
        hints = str(view.query_one(".hints").render())
        assert screen.t("ex.next_hint_check", n=2, total=2) in hints, hints
        before = editor.text
        await pilot.press("h")  # as the line says: the next hint, the code as it was
        await pilot.pause()
        assert view.state.get("hints") == 2 and editor.text == before
        line = str(view.query_one(".hints").render()).splitlines()[-1]
        assert line == screen.t("ex.back_to_code_check"), line  # the way back, no next hint


async def submitted_prediction(pilot: Any, answer: str) -> PredictQuizView:
    screen = await open_lesson(pilot, "tui-basics", PREDICT)
    view = screen.query_one(PredictQuizView)
    await pilot.press(*answer, "enter")
    await wait_for(pilot, lambda: view.graded)
    await pilot.pause()
    return view


async def test_enter_after_a_right_prediction_keeps_the_feedback(app_factory):
    """Not "Try again" focused: the Enter of a learner moving on keeps what was shown."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        view = await submitted_prediction(pilot, "(4, 2)")
        assert view.state["grade"].correct
        assert app.focused is not view.query_one("#retry")
        await pilot.press("enter")
        await pilot.pause()
        assert view.graded and "Right!" in screen_text(app)
        await pilot.press("right")  # and → moves on from there
        await wait_for(pilot, lambda: app.screen.index == PREDICT + 1)


async def test_enter_after_a_wrong_prediction_tries_again(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        view = await submitted_prediction(pilot, "(4, 3)")
        assert app.focused is view.query_one("#retry", Button)
        await pilot.press("enter")
        await pilot.pause()
        box = view.query_one(Input)
        assert not view.graded and app.focused is box
        await pilot.press("4")  # the last answer is selected: what is typed replaces it
        await pilot.pause()
        assert box.value == "4"


async def test_after_try_again_a_key_typed_on_submit_replaces_the_last_answer(app_factory):
    """Try again, Tab to Submit, type: the key goes into the box over the selected answer, as
    typed in the box it would (it went on at the end: ``(4, 3)4``)."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        view = await submitted_prediction(pilot, "(4, 3)")
        await pilot.press("enter", "tab")
        await pilot.pause()
        assert app.focused is view.query_one("#submit", Button)
        await pilot.press("4")
        await pilot.pause()
        assert view.query_one(Input).value == "4"


@pytest.mark.parametrize(("lang", "other"), [("en", "zh"), ("zh", "en")])
async def test_the_empty_submit_note_is_said_again_in_the_other_language(app_factory, lang, other):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "tui-basics", PREDICT)
        await pilot.press("tab", "enter")
        await pilot.pause()
        await pilot.press("f2")
        await wait_for(pilot, lambda: tr("quiz.type_first", other) in screen_text(app))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_empty_submit_note_goes_with_the_step(app_factory, lang):
    """The note is about that submit: a learner who moves on and comes back finds it gone."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", PREDICT)
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert screen.t("quiz.type_first") in screen_text(app)
        await pilot.press("tab", "right")
        await wait_for(pilot, lambda: screen.index == PREDICT + 1)
        await pilot.press("left")
        await wait_for(pilot, lambda: screen.index == PREDICT)
        assert screen.t("quiz.type_first") not in screen_text(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_an_empty_submit_says_so_in_the_step(app_factory, lang):
    """Tab to Submit and Enter with nothing typed: a note under Submit (a toast was gone in two
    seconds, or never seen), the focus back in the box; typing puts the note away."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", PREDICT)
        view = screen.query_one(PredictQuizView)
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert screen.t("quiz.type_first") in screen_text(app)
        assert app.focused is view.query_one(Input) and not view.graded
        await pilot.press("4")
        await pilot.pause()
        assert screen.t("quiz.type_first") not in screen_text(app)


async def test_keys_typed_on_submit_go_into_the_answer_box(app_factory):
    """As in a form: Tab to Submit, then (4, 3) and Enter submits "(4, 3)". The lesson's own
    keys on Submit stay its keys (n moves on)."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", PREDICT)
        view = screen.query_one(PredictQuizView)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is view.query_one("#submit")
        await pilot.press(*"(4, 3)")
        await pilot.pause()
        assert view.query_one(Input).value == "(4, 3)"
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.graded)
        assert view.state["answer"] == "(4, 3)"
        await pilot.press("enter")  # Try again (it was wrong): the box, then Tab to Submit
        await pilot.pause()
        await pilot.press("tab", "n")
        await wait_for(pilot, lambda: screen.index == PREDICT + 1)
