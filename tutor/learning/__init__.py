"""The learner's state: FSRS scheduling, a crash-safe SQLite progress store, stats, Anki export.

Nothing here imports torch (the optional FSRS optimizer is imported only by ``nn-tutor optimize``).

The contract the UI codes against::

    from tutor.learning import Learning, SchedulerSettings

    learning = Learning.open(config, library)   # creates/opens SQLite (WAL) at config.paths.database
    learning.notice                             # one line if a corrupt DB was moved aside, else None
    Learning.open(config, library, access=Access.READ)  # a command that only reads: opened
                                                # read-only, not repaired, not stopped by a lock
                                                # (an older file is upgraded where it can be)

    # lessons (each call is its own transaction)
    learning.record_quiz(quiz_id, lesson_id, correct, answer, answer_shown)  # wrong: related
                                                # cards due now; answer_shown (tried again after
                                                # the answer was shown): right, but not passed
    learning.record_exercise(exercise_id, lesson_id, passed, hints_used, failure, answer_shown)
    learning.items_to_retry(lesson_id) -> list[str]   # items whose latest attempt is no pass
    learning.open_checks(lesson_id) -> list[str]      # never tried, or no pass: "still to pass"
    learning.last_attempt(lesson_id, item_id) -> LastAttempt | None  # answer (as given), hints,
                                                # answer_shown
    learning.save_position(lesson_id, step_index); learning.position(lesson_id) -> int | None
    learning.resume_step(lesson_id) -> int    # where opening the lesson starts (see its doc)
    learning.mark_step_seen(lesson_id, step_index)
    learning.lesson_progress(lesson_id) -> LessonProgress(seen_steps, total_steps, quiz_correct,
                                                          quiz_total, mastery, completed,
                                                          open_checks)
    # review
    learning.introduce_card(card_id)            # a passed knowledge-card step joins the queue
    learning.due_now(deck_id=None) -> list[ReviewCard]   # due cards, then today's new cards
    learning.locked_lessons() -> frozenset[str] # unfinished lessons: their card decks wait, unless
    learning.locked_card_count() -> int         # the deck is picked by id; how many cards wait
    learning.due_count(deck_id=None) -> int; learning.next_due(deck_id=None) -> datetime | None
    learning.rate(card_id, rating, duration_ms=None)     # 1 Again 2 Hard 3 Good 4 Easy
    learning.rate(card_id, rating, shown=learning.shown(card_id))  # raises CardChanged when
                                                # another nn-tutor rated it since it was shown
                                                # (or used up today's new cards)
    learning.undo() -> str | None               # undoes this session's last rating; raises
                                                # ReviewSuperseded (and drops it) when another
                                                # nn-tutor has rated that card since
    learning.next_intervals(card_id) -> dict[int, str]   # {1: "1m", 2: "6m", 3: "10m", 4: "8d"}
    learning.is_edited(card_id) -> bool         # text changed since the learner last rated it
    learning.shown(card_id) -> CardShown        # .intervals and .edited as above, from the row
                                                # a rating with shown= must still find
    learning.last_rated(card_ids) -> dict[str, int | None]  # CardShown.last_ms of each: a
                                                # review passes over cards rated elsewhere since
    learning.flag(card_id, note="")
    learning.streak_days() -> int
    learning.stats(lang) -> dict                # see Learning.stats for the keys
    learning.close()

Card identity: a card's explicit id is its key; the store maps it to a stable integer row id, which
is what FSRS sees. The stored content hash marks an edited card without losing its history; a card
whose id vanished from the decks is an orphan: listed, never deleted, never queued.

Time comes from a :class:`Clock`; pass ``clock=FixedClock(...)`` to freeze it (tests, snapshots).
"""

from tutor.learning.clock import Clock, FixedClock
from tutor.learning.scheduler import ReviewScheduler, SchedulerSettings, format_interval
from tutor.learning.service import CardChanged, CardShown, LastAttempt, Learning, LessonProgress
from tutor.learning.store import (
    Access,
    NewerSchemaError,
    OlderSchemaError,
    ReviewSuperseded,
    SchemaVersionError,
    StoreError,
)

__all__ = [
    "Access",
    "CardChanged",
    "CardShown",
    "Clock",
    "FixedClock",
    "LastAttempt",
    "Learning",
    "LessonProgress",
    "NewerSchemaError",
    "OlderSchemaError",
    "ReviewScheduler",
    "ReviewSuperseded",
    "SchedulerSettings",
    "SchemaVersionError",
    "StoreError",
    "format_interval",
]
