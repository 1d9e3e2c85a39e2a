"""Help names the number keys that pick an option in the list on screen: "1-7" for seven
options (it said "1-9" for every list, and 8 and 9 pick nothing there), "1-9" for a list longer
than nine, whose later options no digit reaches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tutor.i18n import tr
from tutor.screens.help import HelpScreen
from tutor.screens.lesson import LessonScreen
from tutor.widgets.choice_list import ChoiceList

from .conftest import make_app, ready, wait_for


def quiz_deck(tmp_path: Path, counts: list[int]) -> Path:
    """A lesson of single-choice quizzes, one of each number of options in ``counts``."""
    steps = []
    for count in counts:
        options = "".join(
            f'      - {{text: "OPTION {n}", why: "w"}}\n' for n in range(1, count + 1)
        )
        steps.append(
            f"  - type: quiz\n    kind: single\n    id: numbers.of{count}\n"
            f'    question: "Pick one"\n    shuffle: false\n    options:\n{options}'
            "    answer: a\n"
        )
    deck = (
        'format: 1\nkind: lesson\nid: numbers\ntitle: "Numbers"\nsummary: "Long lists."\n'
        "steps:\n" + "".join(steps)
    )
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "numbers.yaml").write_text(deck, encoding="utf-8")
    return decks


COUNTS = [2, 7, 9, 12]


async def open_choice_quiz(pilot: Any, lesson_id: str, step: int) -> ChoiceList:
    """Open lesson ``lesson_id`` at ``step``, a choice quiz; its option list, once filled and
    focused."""
    app = pilot.app
    await ready(pilot)
    app.open_lesson(lesson_id, step)
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    await wait_for(pilot, lambda: len(app.screen.query(ChoiceList)) > 0)
    choices = app.screen.query_one(ChoiceList)
    await wait_for(pilot, lambda: choices.option_count > 0 and choices.has_focus)
    return choices


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("count", "keys"), [(2, "1-2"), (7, "1-7"), (9, "1-9"), (12, "1-9")])
async def test_help_names_the_number_keys_that_pick_an_option(
    tmp_path: Path, lang: str, count: int, keys: str
) -> None:
    app = make_app(tmp_path, lang, decks=[quiz_deck(tmp_path, COUNTS)])
    async with app.run_test(size=(100, 40)) as pilot:
        choices = await open_choice_quiz(pilot, "numbers", COUNTS.index(count))
        assert choices.option_count == count
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        rows = {words: shown.split() for shown, words in app.screen.key_rows()}
        assert rows[tr("k.pick_number", lang)] == [keys]


async def test_the_digits_named_are_those_that_pick(tmp_path: Path) -> None:
    """Each digit up to the list's length still picks its option now that the digits past it
    are turned off (a guard on that: one past the length picked nothing before it too)."""
    app = make_app(tmp_path, decks=[quiz_deck(tmp_path, [7])])
    async with app.run_test(size=(100, 40)) as pilot:
        choices = await open_choice_quiz(pilot, "numbers", 0)
        assert choices.option_count == 7
        for digit in range(1, 8):
            await pilot.press(str(digit))
            await pilot.pause()
            assert choices.highlighted == digit - 1
        await pilot.press("8")
        await pilot.pause()
        assert choices.highlighted == 6
