"""Bug Hunt's demo speaks the learner's language: in Chinese the lines it adds, as shown and as
run, print Chinese labels (they printed "registered parameters:" in English), each right
before its value: no space after the full-width colon (``f'已注册的参数个数：{...}'``; the
printed values, on torch: tests/games/test_bug_hunt_demo_labels.py)."""

from __future__ import annotations

import re

import pytest

from tutor.widgets.run_panel import RunPanel

from .conftest import screen_text, wait_for
from .test_games_qa36 import SIZE, bug_hunt_with


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_demo_prints_its_labels_in_the_learners_language(app_factory, lang):
    app = app_factory(lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        screen = await bug_hunt_with(pilot, "plain_list")
        screen.pick(screen.puzzle.answer)
        await pilot.pause()
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: screen.query_one(RunPanel).result is not None)
        shown = screen_text(app)  # the lines the demo adds, under the feedback
        ran = app.sandbox.calls[-1]["code"]
        for label in screen.puzzle.labels:
            assert label.text(lang) in shown and label.text(lang) in ran
            # the value formatted in right behind the label, which ends with its own separator
            right_behind = re.escape(label.text(lang)) + r"\{"
            assert re.search(right_behind, shown) and re.search(right_behind, ran), shown
        if lang == "zh":
            assert "registered" not in shown + ran and "： " not in shown + ran
