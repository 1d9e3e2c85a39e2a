"""``nn-tutor optimize`` fits only when fsrs' optimizer has enough to learn from.

fsrs learns from a review only when it comes a whole day (24 hours) or more after the card's
previous one, and from at most a card's first 64 reviews; with fewer than 512 such reviews it
returns its default parameters unchanged. Saving those as "fitted to your history" would be
false, so the command counts as fsrs counts and says when it falls short.

The histories are made through ``Learning.rate`` over the bundled course's cards: the small
fixture decks have too few cards to reach 512 reviews fsrs would use.
"""

from __future__ import annotations

import pytest
from fsrs import Scheduler

from tests.learning.conftest import open_course
from tutor.cli import main as cli_main
from tutor.commands import optimize
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning import FixedClock, Learning


def cram(config: TutorConfig, reviews: int) -> None:
    """``reviews`` ratings of 50 cards a minute apart: all within one day."""
    clock = FixedClock()
    with open_course(config, clock) as learning:
        cards = [card.id for card in learning.library.review_cards()[:50]]
        for n in range(reviews):
            learning.rate(cards[n % len(cards)], 1 + n % 4)
            clock.advance(minutes=1)


def optimize_cli(config: TutorConfig, *args: str) -> int:
    return cli_main(["--data-dir", str(config.data_dir), *args, "optimize"])


@pytest.mark.parametrize(
    "lang, said",
    [
        ("en", "a day or more after the card's previous review: it needs 512, you have 0."),
        ("zh", "至少一天的复习记录：需要 512 次，你目前有 0 次。"),
    ],
)
def test_a_day_of_cramming_is_not_fitted_and_nothing_is_saved(course, capsys, lang, said):
    cram(course, 530)  # past the 512 reviews, none a day after the one before
    assert optimize_cli(course, "--lang", lang) == 1
    out = capsys.readouterr().out
    assert said in out and len(out.strip().splitlines()) == 1
    with Learning.from_config(course) as fresh:
        assert fresh.settings.parameters is None  # nothing saved: FSRS' defaults stay
    assert cli_main(["--data-dir", str(course.data_dir), "--lang", lang, "settings"]) == 0
    assert tr("settings.defaults", lang) in capsys.readouterr().out


def mixed_history(config: TutorConfig) -> None:
    """Reviews of 16 cards over 80 rounds, with every case fsrs tells apart: rounds 26 hours
    apart (learned from) and 23 (a later calendar day, but not a day later: not learned from),
    a second review the same day for some cards, and a card reviewed four times a round, so past
    its first 64 reviews (the rest not learned from)."""
    clock = FixedClock()
    with open_course(config, clock) as learning:
        cards = [card.id for card in learning.library.review_cards()[:16]]
        for round_ in range(80):
            for index, card in enumerate(cards):
                again = (round_ + index) % 5 == 0
                learning.rate(card, 1 if again else 3)
                for _repeat in range(3 if index == 0 else (1 if again else 0)):
                    clock.advance(minutes=5)
                    learning.rate(card, 3)  # the same day
                clock.advance(minutes=1)
            clock.advance(hours=23 if round_ % 4 == 3 else 26)


def test_the_count_is_the_one_fsrs_fits_from(course):
    """At 512 reviews fsrs would use, by this count, fsrs fits new parameters; at 511 it gives
    back its defaults: the count agrees with fsrs' own, not only with itself."""
    mixed_history(course)
    with open_course(course, FixedClock()) as learning:
        logs = sorted(learning.review_logs(), key=lambda log: log.review_datetime)
    assert len(logs) > 1000 and optimize.usable_reviews(logs) > optimize.MIN_REVIEWS
    enough = next(
        n for n in range(len(logs)) if optimize.usable_reviews(logs[:n]) == optimize.MIN_REVIEWS
    )
    assert enough > 700  # far more reviews than fsrs uses: the rules above all left some out
    assert optimize.usable_reviews(logs[: enough - 1]) == optimize.MIN_REVIEWS - 1
    defaults = pytest.approx(list(Scheduler().parameters))
    assert optimize.fit_parameters(logs[: enough - 1]) == defaults
    assert optimize.fit_parameters(logs[:enough]) != defaults


def test_the_limits_are_fsrs_own():
    """Kept in the command so counting needs no torch; they must be those fsrs fits with."""
    from fsrs import optimizer

    assert optimizer.mini_batch_size == optimize.MIN_REVIEWS
    assert optimizer.max_seq_len == optimize.REVIEWS_PER_CARD_USED
