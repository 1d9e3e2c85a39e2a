"""An attempt made after the answer was shown (a quiz tried again under feedback that marked the
right answer, an exercise checked after its solution was viewed) is kept with that flag, and a
right one is no pass: mastery, "Still to pass" (``open_checks``) and ``items_to_retry`` count it
as not passed until the item is answered right without the answer showing. Hints do not count
against a pass. The fixture lesson "tensors": a quiz at step 1, an exercise at step 2."""

from __future__ import annotations

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ, load_library
from tutor.config import TutorConfig
from tutor.learning import FixedClock, Learning
from tutor.learning.store import SCHEMA_VERSION, connect, migrate

LESSON = "tensors"
QUIZ = "tensors.q-bias"
EXERCISE = "tensors.ex-no-bias"


def test_a_right_answer_after_the_answer_was_shown_is_kept_flagged(learning: Learning):
    learning.record_quiz(QUIZ, LESSON, False, "false")
    learning.record_quiz(QUIZ, LESSON, True, "true", True)
    attempt = learning.last_attempt(LESSON, QUIZ)
    assert attempt is not None
    assert (attempt.correct, attempt.answer, attempt.answer_shown) == (True, "true", True)
    learning.record_exercise(EXERCISE, LESSON, True, 2, None, True)
    exercise = learning.last_attempt(LESSON, EXERCISE)
    assert exercise is not None and exercise.correct and exercise.answer_shown
    assert exercise.hints_used == 2


def test_right_only_after_the_answer_was_shown_stays_to_pass(learning: Learning):
    learning.record_quiz(QUIZ, LESSON, False, "false")
    learning.record_quiz(QUIZ, LESSON, True, "true", True)
    learning.record_exercise(EXERCISE, LESSON, True, 0, None, True)  # solution viewed
    assert learning.open_checks(LESSON) == [QUIZ, EXERCISE]
    assert learning.items_to_retry(LESSON) == [QUIZ, EXERCISE]
    progress = learning.lesson_progress(LESSON)
    assert progress.quiz_correct == 0
    assert progress.mastery == 0.0  # no pass, and the lesson's card never reviewed

    # answered right without the answer showing (the step opened afresh): passed now
    learning.record_quiz(QUIZ, LESSON, True, "true")
    learning.record_exercise(EXERCISE, LESSON, True, 0)
    assert learning.open_checks(LESSON) == []
    assert learning.items_to_retry(LESSON) == []
    assert learning.lesson_progress(LESSON).quiz_correct == 1


def test_a_walk_wrong_first_masters_less_than_one_right_first(
    config: TutorConfig, tmp_path, clock: FixedClock
):
    """The same walk's last answers, right in both; only the learner who had the answer shown
    first is left with it to pass, and a lower mastery."""
    library = load_library()
    flawless = TutorConfig.resolve(
        data_dir=tmp_path / "flawless", decks=[str(FIXTURE_DECKS)], lang="en"
    )
    with Learning.open(flawless, library, settings=NO_FUZZ, clock=clock) as right_first:
        right_first.record_quiz(QUIZ, LESSON, True, "true")
        right_first.record_exercise(EXERCISE, LESSON, True, 0)
        clean = right_first.lesson_progress(LESSON)
        assert right_first.open_checks(LESSON) == []
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as wrong_first:
        wrong_first.record_quiz(QUIZ, LESSON, False, "false")
        wrong_first.record_quiz(QUIZ, LESSON, True, "true", True)
        wrong_first.record_exercise(EXERCISE, LESSON, True, 0)
        shown = wrong_first.lesson_progress(LESSON)
        assert wrong_first.open_checks(LESSON) == [QUIZ]
        # nn-tutor stats reads the same mastery as the course map
        [stats] = [s for s in wrong_first.stats()["lessons"] if s["lesson_id"] == LESSON]
        assert stats["mastery"] == round(shown.mastery, 4)
    assert shown.mastery < clean.mastery


def test_hints_do_not_count_against_a_pass(learning: Learning):
    learning.record_exercise(EXERCISE, LESSON, True, 3)
    assert EXERCISE not in learning.open_checks(LESSON)
    assert EXERCISE not in learning.items_to_retry(LESSON)


def test_a_store_from_before_the_flag_is_upgraded_with_its_attempts_counted_as_before(
    config: TutorConfig, clock: FixedClock
):
    db = config.paths.database
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(db)
    previous = SCHEMA_VERSION - 1
    assert migrate(conn, target=previous) == previous
    columns = [row[1] for row in conn.execute("PRAGMA table_info(attempts)")]
    assert "answer_shown" not in columns  # the store as the last nn-tutor left it
    conn.execute(
        "INSERT INTO attempts (kind, item_id, lesson_id, correct, answer, hints_used, at_ms) "
        "VALUES ('quiz', ?, ?, 1, '\"true\"', 0, 1736856000000)",
        (QUIZ, LESSON),
    )
    conn.close()

    with Learning.open(config, load_library(), settings=NO_FUZZ, clock=clock) as learning:
        version = learning.store.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION
        attempt = learning.last_attempt(LESSON, QUIZ)
        assert attempt is not None and attempt.correct and not attempt.answer_shown
        assert learning.open_checks(LESSON) == [EXERCISE]  # the old right answer still passes
        learning.record_quiz(QUIZ, LESSON, True, "true", True)  # and the new column is written
        assert learning.open_checks(LESSON) == [QUIZ, EXERCISE]
