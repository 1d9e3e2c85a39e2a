"""The learning store failing to write (another nn-tutor holding its lock past the busy timeout, a
full disk, a read-only file), as the learner meets it: a rating, an undo or a flag that was not
saved is said to be, and leaves the screen as it was; progress written in the background that
could not be saved is said once, not at every step. Progress that cannot be read is said in place
by the screen that shows it (review, stats, home's Today panel), never passed off as "Nothing due",
with a way to read it again; elsewhere it is said once, in a notice.

The store fails for real: a second connection holds SQLite's write lock (``BEGIN IMMEDIATE``, as
another nn-tutor writing would), and the app's connection waits for it only 50 ms instead of the
store's ten seconds, so its writes fail with "database is locked" at once. Reads (which WAL lets
through that lock) fail on the store's connection closed, and work again on a fresh one.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.learning.conftest import FIXTURE_DECKS, write_lock_held
from tests.learning.tui_helpers import make_app, review_first_card, settle
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning import Learning
from tutor.learning.store import MovedAsideError, connect
from tutor.screens.lesson import LessonScreen
from tutor.screens.review import ReviewScreen
from tutor.screens.stats import StatsScreen

from .conftest import text_of, wait_for

SIZE = (100, 32)
LOCKED = "database is locked"


def store_app(tmp_path: Path, lang: str = "en") -> Any:
    """The app over the learning fixture decks, with its real store."""
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[str(FIXTURE_DECKS)], lang=lang)
    app = make_app(config, lang=lang)
    app.cuda = False
    return app


async def short_busy_timeout(app: Any) -> None:
    """The app's store waits 50 ms for a lock another connection holds (on its own thread)."""
    await app.learning_call(
        lambda learning: learning.store.conn.execute("PRAGMA busy_timeout = 50")
    )


def notes(app: Any) -> list[str]:
    return [note.message for note in app._notifications]


def errors(app: Any) -> list[str]:
    """The error notices the app has shown, oldest first."""
    return [note.message for note in app._notifications if note.severity == "error"]


async def background_writes_done(pilot: Any) -> None:
    await wait_for(
        pilot,
        lambda: (
            not [w for w in pilot.app.workers if w.group == "learning-write" and not w.is_finished]
        ),
    )


# ----------------------------------------------------------------------------------- review


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Couldn't save your rating: database is locked. Try again."),
        ("zh", "评分没有保存：database is locked。请再试一次。"),
    ],
)
async def test_a_rating_the_store_could_not_save_keeps_its_card(tmp_path, lang, said):
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        await short_busy_timeout(app)
        with write_lock_held(learning.store.path):
            await pilot.press("space", "3")
            await wait_for(pilot, lambda: errors(app) != [])
            assert errors(app) == [said]
            # the card stays, answer and rating buttons shown: the learner can rate it again
            assert screen.card.id == "tensors.card-count" and screen.revealed
            assert screen.query_one("#rating-buttons").display
            assert screen.session.ratings == []  # the session does not count it
        assert learning.store.review_count() == 0

        await pilot.press("3")  # the lock is gone: the same rating is saved now
        await wait_for(pilot, lambda: screen.card.id == "tensors.card-bias")
        assert learning.store.review_count() == 1
        assert screen.session.ratings == [("tensors.card-count", 3)]
        assert errors(app) == [said]


async def test_an_undo_the_store_could_not_save_says_so_not_nothing_to_undo(tmp_path):
    app = store_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        await short_busy_timeout(app)
        await pilot.press("space", "3")
        await wait_for(pilot, lambda: screen.card.id == "tensors.card-bias")
        with write_lock_held(learning.store.path):
            await pilot.press("u")
            await wait_for(pilot, lambda: errors(app) != [])
        assert errors(app) == ["Couldn't undo your last rating: database is locked. Try again."]
        assert "Nothing to undo." not in notes(app)
        assert screen.card.id == "tensors.card-bias"
        assert screen.session.ratings == [("tensors.card-count", 3)]
        assert learning.store.review_count() == 1

        await pilot.press("u")  # the lock is gone: that same rating is undone
        await wait_for(pilot, lambda: "Last rating undone." in notes(app))
        assert screen.card.id == "tensors.card-count"
        assert learning.store.review_count() == 0 and screen.session.ratings == []
        await screen.action_undo()  # and now there really is nothing left to undo
        await pilot.pause()  # a notice is a message to the app
        assert notes(app)[-1] == "Nothing to undo."
        assert len(errors(app)) == 1


async def test_a_flag_the_store_could_not_save_says_so(tmp_path):
    app = store_app(tmp_path, "zh")
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        await short_busy_timeout(app)
        with write_lock_held(learning.store.path):
            await pilot.press("f")
            await wait_for(pilot, lambda: errors(app) != [])
        assert errors(app) == ["没能标记这张卡片：database is locked。请再试一次。"]
        assert not [note for note in notes(app) if "已标记" in note]
        assert learning.store.flags() == []
        assert screen.card.id == "tensors.card-count"


# ------------------------------------------------------------------------ background writes


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Couldn't save your progress: database is locked."),
        ("zh", "学习进度没有保存：database is locked。"),
    ],
)
async def test_progress_not_saved_in_the_background_is_said_once_per_failure(tmp_path, lang, said):
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app)
        await short_busy_timeout(app)
        with write_lock_held(learning.store.path):
            app.open_lesson("tensors")
            await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
            # every step shown records two writes (seen, position): six fail, one notice
            await pilot.press("ctrl+pagedown", "ctrl+pagedown")
            await background_writes_done(pilot)
            assert errors(app) == [said]
        assert learning.store.seen_steps("tensors") == set()

        await pilot.press("ctrl+pageup")  # the store works again, and says nothing
        await background_writes_done(pilot)
        assert learning.store.seen_steps("tensors") == {1}
        assert errors(app) == [said]

        with write_lock_held(learning.store.path):  # a failure after that is news again
            await pilot.press("ctrl+pagedown")
            await background_writes_done(pilot)
        assert errors(app) == [said, said]


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_file_moved_aside_is_said_even_while_a_failure_is_told(tmp_path, monkeypatch, lang):
    """A background write that found the file damaged and moved it aside (a store set up late,
    :class:`MovedAsideError`) is news whatever was said before: the progress the learner read
    is not in the new file. Said once, it hid behind a "database is locked" already told."""
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        learning = await settle(pilot, app)
        await short_busy_timeout(app)
        with write_lock_held(learning.store.path):
            app.open_lesson("tensors")
            await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
            await pilot.press("ctrl+pagedown")
            await background_writes_done(pilot)
        assert len(errors(app)) == 1  # locked: told once

        moved = MovedAsideError(learning.store.path, learning.store.path.with_suffix(".corrupt"))

        def damaged(*args: Any, **kwargs: Any) -> None:
            raise moved

        monkeypatch.setattr(learning.store, "mark_seen", damaged)
        await pilot.press("ctrl+pagedown")
        await background_writes_done(pilot)
        # as at open, in the learner's language (not the store's English)
        why = tr("learning.corrupt_moved", lang, path=moved.moved_to).rstrip("。.")
        assert errors(app)[1:] == [tr("app.progress_not_saved", lang, error=why)]


# ------------------------------------------------------------------------------------ reads

CLOSED = "Cannot operate on a closed database"


async def break_store(app: Any) -> None:
    """The store's connection closes: every call fails, reads too, until it is reopened."""
    await app.learning_call(lambda learning: learning.store.conn.close())


async def mend_store(app: Any) -> None:
    """The store works again: a fresh connection to its file."""

    def reopen(learning: Learning) -> None:
        learning.store.conn = connect(learning.store.path)

    await app.learning_call(reopen)


def footer_key(screen: Any, key: str) -> tuple[str, str] | None:
    """The action and description ``key`` shows in ``screen``'s footer, or ``None``."""
    active = screen.active_bindings.get(key)
    if active is None or not active.binding.show:
        return None
    return active.binding.action, active.binding.description


@pytest.mark.parametrize(
    ("lang", "said", "retry"),
    [
        ("en", f"Couldn't read your cards: {CLOSED}. Press r to try again.", "Try again"),
        ("zh", f"没能读取你的卡片：{CLOSED}。按 r 重试。", "重试"),
    ],
)
async def test_cards_that_cannot_be_read_are_said_so_not_nothing_due(tmp_path, lang, said, retry):
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lessons_finished=True)
        await break_store(app)
        screen = ReviewScreen()
        await app.push_screen(screen)
        await wait_for(pilot, lambda: said in text_of(screen.query_one("#review-summary")))
        summary = text_of(screen.query_one("#review-summary"))
        assert "Nothing due" not in summary and "没有要复习" not in summary
        assert footer_key(screen, "r") == ("retry", retry)
        assert errors(app) == []  # said in place, not in a notice as well

        await pilot.press("r")  # the store still fails: said again, in place
        await pilot.pause(0.1)
        await wait_for(pilot, lambda: said in text_of(screen.query_one("#review-summary")))

        await mend_store(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == "card")
        assert screen.card.id == "tensors.card-count"
        assert footer_key(screen, "r") is None  # the example's key, with the answer only
        assert errors(app) == []


async def test_cards_that_cannot_be_read_after_a_session_keep_its_summary(tmp_path, monkeypatch):
    """The store fails once the last card is rated: the look for more cards cannot be made. The
    session's summary stays, with that said under it, not "Nothing due"."""
    app = store_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        learning, screen = await review_first_card(pilot, app)
        rate = learning.rate

        def rate_then_break(*args: Any) -> Any:
            answer = rate(*args)
            if len(screen.queue) == 1:  # the last card: the store breaks once it is saved
                learning.store.conn.close()
            return answer

        monkeypatch.setattr(learning, "rate", rate_then_break)
        while screen.state == "card":
            left = len(screen.queue)
            # Easy: a card rated Good is due again within the learn-ahead window, and the
            # session would go on with it rather than end
            await pilot.press("space", "4")
            await wait_for(pilot, lambda left=left: len(screen.queue) < left)
        said = f"Couldn't read your cards: {CLOSED}. Press r to try again."
        await wait_for(pilot, lambda: said in text_of(screen.query_one("#review-summary")))
        summary = text_of(screen.query_one("#review-summary"))
        assert "Session complete" in summary and "Cards: 3" in summary
        assert footer_key(screen, "r") == ("retry", "Try again")

        await mend_store(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.state == "done")
        summary = text_of(screen.query_one("#review-summary"))
        assert "Session complete" in summary and "Cards: 3" in summary
        assert "Couldn't read" not in summary
        assert footer_key(screen, "r") is None


@pytest.mark.parametrize(
    ("lang", "said", "retry", "review"),
    [
        (
            "en",
            f"Couldn't read your progress: {CLOSED}. Press r to try again.",
            "Try again",
            "Review",
        ),
        ("zh", f"没能读取学习进度：{CLOSED}。按 r 重试。", "重试", "复习"),
    ],
)
async def test_stats_that_cannot_be_read_are_said_so_not_loading(
    tmp_path, lang, said, retry, review
):
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lessons_finished=True)
        await break_store(app)
        app.action_stats()
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        await wait_for(pilot, lambda: text_of(screen.query_one("#stats-numbers")) == f"⚠ {said}")
        assert footer_key(screen, "r") == ("retry", retry)  # not Review, while it says so
        assert errors(app) == []

        await mend_store(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.data is not None)
        assert text_of(screen.query_one("#stats-numbers")).startswith(
            "📊 Review statistics" if lang == "en" else "📊 复习统计"
        )
        assert footer_key(screen, "r") == ("app.review", review)


NO_STORE_STATS = {
    "en": "Your progress store is not available, so there are no statistics to show.",
    "zh": "学习记录不可用，暂时无法显示统计。",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_stats_without_a_store_say_so_not_loading(tmp_path, lang):
    """The store cannot be opened (its data folder is a file): Stats said "Loading your cards…"
    for ever, where Home says progress is not kept and Review that there is nothing to review."""
    (tmp_path / "data").write_text("", encoding="utf-8")
    app = store_app(tmp_path, lang)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app._learning_settled.is_set() and app.library is not None)
        assert app.learning is None and app.learning_error
        app.action_stats()
        await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        numbers = screen.query_one("#stats-numbers")
        await wait_for(pilot, lambda: text_of(numbers) == NO_STORE_STATS[lang])
        assert not screen.query_one("#stats-charts").display  # no empty charts under it
        # Reading again cannot open the store: r stays Review, which says there is none.
        assert footer_key(screen, "r") == ("app.review", "Review" if lang == "en" else "复习")

        await pilot.press("f2")  # in the other language it is said again, not "Loading"
        other = "zh" if lang == "en" else "en"
        await wait_for(pilot, lambda: text_of(numbers) == NO_STORE_STATS[other])


async def test_home_progress_that_cannot_be_read_is_said_so_and_read_again_on_return(tmp_path):
    app = store_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lessons_finished=True)
        home = app.screen
        await wait_for(pilot, lambda: "day streak" in text_of(home.query_one("#today")))
        await break_store(app)
        await pilot.press("question_mark")  # help, then back home: it reads the progress again
        await wait_for(pilot, lambda: app.screen is not home)
        await pilot.press("escape")
        said = f"Couldn't read your progress: {CLOSED}. It is read again when you come back here."
        await wait_for(pilot, lambda: said in text_of(home.query_one("#today")))
        today = text_of(home.query_one("#today"))
        assert "day streak" not in today and "due" not in today
        assert errors(app) == []

        await mend_store(app)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: app.screen is not home)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "day streak" in text_of(home.query_one("#today")))
        assert "Couldn't read" not in text_of(home.query_one("#today"))


async def test_progress_that_cannot_be_read_elsewhere_is_said_once(tmp_path):
    """Where no screen can say it in place (a lesson opened where the learner left off, the next
    question still to pass), a failed read is said in a notice, once until a read works."""
    app = store_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app, lessons_finished=True)
        await break_store(app)
        await app.resume_lesson("tensors")  # where to resume: a failed read, from step 1
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        await app.screen.action_next_open()  # the questions still to pass: a second one
        await pilot.pause()
        # (the step shown is recorded in the background, and that failing is said on its own)
        assert [e for e in errors(app) if "read" in e] == [
            f"Couldn't read your progress: {CLOSED}. What you see may be incomplete."
        ]
        assert app.screen.index > 0  # every question counts as one still to pass


@pytest.mark.parametrize(("lang", "words"), [("en", "could not be read"), ("zh", "无法读取")])
async def test_a_corrupt_database_moved_aside_is_said_in_the_tutor(tmp_path, lang, words):
    """A progress database that cannot be read is moved aside and a fresh one started: the
    learner, finding their progress gone, is told where the old file went."""
    app = store_app(tmp_path, lang)
    database = app.config.paths.database
    database.parent.mkdir(parents=True)
    database.write_bytes(b"this is not a database at all\n" * 200)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.learning is not None)
        await pilot.pause()
        said = [n.message for n in app._notifications if n.severity == "warning"]
        assert any(".corrupt-" in m and words in m for m in said), said


@pytest.mark.parametrize(("lang", "words"), [("en", "newer nn-tutor"), ("zh", "更新版本")])
async def test_a_database_from_a_newer_nn_tutor_is_said_in_the_learners_language(
    tmp_path, lang, words
):
    """A progress database a newer nn-tutor wrote is left alone; the tutor says so in the
    learner's language, naming the file."""
    app = store_app(tmp_path, lang)
    database = app.config.paths.database
    database.parent.mkdir(parents=True)
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA user_version = 99")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: errors(app) != [])
        (said,) = errors(app)
        assert words in said and str(database) in said and "v99" in said, said
        assert "NewerSchemaError" not in said


@pytest.mark.parametrize("kept", ["null", "[]", "3"])
async def test_a_ui_state_file_of_another_shape_is_taken_for_none(tmp_path, kept):
    """``ui-state.json`` holding JSON that is no mapping (another program's, a hand's): the home
    screen read it as one, failed, and the app never opened the progress store; opening a
    lesson then ended the app with a traceback."""
    app = store_app(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "ui-state.json").write_text(kept, encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.library is not None and app.learning is not None)
        app.open_lesson("tensors")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.is_running
    assert app.ui_state() == {"last_lesson": "tensors"}  # written over with what it means
