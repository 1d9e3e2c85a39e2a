"""The stop the exercise step puts after a failed check's reason is that of the language the app
shows, not of the script of the reason's last word: an English reason that ends in the learner's
own Chinese value ends with "." (QA round 47)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tutor.widgets.step_base import cheer

from .conftest import check_exercise, make_app, open_exercise

EXERCISE = "stops.ex"
DECK = f"""\
format: 1
kind: lesson
id: stops
title: "Stops"
summary: "A reason and its stop."
steps:
  - type: exercise
    id: {EXERCISE}
    title: "Name the layer"
    prompt: "Set name."
    starter: "name = ''"
    check: |
      assert name == "weight", {{
          "en": f"the layer should be named weight, not {{name}}",
          "zh": f"这一层应当叫 weight，而不是 {{name}}",
      }}
    solution: "name = 'weight'"
"""


def stops_deck(tmp_path: Path) -> Path:
    folder = tmp_path / "stops-deck"
    folder.mkdir()
    (folder / "stops.yaml").write_text(DECK, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("en", "the layer should be named weight, not 权重."),
        ("zh", "这一层应当叫 weight，而不是 权重。"),
    ],
)
async def test_the_reason_ends_with_the_stop_of_the_language_shown(
    tmp_path, real_sandbox, lang, reason
):
    app = make_app(tmp_path, lang, sandbox=real_sandbox(), decks=[stops_deck(tmp_path)])
    async with app.run_test(size=(110, 45)) as pilot:
        view = await open_exercise(pilot, EXERCISE)
        await check_exercise(pilot, view, "name = '权重'")
        said = view.query_one(".feedback", Static).content.plain
        encouragement = cheer("wrong", f"{EXERCISE}:{view.state['attempts']}", lang)
        assert f"{reason}\n{encouragement}" in said, said
