"""Stats from real history, through ``nn-tutor stats --json`` and the pure calculations."""

from __future__ import annotations

import json

import pytest

from tests.learning.conftest import NO_FUZZ, finish_lessons
from tutor.cli import main as cli_main
from tutor.learning import FixedClock, Learning
from tutor.learning.clock import to_ms
from tutor.learning.stats import forecast, streak


def test_stats_json(config, library, clock: FixedClock, capsys):
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        # day 1: learn two cards to Review state
        for card in ("tensors.card-count", "tensors.card-bias"):
            learning.rate(card, 3)
        clock.advance(minutes=10)
        for card in ("tensors.card-count", "tensors.card-bias"):
            learning.rate(card, 3)
        # a few days later: one remembered, one forgotten (true retention 50%)
        clock.advance(days=5)
        learning.rate("tensors.card-count", 3)
        learning.rate("tensors.card-bias", 1)
        learning.flag("tensors.card-bias", "ambiguous")
        finish_lessons(learning)

    # the CLI runs on the real clock: check only what does not depend on today's date
    rc = cli_main(["--data-dir", str(config.data_dir), "--decks", str(config.deck_paths[0]),
                   "stats", "--json"])  # fmt: skip
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("due_now", "due_today", "new_available", "reviews_total", "retention_30d",
                "streak_days"):  # fmt: skip
        assert key in data
    assert data["reviews_total"] == 6
    assert data["new_available"] == 1  # tensors.card-call; the lesson card waits for its step
    assert data["waiting_for_lesson"] == 0  # the lesson is finished
    assert data["flagged"][0]["card_id"] == "tensors.card-bias"
    assert data["lessons"][0]["lesson_id"] == "tensors"
    assert len(data["forecast"]) == 30
    assert data["orphans"] == []


def test_stats_numbers_with_a_frozen_clock(config, library, clock: FixedClock):
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        for card in ("tensors.card-count", "tensors.card-bias"):
            learning.rate(card, 3)
        clock.advance(minutes=10)
        for card in ("tensors.card-count", "tensors.card-bias"):
            learning.rate(card, 3)
        clock.advance(days=5)
        learning.rate("tensors.card-count", 3)
        learning.rate("tensors.card-bias", 1)
        stats = learning.stats()
        assert stats["retention_30d"] == 0.5
        assert stats["reviews_total"] == 6
        assert stats["due_now"] == 0 and stats["due_today"] == 1  # the lapse, 10 minutes out
        assert stats["streak_days"] == 1  # day 1 and day 6 are not consecutive
        assert sum(stats["heatmap"].values()) == 6 and len(stats["heatmap"]) == 2
        assert stats["forecast"][0] == 1 and sum(stats["forecast"]) == 2


def test_streak_counts_consecutive_days(clock: FixedClock):
    day = 24 * 3600 * 1000
    now = to_ms(clock.now())
    assert streak([now, now - day, now - 2 * day, now - 4 * day], clock) == 3
    assert streak([now - day, now - 2 * day], clock) == 2  # today not done yet: still alive
    assert streak([now - 2 * day], clock) == 0


def test_forecast_puts_overdue_on_day_zero(clock: FixedClock):
    day = 24 * 3600 * 1000
    now = to_ms(clock.now())
    counts = forecast([now - 3 * day, now, now + day, now + 40 * day], clock)
    assert counts[:3] == [2, 1, 0] and sum(counts) == 3


def test_stats_text_output_in_chinese(config, capsys):
    rc = cli_main(["--data-dir", str(config.data_dir), "--decks", str(config.deck_paths[0]),
                   "--lang", "zh", "stats"])  # fmt: skip
    assert rc == 0
    out = capsys.readouterr().out
    assert "复习统计" in out and "层里的张量" in out


@pytest.mark.parametrize("reviews", [0, 511])
def test_optimize_says_when_there_is_too_little_history(config, library, reviews, capsys):
    clock = FixedClock()
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        for n in range(reviews):
            learning.rate("tensors.card-count", 3)
            clock.advance(minutes=1 + n)
    rc = cli_main(["--data-dir", str(config.data_dir), "--decks", str(config.deck_paths[0]),
                   "optimize"])  # fmt: skip
    out = capsys.readouterr().out
    assert rc == 1
    assert "512" in out and f"you have {reviews}" in out
