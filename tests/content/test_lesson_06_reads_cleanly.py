"""Lesson 06 reads cleanly, in English and Chinese.

No step gives away a quiz that comes after it: the handles step showed, in a code comment,
that a second ``handle.remove()`` is harmless, three steps before the quiz that asks exactly
that (its feedback teaches the fact, after the learner has answered). (Its fences-show-no-backticks
check now runs on every deck, in ``test_course_fences_and_spacing.py``.)
"""

from __future__ import annotations

import pytest

from tests.content.test_redrawn_diagrams_read_in_line import LANGS
from tutor.decks import DeckLibrary, model
from tutor.decks.walk import iter_texts

LESSON = "functional-hooks"
REMOVE_TWICE_QUIZ = "l06.q-remove-twice"
REMOVE_TWICE_ANSWER = {
    "en": ("twice", "harmless", "no-op"),
    "zh": ("重复调用", "两次", "无害", "空操作"),
}
"""Words that say what a second ``remove()`` does: the quiz's answer."""


@pytest.mark.parametrize("lang", LANGS)
def test_no_step_before_the_quiz_says_what_a_second_remove_does(
    library: DeckLibrary, lang: str
) -> None:
    """Every step before the quiz that shows ``remove()`` leaves its answer unsaid."""
    deck = library.lesson(LESSON)
    assert deck is not None
    quiz = next(i for i, step in enumerate(deck.steps) if model.step_id(step) == REMOVE_TWICE_QUIZ)
    texts = [
        text if isinstance(text, str) else text[lang]
        for step in deck.steps[:quiz]
        for _, text in iter_texts(step)
    ]
    showing_remove = [text for text in texts if "remove()" in text]
    assert showing_remove, "no step before the quiz shows remove(): the test checks nothing"
    giveaways = [
        f"{word!r} in: {line.strip()}"
        for text in showing_remove
        for line in text.splitlines()
        for word in REMOVE_TWICE_ANSWER[lang]
        if word in line.lower()
    ]
    assert giveaways == [], "\n".join(giveaways)
