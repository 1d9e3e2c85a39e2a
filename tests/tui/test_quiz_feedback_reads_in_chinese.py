"""A wrong quiz answer's feedback reads as Chinese in zh (QA, at 80×24).

"Not quite." was "还差一点。" (almost there), said of answers far off too ("🤔 还差一点。答案是
(2, 8, 1, 1)。"), and each option's or item's reason followed an English spaced dash
("← 你的选择 — 不会：…", "1. ckpt = torch.load(…) — 先把张量读进内存。") where the lessons'
Chinese writes "——". English keeps its " — ".
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.conftest import make_app, ready, text_of, wait_for
from tutor.i18n import tr
from tutor.screens.lesson import LessonScreen

ORDER_DECK = """\
format: 1
kind: lesson
id: loading
title: {en: "Loading a checkpoint", zh: "载入检查点"}
summary: {en: "In order.", zh: "按顺序。"}
steps:
  - type: quiz
    kind: order
    id: loading.q-order
    question: {en: "Put the loading in order.", zh: "把载入的步骤排好顺序。"}
    items:
      - text: {en: "`ckpt = torch.load(path)`", zh: "`ckpt = torch.load(path)`"}
        why: {en: "The tensors are read into memory first.", zh: "先把张量读进内存。"}
      - text: {en: "`model.load_state_dict(ckpt)`", zh: "`model.load_state_dict(ckpt)`"}
        why: {en: "Then copied into the model.", zh: "再复制进模型。"}
"""
"""A deck of one order quiz whose items give their reasons (the fixture lesson's give none)."""
SEPARATOR = {"en": " — ", "zh": "——"}


async def _wrong_feedback(pilot: Any, lesson: str, step: int, *keys: str) -> list[str]:
    """The lines of the feedback of a wrong answer (``keys``) to ``lesson``'s ``step``."""
    await ready(pilot)
    pilot.app.open_lesson(lesson, step=step)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    await pilot.press(*keys)
    await wait_for(pilot, lambda: pilot.app.screen.query(".feedback.-wrong"))
    return text_of(pilot.app.screen.query_one(".feedback.-wrong")).splitlines()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_wrong_choice_is_said_plainly_and_its_reasons_follow_the_language_s_dash(
    tmp_path, lang: str
) -> None:
    app = make_app(tmp_path, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await _wrong_feedback(pilot, "tui-basics", 2, "1", "enter")  # a wrong single choice
        assert lines[0].startswith(f"🤔 {tr('quiz.wrong', lang)}"), lines[0]
        options = [line for line in lines if line.startswith(("✅", "❌"))]
        assert options and all(SEPARATOR[lang] in line for line in options), options
        if lang == "zh":
            assert lines[0].startswith("🤔 不太对。"), lines[0]
            assert not any(" — " in line for line in lines), lines
        else:
            assert lines[0].startswith("🤔 Not quite. "), lines[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_wrong_order_shows_the_right_one_with_reasons_after_the_language_s_dash(
    tmp_path, lang: str
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "loading.yaml").write_text(ORDER_DECK, encoding="utf-8")
    app = make_app(tmp_path, lang, decks=[decks])
    async with app.run_test(size=(80, 24)) as pilot:
        lines = await _wrong_feedback(pilot, "loading", 0, "K", "enter")  # the last moved up
        items = [line for line in lines if line[:1].isdigit() and ". " in line]
        assert len(items) == 2 and all(SEPARATOR[lang] in line for line in items), items
        if lang == "zh":
            assert not any(" — " in line for line in lines), lines
