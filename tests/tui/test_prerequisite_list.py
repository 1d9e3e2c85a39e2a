"""A lesson that builds on several names each in quotes, joined as its language joins a list:
the titles hold commas (and, in Chinese, ``：``, ``，``, ``、``) of their own, and were joined
with a bare ", " ("建议先学：欢迎：初探 nn.Linear 的内部 👋, torch.nn 是什么：模块、函数，…")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tutor.screens.lesson import LessonScreen

from .conftest import DECKS, make_app, ready, screen_text, wait_for

THIRD = """\
format: 1
kind: lesson
id: tui-third
title: {en: "Third: both at once", zh: "第三课：两者一起"}
summary: {en: "Builds on both.", zh: "以前两课为基础。"}
prerequisites: [tui-basics, tui-next]
steps:
  - type: text
    body: {en: "Both.", zh: "两者。"}
"""

WANTED = {
    "en": (
        "suggested first: “Basics: one Linear layer 👋”, “Next: stacking layers”",
        "“Third: both at once” builds on them",
    ),
    "zh": (
        "建议先学：“基础：一个 Linear 层 👋”、“下一课：堆叠层”",
        "“第三课：两者一起”以它们为基础",
    ),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_two_prerequisites_are_named_apart(tmp_path: Path, lang: str) -> None:
    decks = tmp_path / "decks"
    shutil.copytree(DECKS, decks)
    (decks / "03-third.yaml").write_text(THIRD, encoding="utf-8")
    app = make_app(tmp_path, lang, decks=[decks])
    on_map, told = WANTED[lang]
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert on_map in " ".join(screen_text(app).split())
        app.open_lesson("tui-third")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: any(told in str(n.message) for n in app._notifications))
