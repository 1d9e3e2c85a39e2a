"""A quiz option too long for one line wraps under its own text, not under its number and
mark (single, multiple choice and order items, in English and Chinese)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.screens.lesson import LessonScreen
from tutor.widgets.choice_list import ChoiceList

from .conftest import drawn, make_app, ready, wait_for

LONG_EN = "Multiplies every entry by 0.5 as the 2014 paper did at test time " * 2 + "END"
LONG_ZH = "把每个元素乘以 0.5，这是 2014 年原始论文在测试时的做法，" * 3 + "完"

DECK = f"""\
format: 1
kind: lesson
id: wrap
title: "Wrap"
summary: "Options longer than a line."
steps:
  - type: quiz
    kind: single
    id: wrap.single
    question: "Pick one"
    options:
      - {{text: {{en: "SHORT", zh: "短"}}, why: "w"}}
      - {{text: {{en: "{LONG_EN}", zh: "{LONG_ZH}"}}, why: "w"}}
    answer: a
  - type: quiz
    kind: multiple
    id: wrap.multiple
    question: "Pick all"
    options:
      - {{id: s, text: {{en: "SHORT", zh: "短"}}, why: "w"}}
      - {{id: l, text: {{en: "{LONG_EN}", zh: "{LONG_ZH}"}}, why: "w"}}
    answer: [s]
  - type: quiz
    kind: order
    id: wrap.order
    question: "Order them"
    items:
      - text: {{en: "SHORT", zh: "短"}}
      - text: {{en: "{LONG_EN}", zh: "{LONG_ZH}"}}
"""


def wrap_deck(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "wrap.yaml").write_text(DECK, encoding="utf-8")
    return decks


def option_rows(app: object, choices: ChoiceList) -> list[str]:
    """The list's rows as drawn, from its text's left edge (inside its border and padding;
    what lies left of it is narrow, so a character is a cell there)."""
    region = choices.content_region
    return [row[region.x :] for row in drawn(app).splitlines()[region.y : region.bottom]]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("step", "mark"), [(0, "1 ○"), (1, "1 ☐"), (2, "1.")])
async def test_a_long_option_wraps_under_its_own_text(
    tmp_path: Path, lang: str, step: int, mark: str
) -> None:
    app = make_app(tmp_path, lang, decks=[wrap_deck(tmp_path)])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.open_lesson("wrap", step)
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await wait_for(pilot, lambda: len(app.screen.query(ChoiceList)) > 0)
        choices = app.screen.query_one(ChoiceList)
        await wait_for(pilot, lambda: choices.option_count == 2)
        await pilot.pause()
        long_index = next(
            i for i in range(2) if "SHORT" not in str(choices.get_option_at_index(i).prompt)
        )
        first = choices._index_to_line[long_index]
        height = choices._heights[long_index]
        assert height >= 2  # it does wrap at this width
        rows = option_rows(app, choices)[first : first + height]
        assert rows[0].startswith(f"{mark} "), rows
        column = len(mark) + 1  # where the option's text starts on its first row
        for row in rows[1:]:
            # nothing under the number and mark; the text goes on in the text's own column
            assert not row[:column].strip(), rows
            assert row[column] != " ", rows
