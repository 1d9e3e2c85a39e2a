"""Step views, as a reviewer found them: Markdown in captions, a predict placeholder that gave
the answer away, an empty pick-all submission graded, focus left where keys do nothing, footer
keys that do nothing, and a recap that promised a next section on the lesson's last step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import Button, Input, OptionList, Static

from tutor.decks import model
from tutor.decks.loader import DeckLoader
from tutor.quiz import predict_matches
from tutor.screens.lesson import LessonScreen
from tutor.widgets.choice_list import ChoiceList

from .conftest import DECKS, FakeLearning, plain, ready, screen_text, wait_for

SIZE = (100, 40)
ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [ROOT / "lessons", ROOT / "cards"]

DECK = """\
format: 1
kind: lesson
id: review-steps
title: {en: "Review steps", zh: "复查步骤"}
summary: {en: "Captions and recaps.", zh: "说明与小结。"}
minutes: 2
steps:
  - type: code
    id: review-steps.code
    caption:
      en: "`True`: the module and **the function** agree, *exactly*."
      zh: "`True`：模块和**函数**的结果*完全*一致。"
    device: cpu
    code: |
      print(1)
  - type: recap
    points:
      - {en: "A section ends here.", zh: "这一节到此结束。"}
  - type: recap
    points:
      - {en: "The lesson ends here.", zh: "这一课到此结束。"}
"""


@pytest.fixture
def review_decks(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "review-steps.yaml").write_text(DECK, encoding="utf-8")
    return [folder]


async def open_lesson(
    pilot: Any, lesson_id: str, step: int, *, focused: bool = True
) -> LessonScreen:
    """Open ``lesson_id`` at ``step``; with ``focused``, wait until the step took the focus."""
    await ready(pilot)
    pilot.app.open_lesson(lesson_id, step=step)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    screen = pilot.app.screen
    await wait_for(pilot, lambda: screen.step_view is not None and screen.index == step)
    if focused:
        await wait_for(pilot, lambda: pilot.app.focused is not None)
    return screen


def footer_keys(app: Any) -> set[str]:
    """The descriptions the footer shows now."""
    return {a.binding.description for a in app.screen.active_bindings.values() if a.binding.show}


def toasts(app: Any) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


# ------------------------------------------------------------------------------ 1. captions


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "👀 True: the module and the function agree, exactly."),
        ("zh", "👀 True：模块和函数的结果完全一致。"),
    ],
)
async def test_a_code_caption_renders_its_inline_markdown(
    app_factory, review_decks, lang, expected
):
    app = app_factory(lang, decks=review_decks)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "review-steps", 0)
        caption = screen.query_one(".caption", Static).content
        assert plain(caption) == expected  # no backticks or asterisks left
        assert isinstance(caption, Text)
        styles = {caption.plain[s.start : s.end]: str(s.style) for s in caption.spans}
        assert styles["True"] == "bold cyan"
        assert "bold" in styles["the function" if lang == "en" else "函数"]


# ------------------------------------------------------------------- 2. predict placeholder


def shipped_predict_items() -> list[model.Predict]:
    library = DeckLoader(SHIPPED).load()
    return [q for lesson in library.lessons for q in lesson.quizzes if isinstance(q, model.Predict)]


def squeeze(text: str) -> str:
    return "".join(text.split()).lower()


def test_every_shipped_predict_item_has_a_placeholder_that_is_not_its_answer():
    from tutor.widgets.step_quiz_predict import authors_answer, format_example, predict_placeholder

    items = shipped_predict_items()
    assert any(q.match == "shape" for q in items)  # the case the placeholder shows an example for
    for quiz in items:
        answers = [a for a in (quiz.expect, *quiz.accept) if a]
        example = format_example(quiz.match, authors_answer(quiz))
        if example is not None:
            assert not predict_matches(example, quiz.expect or "", quiz.match, quiz.accept), quiz.id
        for lang in ("en", "zh"):
            placeholder = squeeze(predict_placeholder(quiz.match, authors_answer(quiz), lang))
            for answer in answers:
                assert squeeze(answer) not in placeholder, (quiz.id, lang, answer)


def test_the_shape_example_steps_aside_from_an_answer_it_would_give_away():
    from tutor.widgets.step_quiz_predict import authors_answer, format_example

    first = model.Predict(id="a", question="?", match="shape", expect="torch.Size([4, 2])")
    example = format_example("shape", authors_answer(first))
    assert example is not None
    clash = model.Predict(id="b", question="?", match="shape", expect=example, accept=["(9, 9)"])
    other = format_example("shape", authors_answer(clash))
    assert other is not None and other != example
    assert not predict_matches(other, example, "shape", ["(9, 9)"])


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_predict_placeholder_shows_a_format_not_the_answer(app_factory, lang):
    app = app_factory(lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "tui-basics", 5)  # expects torch.Size([4, 2])
        placeholder = app.screen.query_one("#prediction", Input).placeholder
        assert "(4, 2)" not in placeholder and "4, 2" not in placeholder
        assert "e.g." in placeholder or "例如" in placeholder  # still shows the format


# ----------------------------------------------------------------- 3. empty pick-all answer


async def test_an_empty_pick_all_answer_is_not_graded(app_factory):
    learning = FakeLearning()
    app = app_factory(learning=learning)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(toasts(app)) > 0)
        assert "Not quite." not in screen_text(app)
        assert "grade" not in screen.states[3]
        assert any("first" in t for t in toasts(app)), toasts(app)
        await pilot.pause(0.1)
        assert learning.named("record_quiz") == []
        await pilot.press("1", "2", "enter")  # once something is ticked, it is graded
        await pilot.pause()
        assert "Right!" in screen_text(app)


# --------------------------------------------------------------- 4. focus after an answer


@pytest.mark.parametrize(
    ("step", "keys"), [(2, ("1", "enter")), (3, ("3", "enter")), (4, ("f", "enter"))]
)
async def test_a_wrong_choice_answer_moves_focus_to_try_again(app_factory, step, keys):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", step)
        await pilot.press(*keys)
        await pilot.pause()
        assert "Not quite." in screen_text(app)
        assert isinstance(app.focused, Button) and app.focused.id == "retry"
        await pilot.press("enter")  # Enter now tries again
        await pilot.pause()
        assert "grade" not in screen.states[step]
        assert isinstance(app.focused, OptionList)


async def test_a_submitted_order_quiz_moves_focus_to_try_again(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 6)
        await pilot.press("enter")
        await pilot.pause()
        assert "grade" in screen.states[6]
        assert isinstance(app.focused, Button) and app.focused.id == "retry"
        await pilot.press("enter")
        await pilot.pause()
        assert "grade" not in screen.states[6]
        assert isinstance(app.focused, ChoiceList)


async def test_a_quiz_answered_right_shown_again_focuses_the_step_not_try_again(app_factory):
    """Enter there (a learner moving on) keeps the grade shown; on "Try again" it wiped it."""
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 2)
        await pilot.press("2", "enter")
        await pilot.pause()
        await pilot.press("right")
        await wait_for(pilot, lambda: screen.index == 3 and app.focused is not None)
        await pilot.press("left")
        await wait_for(pilot, lambda: screen.index == 2)
        await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "step-scroll")
        await pilot.press("enter")
        await pilot.pause()
        assert "grade" in screen.states[2]


# --------------------------------------------------------------- 5. footer keys that do nothing


async def test_choose_leaves_the_footer_once_a_choice_quiz_is_answered(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "tui-basics", 3)
        assert "Choose" in footer_keys(app)
        await pilot.press("1", "enter")
        await pilot.pause()
        app.screen.query_one(ChoiceList).focus()  # back on the list, as a click or Tab puts it
        await pilot.pause()
        assert "Choose" not in footer_keys(app)
        await pilot.click("#retry")
        await pilot.pause()
        assert "Choose" in footer_keys(app)


async def test_move_keys_leave_the_footer_once_an_order_quiz_is_submitted(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "tui-basics", 6)
        assert {"Move up", "Move down"} <= footer_keys(app)
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(ChoiceList).focus()
        await pilot.pause()
        assert not {"Move up", "Move down"} & footer_keys(app)
        await pilot.click("#retry")
        await pilot.pause()
        assert {"Move up", "Move down"} <= footer_keys(app)


# ------------------------------------------------------------------------------ 6. recaps


@pytest.mark.parametrize(
    ("lang", "section", "lesson"),
    [
        ("en", "Section done. On to the next one!", "the lesson's last step"),
        ("zh", "这一节完成了，继续前进！", "本课的最后一步"),
    ],
)
async def test_the_last_recap_closes_the_lesson_not_a_section(
    app_factory, review_decks, lang, section, lesson
):
    app = app_factory(lang, decks=review_decks)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "review-steps", 1, focused=False)
        assert section in screen_text(app)
        screen.index = 2
        await wait_for(pilot, lambda: "🎉" in screen_text(app) and screen.index == 2)
        await pilot.pause()
        text = screen_text(app)
        assert lesson in text and section not in text


async def test_the_fixture_lessons_last_recap_closes_the_lesson(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "tui-basics", 9, focused=False)
        assert "the lesson's last step" in screen_text(app)
        assert "On to the next one" not in screen_text(app)


def test_fixture_deck_is_the_one_these_tests_expect():
    library = DeckLoader([DECKS]).load()
    steps = library.lesson("tui-basics").steps
    kinds = [step.quiz.KIND if isinstance(step, model.QuizStep) else step.TYPE for step in steps]
    assert kinds[2:7] == ["single", "multiple", "true_false", "predict", "order"]
    assert kinds[-1] == "recap"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_while_typing_the_keys_shown_are_the_ones_that_work(app_factory, lang):
    """An exercise's editor and a predict box keep ←/→ for their cursor (and the editor esc):
    the hint under the step and the footer name the keys that leave or move on from there, and
    those keys do."""
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "tui-basics", 7)  # the exercise: its editor has focus
        hint = screen.query_one("#nav-hint", Static)
        assert str(hint.render()) == screen.t("lesson.nav_editor")
        assert "^pgdn" in str(hint.render()) and "esc" in str(hint.render())
        t = screen.t
        assert t("k.leave_editor") in footer_keys(app) and t("k.hint") not in footer_keys(app)
        await pilot.press("right")  # moves the editor's cursor, not the lesson
        assert screen.index == 7
        await pilot.press("escape")
        await pilot.pause()
        assert str(hint.render()) == screen.t("lesson.nav")
        assert {t("k.hint"), t("k.next")} <= footer_keys(app)
        assert t("k.leave_editor") not in footer_keys(app)

        screen = await open_lesson(pilot, "tui-basics", 5)  # predict: its answer box has focus
        hint = screen.query_one("#nav-hint", Static)
        assert str(hint.render()) == screen.t("lesson.nav_input")
        await pilot.press("ctrl+pagedown")
        await wait_for(pilot, lambda: screen.index == 6)
        assert str(hint.render()) == screen.t("lesson.nav")  # a choice list: arrows work there

        screen = await open_lesson(pilot, "tui-basics", 9, focused=False)  # the last step
        assert str(screen.query_one("#nav-hint", Static).render()) == screen.t("lesson.nav_last")
