"""A wrong answer's verdict, which marks every option ✅ or ❌, also says which option(s) the
learner chose: a wrong pick and a right option left unpicked looked alike there (en and zh)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tutor.i18n import tr
from tutor.widgets.step_quiz_choice import ChoiceQuizView

from .conftest import make_app, text_of, wait_for
from .test_choice_list_number_keys_help import open_choice_quiz

DECK = """\
format: 1
kind: lesson
id: picks
title: "Picks"
summary: "Choice quizzes answered wrong."
steps:
  - type: quiz
    kind: single
    id: picks.single
    question: "Pick one"
    shuffle: false
    options:
      - {text: {en: "ALPHA", zh: "甲"}, why: "a"}
      - {text: {en: "BRAVO", zh: "乙"}, why: "b"}
      - {text: {en: "CHARLIE", zh: "丙"}, why: "c"}
    answer: a
  - type: quiz
    kind: multiple
    id: picks.multiple
    question: "Pick all"
    shuffle: false
    options:
      - {id: a, text: {en: "ALPHA", zh: "甲"}, why: "a"}
      - {id: b, text: {en: "BRAVO", zh: "乙"}, why: "b"}
      - {id: c, text: {en: "CHARLIE", zh: "丙"}, why: "c"}
    answer: [a, b]
"""


def picks_deck(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "picks.yaml").write_text(DECK, encoding="utf-8")
    return decks


async def verdict_after(tmp_path: Path, lang: str, step: int, keys: list[str]) -> str:
    """The verdict of quiz ``step`` answered with ``keys`` (digits, then Enter)."""
    app = make_app(tmp_path, lang, decks=[picks_deck(tmp_path)])
    async with app.run_test(size=(100, 40)) as pilot:
        await open_choice_quiz(pilot, "picks", step)
        await pilot.press(*keys, "enter")
        view = app.screen.query_one(ChoiceQuizView)
        await wait_for(pilot, lambda: view.graded)
        return text_of(view.query_one(".feedback", Static))


def marked(verdict: str, lang: str) -> dict[str, bool]:
    """Each option's verdict line (by its first word, up to the reason's separator: zh's
    "——" has no space around it), and whether it says it was chosen."""
    mark = tr("quiz.your_choice", lang)
    separator = tr("quiz.why_separator", lang).strip()
    lines = [line for line in verdict.splitlines() if line.startswith(("✅", "❌"))]
    return {line.split()[1].split(separator)[0]: mark in line for line in lines}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_wrong_single_choice_marks_the_option_picked(tmp_path: Path, lang: str) -> None:
    verdict = await verdict_after(tmp_path, lang, 0, ["3"])  # CHARLIE; ALPHA is right
    first = {"en": ["ALPHA", "BRAVO", "CHARLIE"], "zh": ["甲", "乙", "丙"]}[lang]
    assert marked(verdict, lang) == {first[0]: False, first[1]: False, first[2]: True}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_wrong_multiple_choice_marks_every_option_ticked(tmp_path: Path, lang: str) -> None:
    # ALPHA (right) and CHARLIE (wrong) ticked, BRAVO (right) left: it alone goes unmarked
    verdict = await verdict_after(tmp_path, lang, 1, ["1", "3"])
    first = {"en": ["ALPHA", "BRAVO", "CHARLIE"], "zh": ["甲", "乙", "丙"]}[lang]
    assert marked(verdict, lang) == {first[0]: True, first[1]: False, first[2]: True}


async def test_a_right_answer_marks_nothing(tmp_path: Path) -> None:
    """A right pick is the ✅ options themselves: no mark says it again."""
    verdict = await verdict_after(tmp_path, "en", 0, ["1"])
    assert marked(verdict, "en") == {"ALPHA": False, "BRAVO": False, "CHARLIE": False}
