"""Mastery after failed cards, and the stats' count of what a review shows now (QA 37).

Rating every card of a finished lesson "Again" raised its mastery from 67% to 100%: FSRS'
retrievability is close to 1 right after any rating, Again included. And the stats said
"Due now: 1" where the course map said "4 cards due" (today's new cards and the learning
steps a review shows ahead count there): the stats now say the course map's count as well.
"""

from __future__ import annotations

from dataclasses import replace

from tests.learning.conftest import finish_lessons
from tutor.commands.stats import render_text
from tutor.i18n import Lang
from tutor.learning import FixedClock, Learning
from tutor.stats_text import review_now_line

LESSON = "tensors"


def _pass_the_lesson(learning: Learning) -> list[str]:
    """Every step seen, its quiz and exercise passed: the ids of the lesson's cards."""
    finish_lessons(learning)
    learning.record_quiz("tensors.q-bias", LESSON, True, "true")
    learning.record_exercise("tensors.ex-no-bias", LESSON, True, 0)
    return [card.id for card in learning.index.of_deck(LESSON)]


def _mastery(learning: Learning) -> float:
    return learning.lesson_progress(LESSON).mastery


def test_failing_every_card_does_not_raise_mastery(learning: Learning):
    cards = _pass_the_lesson(learning)
    before = _mastery(learning)
    assert 0.5 < before < 1.0  # quiz and exercise passed, no card known yet
    for card in cards:
        learning.rate(card, 1)  # Again
    after = _mastery(learning)
    # a card just failed is known no better than one never reviewed: 0 either way
    assert after == before
    assert learning.stats()["lessons"][0]["mastery"] == round(after, 4)


def test_a_lapse_lowers_mastery_and_relearning_raises_it_again(
    learning: Learning, clock: FixedClock
):
    cards = _pass_the_lesson(learning)
    for card in cards:
        learning.rate(card, 4)  # Easy: straight to review, days away
    clock.advance(days=3)
    known = _mastery(learning)
    assert known > 0.9
    for card in cards:
        learning.rate(card, 1)  # forgotten: relearning
    lapsed = _mastery(learning)
    assert lapsed < known
    assert lapsed < 0.7  # only the quiz and the exercise count
    clock.advance(minutes=10)
    for card in cards:
        learning.rate(card, 3)  # recalled again
    assert _mastery(learning) > lapsed


def test_one_failed_card_counts_as_not_recalled(learning: Learning):
    cards = _pass_the_lesson(learning)
    for card in cards:
        learning.rate(card, 3)
    all_good = _mastery(learning)
    learning.rate(cards[0], 1)
    one_failed = _mastery(learning)
    share = 1 / len(cards) / 3  # one card of the cards' third of mastery
    assert abs((all_good - one_failed) - share) < 0.01


def test_stats_count_what_the_course_map_counts(learning: Learning, clock: FixedClock):
    cards = _pass_the_lesson(learning)
    learning.introduce_card(cards[0])  # met in the lesson: due now, not new
    stats = learning.stats()
    assert stats["review_now"] == learning.due_count() == len(cards)
    assert (stats["review_now_due"], stats["review_now_new"], stats["review_now_ahead"]) == (
        1,
        len(cards) - 1,
        0,
    )
    assert stats["due_now"] == 1 and stats["new_available"] == len(cards) - 1  # kept as they were
    line = review_now_line(stats, Lang.EN)
    assert line == f"🃏 To review now: {len(cards)} cards (1 due, {len(cards) - 1} new)"
    assert line in render_text(stats, Lang.EN).splitlines()

    for card in cards:
        learning.rate(card, 1)  # Again: each a learning step a minute away
    clock.advance(seconds=5)
    stats = learning.stats()
    assert stats["due_now"] == 0  # none due this second ...
    assert stats["review_now"] == learning.due_count() == len(cards)  # ... a review shows them
    assert stats["review_now_ahead"] == len(cards)
    assert review_now_line(stats, Lang.EN).endswith("being learnt, back within 20 min)")
    assert "（" in review_now_line(stats, Lang.ZH) and "学习中" in review_now_line(stats, Lang.ZH)


def test_no_new_cards_tomorrow_when_none_are_wanted(learning: Learning):
    """With new cards per day set to 0 (allowed), today's limit is always "used up": the review
    summary promised new cards tomorrow every day and hid when the next card is due."""
    finish_lessons(learning)
    learning.update_settings(replace(learning.settings, new_per_day=1))
    learning.rate(learning.due_now()[0].id, 3)  # the day's one new card
    assert learning.new_cards_tomorrow()  # more wait, for tomorrow's limit
    learning.update_settings(replace(learning.settings, new_per_day=0))
    assert not learning.new_cards_tomorrow()
