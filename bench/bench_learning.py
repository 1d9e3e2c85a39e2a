"""Learning store speed: building the due queue over 100,000 cards, committing one rating, and
the course map's read of every lesson's progress on a big course.

Run: python bench/bench_learning.py [--cards N] [--repeat N] [--lessons N]
Prints medians. Goals: due queue <= 50 ms, one rating (FSRS + one durable transaction) <= 5 ms,
the course map's progress read <= 200 ms at 120 lessons of 70 cards.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.decks.model import Card, CardDeck, LessonDeck, TextStep
from tutor.learning import FixedClock, Learning, SchedulerSettings
from tutor.learning.clock import to_ms


def big_library(cards: int) -> DeckLibrary:
    deck = CardDeck(
        id="bench",
        title="Bench",
        cards=[
            Card(id=f"bench.card-{i}", front=f"Fact {i}?", back=f"Fact {i}.") for i in range(cards)
        ],
    )
    return DeckLibrary(card_decks=[deck])


def big_course(lessons: int, cards_per_lesson: int) -> DeckLibrary:
    """``lessons`` lessons, each with a card deck of ``cards_per_lesson`` cards."""
    course = DeckLibrary()
    for n in range(lessons):
        lesson_id = f"lesson-{n}"
        steps = [TextStep(body=f"Step {i}.") for i in range(20)]
        course.lessons.append(LessonDeck(id=lesson_id, title=lesson_id, summary="", steps=steps))
        cards = [
            Card(id=f"{lesson_id}.card-{i}", front="Front?", back="Back.")
            for i in range(cards_per_lesson)
        ]
        course.card_decks.append(
            CardDeck(id=f"{lesson_id}-cards", title="", cards=cards, lesson=lesson_id)
        )
    return course


def fill_store(learning: Learning, cards: int, seen_share: float, rng: random.Random) -> None:
    """Give the learner history on ``seen_share`` of the cards, due from 30 days ago to a year on."""
    now = learning.clock.now()
    rows = []
    for i in range(int(cards * seen_share)):
        due = now + timedelta(days=rng.uniform(-30, 365))
        last = due - timedelta(days=rng.uniform(1, 60))
        rows.append(
            (f"bench.card-{i}", "x", 2, None, rng.uniform(1, 90), rng.uniform(1, 10),
             to_ms(due), to_ms(last), to_ms(last))
        )  # fmt: skip
    with learning.store.write() as store:
        store.conn.executemany(
            "INSERT INTO cards (card_key, content_hash, state, step, stability, difficulty, "
            "due_ms, last_ms, added_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--lessons", type=int, default=120)
    args = parser.parse_args()
    rng = random.Random(0)
    library = big_library(args.cards)
    settings = SchedulerSettings(new_per_day=20)
    with tempfile.TemporaryDirectory() as tmp:
        config = TutorConfig.resolve(data_dir=Path(tmp), decks=[tmp], lang="en")
        with Learning.open(config, library, settings=settings, clock=FixedClock()) as learning:
            fill_store(learning, args.cards, 1.0, rng)
            due = len(learning.due_now())
            queue = median_ms(learning.due_now, args.repeat)
            print(f"due queue, {args.cards:,} known cards ({due:,} due): {queue:.1f} ms median")

            ids = [f"bench.card-{i}" for i in range(args.cards)]
            rate = median_ms(lambda: learning.rate(rng.choice(ids), rng.randint(1, 4)), 200)
            print(f"commit one rating (synchronous=FULL, WAL): {rate:.2f} ms median")

    with tempfile.TemporaryDirectory() as tmp:
        config = TutorConfig.resolve(data_dir=Path(tmp), decks=[tmp], lang="en")
        with Learning.open(config, library, settings=settings, clock=FixedClock()) as learning:
            fill_store(learning, args.cards, 0.5, rng)
            due = len(learning.due_now())
            queue = median_ms(learning.due_now, args.repeat)
            print(
                f"due queue, {args.cards:,} cards, half never seen ({due:,} queued incl. new): "
                f"{queue:.1f} ms median"
            )

    course = big_course(args.lessons, 70)
    with tempfile.TemporaryDirectory() as tmp:
        config = TutorConfig.resolve(data_dir=Path(tmp), decks=[tmp], lang="en")
        with Learning.open(config, course, settings=settings, clock=FixedClock()) as learning:
            ids = [lesson.id for lesson in course.lessons]
            read = median_ms(lambda: [learning.lesson_progress(i) for i in ids], args.repeat)
            cards = len(course.review_cards())
            print(
                f"course map progress read, {args.lessons} lessons, {cards:,} cards: {read:.1f} ms median"
            )


if __name__ == "__main__":
    main()
