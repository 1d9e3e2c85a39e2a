"""Two writers rating the same card: each rating's time is read under the write lock.

The real-process version is ``test_durability.test_two_writers_at_once``; this one makes the race
happen every time. Writer A reads its clock, and at that moment writer B (another open store, as a
second ``nn-tutor`` would have) rates the same card one second later. When A read the time before
taking the lock, B's rating committed first and A's then stored the earlier time as the card's
last review: the card no longer matched its newest review, and FSRS saw a negative elapsed time.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta

from tests.learning.conftest import NO_FUZZ
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.learning import FixedClock, Learning, format_interval
from tutor.learning.clock import from_ms


class RacingClock(FixedClock):
    """A clock whose first reading lets another writer rate ``card`` in a thread, then waits a
    little for it: long enough for it to commit if nothing holds the write lock."""

    race: threading.Thread | None = None
    started: threading.Thread | None = None

    def arm(self, config: TutorConfig, library: DeckLibrary, card: str) -> None:
        later = FixedClock(at=self.at + timedelta(seconds=1))

        def other_writer() -> None:
            with Learning.open(config, library, settings=NO_FUZZ, clock=later) as other:
                other.rate(card, 3)

        self.race = threading.Thread(target=other_writer)

    def now(self) -> datetime:
        race, self.race = self.race, None
        if race is not None:
            race.start()
            race.join(timeout=0.5)
            self.started = race
        return super().now()


def test_a_rating_never_stores_an_older_time_than_the_cards_newest_review(config, library):
    card = "tensors.card-count"
    clock = RacingClock()
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        learning.rate(card, 3)
        clock.advance(days=3)
        clock.arm(config, library, card)
        learning.rate(card, 3)
        assert clock.started is not None
        clock.started.join(timeout=30)
        assert not clock.started.is_alive()

    conn = sqlite3.connect(config.data_dir / "progress.sqlite3")
    try:
        last_ms, newest, count = conn.execute(
            "SELECT c.last_ms, max(r.at_ms), count(r.id) FROM cards c "
            "JOIN reviews r ON r.card_id = c.id WHERE c.card_key = ?",
            (card,),
        ).fetchone()
    finally:
        conn.close()
    assert count == 3
    assert last_ms == newest


def test_a_clock_set_back_rates_at_the_last_reviews_time(learning: Learning, clock: FixedClock):
    card = "tensors.card-count"
    learning.rate(card, 3)
    clock.advance(days=2)
    learning.rate(card, 3)
    last = learning.store.card(card)
    assert last is not None and last.last_ms is not None
    clock.advance(days=-1)  # the wall clock stepped back a day
    learning.rate(card, 3)
    row = learning.store.card(card)
    assert row is not None and row.last_ms == last.last_ms
    assert row.due_ms is not None and row.due_ms >= last.last_ms


def test_the_buttons_say_when_a_rating_on_a_clock_set_back_brings_the_card_back(
    learning: Learning, clock: FixedClock
):
    """With the wall clock set back past the card's last review, a rating is made at that review's
    time: each button says how long from now the card is then due, as it does on a clock that
    keeps time (Again said "10m" for a card due a day and 10 minutes later)."""
    card = "tensors.card-count"
    for _ in range(3):
        learning.rate(card, 3)
        row = learning.store.card(card)
        assert row is not None
        clock.at = from_ms(row.due_ms)
    learning.rate(card, 3)
    clock.advance(days=-1)  # the wall clock stepped back: a day before the last review
    labels = learning.next_intervals(card)
    for rating in (1, 2, 3, 4):
        learning.rate(card, rating)
        row = learning.store.card(card)
        assert row is not None
        assert labels[rating] == format_interval(from_ms(row.due_ms) - clock.now()), rating
        assert learning.undo() == card
