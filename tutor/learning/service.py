"""``Learning``: the one object the UI and the commands talk to about the learner's progress."""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fsrs import Rating, ReviewLog

from tutor.decks import DeckLibrary, ReviewCard
from tutor.decks.model import LessonDeck, RecapStep, is_text_key, text_key
from tutor.i18n import Lang, localize, tr
from tutor.learning import stats as calc
from tutor.learning.clock import Clock, from_ms, to_ms
from tutor.learning.queue import CardIndex, KnownCards, build_queue, in_deck
from tutor.learning.scheduler import (
    RATINGS,
    ReviewScheduler,
    SchedulerSettings,
    format_interval,
)
from tutor.learning.store import (
    Access,
    CardRow,
    ReviewSuperseded,
    StepMark,
    Store,
    is_time_ms,
)

if TYPE_CHECKING:
    from collections.abc import Container, Iterable

    from tutor.config import TutorConfig

SETTINGS_KEY = "scheduler_settings"
PARAMETERS_KEY = "fsrs_parameters"
EXPORT_TS_KEY = "anki_export_timestamp"
# Anki's "learn ahead limit": a learning step due within this is shown now rather than ending the
# session on a "come back in 1 min".
LEARN_AHEAD = timedelta(minutes=20)
# How many of the latest timed ratings give the learner's pace (:meth:`Learning.seconds_per_review`).
PACE_RATINGS = 500


def hints_taken_key(lesson_id: str, exercise_id: str) -> str:
    """The meta key keeping how many hints of an exercise were taken (see
    :meth:`Learning.record_hints_taken`): an attempt keeps them only as of its Check."""
    return f"hints_taken:{lesson_id}:{exercise_id}"


def current_index(mark: StepMark, lookup: dict[str, int], total: int) -> int | None:
    """Where a kept step is in the lesson now, whose ``total`` steps are found by the keys in
    ``lookup`` (``LessonDeck.step_lookup``): found by its key, so steps added or removed around it
    do not move it, nor an id given to a text step; ``None`` when its key is gone (the step was
    removed, or its English edited). A row kept before keys has none and is read by its index,
    as it always was (a lesson that got shorter leaves indexes past its end)."""
    if mark.key is None:
        return mark.index if 0 <= mark.index < total else None
    return lookup.get(mark.key)


NextKeyOf = Callable[[str], "str | None"]
"""The key of the step that followed a seen step (given by its key) when it was seen, if kept
(:meth:`Store.seen_next_key` of one lesson)."""


def seen_indexes(lesson: LessonDeck, marks: list[StepMark], next_of: NextKeyOf) -> set[int]:
    """The steps of ``lesson`` that the kept ``marks`` say were seen, a text or recap step
    edited in place among them (see :func:`edited_in_place`; ``next_of`` as there)."""
    lookup, total = lesson.step_lookup(), len(lesson.steps)
    found = {mark: current_index(mark, lookup, total) for mark in marks}
    seen = {index for index in found.values() if index is not None}
    for mark, index in found.items():
        if index is None and is_text_key(mark.key):
            edited = edited_in_place(lesson, mark, found, lookup, next_of(mark.key))
            if edited is not None:
                seen.add(edited)
    return seen


def edited_in_place(
    lesson: LessonDeck,
    mark: StepMark,
    found: dict[StepMark, int | None],
    lookup: dict[str, int],
    next_key: str | None,
) -> int | None:
    """Where a seen text or recap step kept by its text (``text:…``, no id) is now, after its
    English was edited: the step of the same kind between the steps that were its neighbours
    when seen, each found where it is now (``found``: every mark's current index). A typo fixed
    in a text step un-finished the lesson for every learner who had finished it, and sent
    Continue back to it. Each side must be held by a seen neighbour found where it agrees, or
    be the lesson's edge: its first step, or a closing recap that was and is the last step (a
    text step there could be the one after a step removed, never seen); else (a neighbour
    edited too, or neither seen nor kept as its next, below) it stays unseen. A step replaced in place by a new one of the same
    kind reads as edited: nothing tells the two apart.

    The step after it, not seen yet (the learner read up to the edited step), holds that side
    too when its key (``next_key``, kept when the step was seen) is found in the lesson now
    (``lookup``, :meth:`LessonDeck.step_lookup`): a step removed there instead leaves that key
    one place further than the edited step's would be."""
    now_at = {other.index: index for other, index in found.items() if index is not None}
    after, before = now_at.get(mark.index - 1), now_at.get(mark.index + 1)
    if before is None and next_key is not None:
        before = lookup.get(next_key)
    place = after + 1 if after is not None else before - 1 if before is not None else None
    last = len(lesson.steps) - 1
    if place is None or not 0 <= place <= last:
        return None
    key = text_key(lesson.steps[place])
    kind = (mark.key or "").split(":", 1)[0]
    if key is None or key.split(":", 1)[0] != kind:
        return None
    closing_recap = place == last and kind == RecapStep.TYPE
    if (after is None and place != 0) or (before is None and not closing_recap):
        return None  # a side held by nothing: a step removed there reads the same
    if before is not None and before - 1 != place:
        return None  # a step added or removed between its neighbours
    return place


def _not_passed(lesson: LessonDeck, latest: dict[str, Any]) -> list[str]:
    """The lesson's quiz and exercise ids whose ``latest`` attempt is not a pass, or that have
    none, in lesson order (see :meth:`Learning.open_checks`)."""
    return [item for _, item in lesson.checks if item not in latest or not latest[item].passed]


def decoded_answer(text: str | None) -> Any:
    """A recorded answer as the step gave it: JSON (see :meth:`Learning.record_quiz`); an answer
    recorded before that was plain text, and is read back as that text."""
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass(frozen=True)
class LastAttempt:
    """How the learner last left a quiz or exercise, for its step to show it so again: right or
    wrong, the ``answer`` as the step gave it (``None`` where none was kept), the hints taken,
    and whether it was made after the answer was shown (a right one is then not passed yet)."""

    correct: bool
    answer: Any
    hints_used: int
    answer_shown: bool = False


class CardChanged(Exception):
    """A rating refused: the card is not as it was when shown. Another nn-tutor on the same store
    rated it since (the rating would be a second one, made on the state the learner saw), or
    started today's last new card, so this one is no longer on offer today."""


@dataclass(frozen=True)
class CardShown:
    """A card as a review screen shows it (:meth:`Learning.shown`), all read from one row: when
    it was last rated (``None``: never), for :meth:`Learning.rate` to see whether it changed
    since; what each rating button would schedule (:meth:`Learning.next_intervals`); whether its
    text changed since it was last rated (:meth:`Learning.is_edited`); whether it is flagged
    (:meth:`Learning.flag`)."""

    last_ms: int | None
    intervals: dict[int, str] = field(default_factory=dict)
    edited: bool = False
    flagged: bool = False


@dataclass(frozen=True)
class SessionCounts:
    """The cards a review sitting started now would show (:meth:`Learning.session_queue`), by
    kind: ``due``, cards the learner has that are due now; ``new``, today's share of new cards;
    ``ahead``, learning steps due within :data:`LEARN_AHEAD`, shown only when nothing else is."""

    due: int
    new: int
    ahead: int

    @property
    def total(self) -> int:
        """The course map's "cards due" (:meth:`Learning.due_count`)."""
        return self.due + self.new + self.ahead


@dataclass(frozen=True)
class SessionSteps:
    """The learning and relearning cards of a review sitting (:meth:`Learning.session_steps`):
    ``due``, those due now, soonest first, which the sitting shows before the rest of its queue
    (as Anki does: a card rated Again comes back when its step is over, not after the backlog);
    ``later``, the ids of those due after now but within the sitting, which it will show too."""

    due: list[ReviewCard]
    later: list[str]


@dataclass(frozen=True)
class LessonProgress:
    seen_steps: int
    total_steps: int
    quiz_correct: int
    quiz_total: int
    mastery: float
    completed: bool
    open_checks: int = 0  # quizzes and exercises not passed yet (:meth:`Learning.open_checks`)


class Learning:
    """The learner's state over one deck library. See :mod:`tutor.learning` for the contract."""

    def __init__(
        self,
        store: Store,
        library: DeckLibrary,
        settings: SchedulerSettings | None = None,
        clock: Clock | None = None,
        notice: str | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.clock = clock or Clock()
        self.notice = notice
        self.index = CardIndex(library)
        self.known = KnownCards()
        # settings kept that could not be used (their defaults stand in): open() says so
        self.unreadable_settings: list[str] = []
        # the stored settings' texts the scheduler was made from; None: settings given, kept
        self._settings_read: tuple[str | None, str | None] | None = None
        self._scheduler = (
            ReviewScheduler(settings) if settings is not None else self._stored_scheduler()
        )
        self._undo: list[int] = []  # review row ids rated through this instance, oldest first

    @classmethod
    def open(
        cls,
        config: TutorConfig,
        library: DeckLibrary,
        *,
        access: Access = Access.WRITE,
        settings: SchedulerSettings | None = None,
        clock: Clock | None = None,
    ) -> Learning:
        """Open the progress database as ``access`` says it will be used: for writing, created
        or upgraded, a corrupt one moved aside (see ``notice``); for reading only, read-only
        (only an older one is upgraded, where it can be: see
        :class:`~tutor.learning.store.Access`)."""
        paths = config.paths.ensure() if access is Access.WRITE else config.paths
        store = Store.open(paths.database, access)
        notice = None
        if store.moved_aside is not None:
            notice = tr("learning.corrupt_moved", config.lang, path=store.moved_aside)
        learning = cls(store, library, settings=settings, clock=clock, notice=notice)
        said: list[str] = [notice] if notice else []
        if learning.unreadable_settings:
            names = ", ".join(learning.unreadable_settings)
            said.append(
                tr("learning.settings_unreadable", config.lang, path=store.path, names=names)
            )
        started_over = store.start_over_unusable_cards()
        if started_over:
            said.append(
                tr(
                    "learning.cards_started_over",
                    config.lang,
                    path=store.path,
                    count=len(started_over),
                    names=", ".join(started_over[:3]) + (", …" if len(started_over) > 3 else ""),
                )
            )
        learning.notice = " ".join(said) or None
        if not (store.read_only or store.set_up_pending):  # (tidy-ups: at the next open)
            learning._key_index_only_steps()
            learning._key_steps_by_given_ids()
        return learning

    def _key_index_only_steps(self) -> None:
        """Give steps kept by index alone (progress from before step keys) the keys of the
        steps at those indexes in the lessons loaded now, once, so that from then on they follow
        their steps as the author adds or removes others. Another nn-tutor holding the write
        lock past the wait leaves it for the next open: they are read by index meanwhile."""
        with contextlib.suppress(sqlite3.OperationalError):
            for lesson_id, indexes in self.store.index_only_lessons().items():
                lesson = self.library.lesson(lesson_id)
                # an index past the lesson's end (it got shorter) has no step to take a key from:
                # no write for it, at every open
                if lesson is not None and min(indexes) < len(lesson.steps):
                    self.store.key_steps(lesson_id, lesson.step_keys())

    def _key_steps_by_given_ids(self) -> None:
        """Keep text and recap steps seen (or left off on) before they had an id by that id
        from now on, once: kept by their English, they would count as new when the author then
        edits it, which is what the id was given for. Until then (a read-only open, another
        nn-tutor holding the write lock) they are found by both keys (``step_lookup``)."""
        with contextlib.suppress(sqlite3.OperationalError):
            for lesson_id, keys in self.store.kept_step_keys().items():
                lesson = self.library.lesson(lesson_id)
                given = lesson.ids_given() if lesson is not None else {}
                renames = {old: new for old, new in given.items() if old in keys}
                if renames:  # else no write, at every open
                    self.store.rekey_steps(lesson_id, renames)

    @classmethod
    def from_config(cls, config: TutorConfig, **kwargs: Any) -> Learning:
        """Load the configured decks and open the learner's state over them (for commands).

        Loaded as ``validate`` loads them (:func:`tutor.decks.load_for_command`): a ``--decks``
        folder with no deck in it is an error the command can report, not an empty library."""
        from tutor.decks import load_for_command

        return cls.open(config, load_for_command([], config), **kwargs)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Learning:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------ settings

    @property
    def scheduler(self) -> ReviewScheduler:
        """Schedules with the settings as stored now: ``nn-tutor settings`` or ``optimize`` in
        another terminal may change them while a TUI is open (settings given to :meth:`open`
        stay as given). Two small reads of the store tell whether they changed."""
        if self._settings_read is not None and self._stored_texts() != self._settings_read:
            self._scheduler = self._stored_scheduler()
        return self._scheduler

    def _stored_texts(self) -> tuple[str | None, str | None]:
        """The settings and the fitted parameters kept apart, as stored (``None``: none)."""
        return self.store.meta(SETTINGS_KEY), self.store.meta(PARAMETERS_KEY)

    def _stored_scheduler(self) -> ReviewScheduler:
        """A scheduler with the settings kept in the store; what cannot be used is left at its
        default and named in :attr:`unreadable_settings` (see :meth:`SchedulerSettings.from_stored`)."""
        texts = self._stored_texts()
        settings, self.unreadable_settings = self._read_settings(texts)
        self._settings_read = texts
        return ReviewScheduler(settings)

    def _read_settings(
        self, texts: tuple[str | None, str | None]
    ) -> tuple[SchedulerSettings, list[str]]:
        """The settings stored as ``texts`` (:meth:`_stored_texts`), and the names of those that
        could not be used. Fitted parameters kept apart (:data:`PARAMETERS_KEY`) count where
        the settings have none."""
        text, params = texts
        if text:
            settings, unreadable = SchedulerSettings.from_stored(text)
        else:
            settings, unreadable = SchedulerSettings(), []
        if params and settings.parameters is None:
            try:
                settings = settings.with_stored("parameters", json.loads(params))
            except (TypeError, ValueError):
                unreadable.append(PARAMETERS_KEY)
        return settings, unreadable

    @property
    def settings(self) -> SchedulerSettings:
        return self.scheduler.settings

    def update_settings(self, settings: SchedulerSettings) -> None:
        """Persist new settings and schedule with them from now on: the fields that differ from
        this instance's settings are changed (:meth:`change_settings`), over the settings as
        stored by then, so what another nn-tutor changed meanwhile stays."""
        current = self.settings  # read once: it looks at the store
        changes = {
            name: getattr(settings, name)
            for name in SchedulerSettings.__dataclass_fields__
            if getattr(settings, name) != getattr(current, name)
        }
        self.change_settings(**changes)

    def change_settings(self, **changes: Any) -> SchedulerSettings:
        """Change the named settings and schedule with them from now on; the settings kept.

        Read, changed and written in one transaction: the settings this instance read when it
        opened may be stale (another nn-tutor changed one since, or ``nn-tutor optimize`` fitted
        for minutes), and writing them back would undo that change. A setting stored that cannot
        be used is written over with its default (the learner is told when the store opens)."""
        with self.store.write():
            current, _unreadable = self._read_settings(self._stored_texts())
            settings = replace(current, **changes)
            scheduler = ReviewScheduler(settings)  # fsrs refuses what it cannot use, unkept
            self.store.set_meta(SETTINGS_KEY, settings.to_json())
            if settings.parameters is None:  # a key left unreadable would be read again
                self.store.delete_meta(PARAMETERS_KEY)
            else:
                self.store.set_meta(PARAMETERS_KEY, json.dumps(list(settings.parameters)))
            if self._settings_read is not None:
                self._settings_read = self._stored_texts()
        self._scheduler = scheduler
        self.unreadable_settings = []
        return settings

    def save_parameters(self, parameters: list[float]) -> SchedulerSettings:
        """Keep FSRS parameters fitted by ``nn-tutor optimize`` and use them from now on; the
        other settings stay as stored then (:meth:`change_settings`)."""
        return self.change_settings(parameters=tuple(float(p) for p in parameters))

    # ------------------------------------------------------------------------ lessons, items

    def record_quiz(
        self,
        quiz_id: str,
        lesson_id: str,
        correct: bool,
        answer: Any,
        answer_shown: bool = False,
    ) -> None:
        """One quiz attempt, in one transaction; a wrong answer brings related cards forward.

        ``answer`` is whatever the quiz step sends (an option id, the ids ticked, true or false,
        an arrangement, a prediction with what it printed): kept as JSON, which SQLite takes
        whatever its shape, and which :meth:`last_attempt` gives back as it was.
        ``answer_shown``: tried again after the feedback showed the right answer, in the same
        sitting; a right one is kept so, but is not passed (:meth:`open_checks`)."""
        self._record("quiz", quiz_id, lesson_id, correct, json.dumps(answer), 0, answer_shown)

    def record_exercise(
        self,
        exercise_id: str,
        lesson_id: str,
        passed: bool,
        hints_used: int,
        failure: Any = None,
        answer_shown: bool = False,
    ) -> None:
        """One exercise result, in one transaction; a failure brings related cards forward.

        ``failure`` is what the step says made it fail (its check's message, the error), kept
        as JSON like a quiz's answer: :meth:`last_attempt` gives it back as the answer.
        ``answer_shown``: checked after the solution was viewed in the same sitting; a pass is
        kept so, but is not passed (:meth:`open_checks`). Hints do not count against a pass."""
        answer = None if failure is None else json.dumps(failure)
        self._record("exercise", exercise_id, lesson_id, passed, answer, hints_used, answer_shown)

    def _record(
        self,
        kind: str,
        item_id: str,
        lesson_id: str,
        correct: bool,
        answer: str | None,
        hints_used: int,
        answer_shown: bool = False,
    ) -> None:
        with self.store.write():
            now_ms = to_ms(self.clock.now())
            self.store.record_attempt(
                kind, item_id, lesson_id, correct, answer, hints_used, now_ms, answer_shown
            )
            if not correct:
                for card in self.related_cards(item_id):
                    self.store.introduce(card.id, card.content_hash, now_ms)
                self.store.bring_forward([c.id for c in self.related_cards(item_id)], now_ms)

    def record_hints_taken(self, lesson_id: str, exercise_id: str, hints: int) -> None:
        """``hints`` of an exercise were taken (shown). An attempt records them with its Check
        only: hints taken after the last one, the lesson reopened or the app restarted, would be
        gone, and the next pass recorded as made with fewer. Never lowered: a hint once shown
        stays shown. Kept in the store's meta table, which needs no new table for it."""
        with self.store.write():
            if hints > self.hints_taken(lesson_id, exercise_id):
                self.store.set_meta(hints_taken_key(lesson_id, exercise_id), str(hints))

    def hints_taken(self, lesson_id: str, exercise_id: str) -> int:
        """How many hints of an exercise were taken, as :meth:`record_hints_taken` kept them (0
        where none were, or what is kept is not a count)."""
        kept = self.store.meta(hints_taken_key(lesson_id, exercise_id))
        with contextlib.suppress(TypeError, ValueError):
            return max(0, int(kept))  # type: ignore[arg-type]
        return 0

    def last_attempt(self, lesson_id: str, item_id: str) -> LastAttempt | None:
        """The latest attempt at a quiz or exercise of a lesson, ``None`` if never tried: a step
        opened again shows it as the learner left it."""
        attempt = self.store.last_attempt(lesson_id, item_id)
        if attempt is None:
            return None
        return LastAttempt(
            attempt.correct,
            decoded_answer(attempt.answer),
            attempt.hints_used,
            attempt.answer_shown,
        )

    def related_cards(self, item_id: str) -> list[ReviewCard]:
        """Cards an item names in ``related`` (a named deck or lesson: the cards the learner has
        met in it), plus cards that name the item in their own ``related``."""
        found = self.library.item(item_id)
        related = list(getattr(found[1], "related", []) or []) if found else []
        cards: dict[str, ReviewCard] = {}
        for ref in related:
            card = self.index.get(ref)
            if card is not None:
                cards[card.id] = card
            elif self.library.item(ref) is not None:
                known = self.known.refresh(self.store)
                for deck_card in self.index.of_deck(ref):
                    if deck_card.id in known:
                        cards[deck_card.id] = deck_card
        for card in self.index.by_id.values():
            if item_id in card.card.related:
                cards[card.id] = card
        return list(cards.values())

    def items_to_retry(self, lesson_id: str) -> list[str]:
        """Quiz and exercise ids whose latest attempt is not a pass (failed, or right only after
        the answer was shown), in lesson order: the lesson's review brings these back."""
        latest = self.store.latest_attempts(lesson_id)
        lesson = self.library.lesson(lesson_id)
        order = [item_id for _, item_id in lesson.checks] if lesson else []
        failed = [item for item, attempt in latest.items() if not attempt.passed]
        return sorted(failed, key=lambda i: order.index(i) if i in order else len(order))

    def open_checks(self, lesson_id: str) -> list[str]:
        """Quiz and exercise ids not passed yet, in lesson order: never answered, answered
        wrong the last time, or right only after the answer was shown (the feedback of a wrong
        try, the solution). A lesson paged through to its end is finished; these say what of it
        the learner has not shown they know."""
        lesson = self.library.lesson(lesson_id)
        if lesson is None:
            return []
        return _not_passed(lesson, self.store.latest_attempts(lesson_id))

    def _step_keys(self, lesson_id: str) -> list[str]:
        """The lesson's step keys (none for a lesson not loaded): progress keeps steps by them."""
        lesson = self.library.lesson(lesson_id)
        return lesson.step_keys() if lesson is not None else []

    def _key_at(self, lesson_id: str, index: int) -> str | None:
        """The key of the lesson's step at ``index``; ``None`` past its end (kept by index)."""
        keys = self._step_keys(lesson_id)
        return keys[index] if 0 <= index < len(keys) else None

    def save_position(self, lesson_id: str, step_index: int) -> None:
        key = self._key_at(lesson_id, step_index)
        self.store.save_position(lesson_id, step_index, to_ms(self.clock.now()), key)

    def position(self, lesson_id: str) -> int | None:
        """Where the saved step is in the lesson now; where it was saved when that step is gone
        (removed, or its text edited without an id) or the lesson is not loaded."""
        return self._position_in(lesson_id, self.library.lesson(lesson_id))

    def _position_in(self, lesson_id: str, lesson: LessonDeck | None) -> int | None:
        """:meth:`position` in ``lesson``, the one loaded with ``lesson_id`` (``None``: none)."""
        mark = self.store.position(lesson_id)
        if mark is None:
            return None
        found = None
        if lesson is not None:
            found = current_index(mark, lesson.step_lookup(), len(lesson.steps))
        return mark.index if found is None else found

    def resume_step(self, lesson_id: str) -> int:
        """The step opening a lesson shows: the saved position while the learner is on the way.
        From the last step (or past it, in a lesson that got shorter) it is the first step not
        seen yet, or the first step of a finished lesson, read again from the top: reopening at
        the end would only offer "finish" again."""
        lesson = self.library.lesson(lesson_id)
        if lesson is None:
            return 0
        saved = self._position_in(lesson_id, lesson)
        if saved is None:
            return 0
        total = len(lesson.steps)
        if saved < total - 1:
            return max(saved, 0)
        seen = seen_indexes(lesson, self.store.seen_marks(lesson_id), self._next_of(lesson_id))
        return next((i for i in range(total) if i not in seen), 0)

    def mark_step_seen(self, lesson_id: str, step_index: int) -> None:
        """Keep the step as seen; for a step kept by its text (no id), the step after it too,
        which finds it again once its text is edited (:func:`edited_in_place`)."""
        key = self._key_at(lesson_id, step_index)
        next_key = self._key_at(lesson_id, step_index + 1) if is_text_key(key) else None
        self.store.mark_seen(lesson_id, step_index, to_ms(self.clock.now()), key, next_key)

    def _next_of(self, lesson_id: str) -> NextKeyOf:
        """:data:`NextKeyOf` of the lesson ``lesson_id``, read from the store when asked."""
        return functools.partial(self.store.seen_next_key, lesson_id)

    def lesson_progress(self, lesson_id: str) -> LessonProgress:
        """Progress through a lesson; mastery averages quiz and exercise success and FSRS'
        predicted recall of the lesson's cards, so it fades as the cards do. Success is a pass
        as :meth:`open_checks` counts it: right only after the answer was shown is none. A card
        never rated, or last rated Again, counts as not recalled (:meth:`_recall`): failing
        every card never raises mastery."""
        lesson = self.library.lesson(lesson_id)
        if lesson is None:
            return LessonProgress(0, 0, 0, 0, 0.0, False)
        total = len(lesson.steps)
        marks = self.store.seen_marks(lesson_id)
        seen = len(seen_indexes(lesson, marks, self._next_of(lesson_id)))
        latest = self.store.latest_attempts(lesson_id)
        quiz_ids = [q.id for q in lesson.quizzes]
        quiz_correct = sum(1 for q in quiz_ids if q in latest and latest[q].passed)
        parts: list[float] = []
        if quiz_ids:
            parts.append(quiz_correct / len(quiz_ids))
        exercise_ids = [e.id for e in lesson.exercises]
        if exercise_ids:
            passed = sum(1 for e in exercise_ids if e in latest and latest[e].passed)
            parts.append(passed / len(exercise_ids))
        cards = self.index.of_deck(lesson_id)
        if cards:
            now, scheduler = self.clock.now(), self.scheduler
            rows = [self.store.card(c.id) for c in cards]
            rated = (row.id for row in rows if row is not None and row.last_ms is not None)
            last = self.store.last_ratings(rated)
            recall = [self._recall(scheduler, row, last, now) for row in rows]
            parts.append(sum(recall) / len(recall))
        mastery = sum(parts) / len(parts) if parts else (seen / total if total else 0.0)
        return LessonProgress(
            seen,
            total,
            quiz_correct,
            len(quiz_ids),
            mastery,
            total > 0 and seen >= total,
            len(_not_passed(lesson, latest)),
        )

    @staticmethod
    def _recall(
        scheduler: ReviewScheduler, row: CardRow | None, last: dict[int, int], now: datetime
    ) -> float:
        """How well a card counts as known in a lesson's mastery: 0 for a card never rated, and
        0 for one whose latest rating (``last``, by row id) was Again: the learner just said
        they forgot it, and it is (re)learning until rated otherwise. FSRS' retrievability is
        close to 1 right after any rating, Again included, so taken alone it made a lesson
        whose cards all failed read as mastered. Otherwise: that retrievability now, which
        fades as the memory does."""
        if row is None or row.last_ms is None or last.get(row.id) == Rating.Again:
            return 0.0
        return scheduler.retrievability(row, now)

    # -------------------------------------------------------------------------------- review

    def introduce_card(self, card_id: str) -> None:
        """A knowledge card the learner passed in a lesson joins the review queue as new."""
        card = self._card(card_id)
        self.store.introduce(card.id, card.content_hash, to_ms(self.clock.now()))

    def _card(self, card_id: str) -> ReviewCard:
        card = self.index.get(card_id)
        if card is None:
            raise KeyError(f"no card {card_id!r} in the loaded decks")
        return card

    def card(self, card_id: str) -> ReviewCard | None:
        return self.index.get(card_id)

    def new_left_today(self) -> int:
        """How many never-seen deck cards may still be started today."""
        start = to_ms(self.clock.start_of(self.clock.today()))
        started = self.store.new_rated_between(start, to_ms(self.clock.end_of_today()))
        return max(0, self.settings.new_per_day - started)

    def locked_lessons(self) -> frozenset[str]:
        """Lessons the learner has not finished (every step seen): the card decks written for
        them are not offered in the all-decks queue yet, so no flashcard asks about something
        the course has not shown. A lesson that is not loaded (its deck skipped for an error)
        cannot be finished: its cards wait too. A deck picked by id is always offered."""
        seen = self.store.seen_marks_by_lesson()
        unfinished = {
            lesson.id
            for lesson in self.library.lessons
            if len(seen_indexes(lesson, seen.get(lesson.id, []), self._next_of(lesson.id)))
            < len(lesson.steps)
        }
        loaded = {lesson.id for lesson in self.library.lessons}
        unshown = {d.lesson for d in self.library.card_decks if d.lesson and d.lesson not in loaded}
        return frozenset(unfinished | unshown)

    def new_cards_tomorrow(self, deck_id: str | None = None) -> bool:
        """Whether never-seen cards (of ``deck_id``; with none, of the lessons finished) wait
        only for tomorrow: today's limit of new cards is used up while some are left."""
        if self.settings.new_per_day == 0 or self.new_left_today() > 0:
            return False  # no new cards wanted, or a queue took every one there was
        self.known.refresh(self.store)
        locked = self.locked_lessons() if deck_id is None else frozenset()
        return bool(self.index.new_cards(self.known, 1, deck_id, locked))

    def locked_card_count(self) -> int:
        """How many never-seen deck cards wait for their lesson to be finished."""
        self.known.refresh(self.store)
        return self.index.locked_count(self.known, self.locked_lessons())

    def due_now(self, deck_id: str | None = None) -> list[ReviewCard]:
        """Cards due now, most overdue first, then today's share of new cards."""
        now_ms = to_ms(self.clock.now())
        new_limit = self.new_left_today()
        locked = self.locked_lessons() if deck_id is None and new_limit > 0 else frozenset()
        return build_queue(self.store, self.index, self.known, now_ms, new_limit, deck_id, locked)

    def learn_ahead(self, deck_id: str | None = None) -> list[ReviewCard]:
        """Learning and relearning cards due within :data:`LEARN_AHEAD`, soonest first."""
        return self._learning_due_by(self.clock.now() + LEARN_AHEAD, deck_id)

    def _learning_due_by(self, moment: datetime, deck_id: str | None) -> list[ReviewCard]:
        """Learning and relearning cards (of ``deck_id``) due by ``moment``, soonest first."""
        return self.index.resolve(self.store.learning_keys(to_ms(moment)), deck_id)

    def session_queue(
        self, deck_id: str | None = None, not_ahead: Container[str] = ()
    ) -> list[ReviewCard]:
        """What a review sitting shows next: the cards due now or, with none, the learning steps
        due soon (as Anki does), so a card rated Again comes back in the same sitting; of those,
        none in ``not_ahead`` (cards another nn-tutor rated meanwhile: theirs to learn ahead)."""
        return self.due_now(deck_id) or [
            card for card in self.learn_ahead(deck_id) if card.id not in not_ahead
        ]

    def session_steps(
        self, deck_id: str | None = None, within: timedelta = LEARN_AHEAD
    ) -> SessionSteps:
        """The learning and relearning cards (of ``deck_id``) due now, and those due ``within``
        from now: a sitting read its queue once, and these are the cards that come due in it."""
        now = self.clock.now()
        due = self._learning_due_by(now, deck_id)
        soon = self._learning_due_by(now + within, deck_id)
        due_ids = {card.id for card in due}
        return SessionSteps(due, [card.id for card in soon if card.id not in due_ids])

    def seconds_per_review(self) -> float | None:
        """The learner's pace: the median time of their latest :data:`PACE_RATINGS` timed
        ratings, in seconds; ``None`` before any rating was timed. The median, as a card left on
        screen over lunch would pull a mean far off."""
        times = self.store.latest_durations(PACE_RATINGS)
        return statistics.median(times) / 1000 if times else None

    def has_reviewed(self) -> bool:
        """Whether any rating of a card stands in the store (made here or by another nn-tutor; an
        undone one is gone): Review praises "nothing due" only once the learner has rated cards,
        not a new learner who has had none to rate."""
        return self.store.review_count() > 0

    def session_counts(self, deck_id: str | None = None) -> SessionCounts:
        """What :meth:`due_count` counts, by kind: the cards a sitting started now shows."""
        queue = self.due_now(deck_id)
        if not queue:
            return SessionCounts(0, 0, len(self.learn_ahead(deck_id)))
        known = self.known.refresh(self.store)
        due = sum(1 for card in queue if card.id in known)
        return SessionCounts(due, len(queue) - due, 0)

    def due_count(self, deck_id: str | None = None) -> int:
        """How many cards a review sitting started now would show: the home screen's count, so
        a learner told "0 cards due" is not handed a learning step due in a few minutes."""
        return len(self.session_queue(deck_id))

    def next_count_change(self, deck_id: str | None = None) -> datetime:
        """The next moment :meth:`due_count` (of ``deck_id``) may change with nothing done: the
        next card (of that deck) falls due, a learning step comes within the learn-ahead, or a
        new day begins (new cards, the streak). Only learning steps are learned ahead: a review
        card counts when it is due."""
        now = self.clock.now()
        changes = [self.clock.end_of_today(), self.next_due(deck_id)]
        ahead = self._first_due_after(now + LEARN_AHEAD, deck_id, learning=True)
        changes.append(None if ahead is None else ahead - LEARN_AHEAD)
        return min(change for change in changes if change is not None)

    def next_due(self, deck_id: str | None = None) -> datetime | None:
        """When the next card (of ``deck_id``) falls due after now, or ``None``."""
        return self._first_due_after(self.clock.now(), deck_id)

    def _first_due_after(
        self, moment: datetime, deck_id: str | None, *, learning: bool = False
    ) -> datetime | None:
        """When the first card (of ``deck_id``; a learning step, with ``learning``) in the decks
        falls due after ``moment``, or ``None``."""
        for key, due_ms in self.store.due_after(to_ms(moment), learning=learning):
            card = self.index.get(key)
            if card is not None and in_deck(card, deck_id):
                return from_ms(due_ms)
        return None

    def shown(self, card_id: str) -> CardShown:
        """The card as it is stored now, for a screen showing it to pass to :meth:`rate`."""
        row = self.store.card(card_id)
        return CardShown(
            row.last_ms if row is not None else None,
            self._intervals(card_id, row),
            self._edited(card_id, row),
            self.store.is_flagged(card_id),
        )

    def last_rated(self, card_ids: Iterable[str]) -> dict[str, int | None]:
        """When each card was last rated (``None``: never), as :attr:`CardShown.last_ms` has
        it: a review sitting reads its queue's with the queue, and again as each card comes
        up, to pass over the cards another nn-tutor rated in between."""
        return self.store.last_rated(card_ids)

    def _refuse_changed(self, card_id: str, prev: CardRow | None, shown: CardShown) -> None:
        """Raise :class:`CardChanged` when the card stored (``prev``, read under the write lock)
        is no longer the one ``shown``, or is a deck card never started while today's new cards
        are used up (by another nn-tutor since its queue was taken)."""
        stored_last = prev.last_ms if prev is not None else None
        if stored_last != shown.last_ms or (prev is None and self.new_left_today() == 0):
            raise CardChanged(card_id)

    def rate(
        self,
        card_id: str,
        rating: int,
        duration_ms: int | None = None,
        shown: CardShown | None = None,
    ) -> None:
        """Rate a card (1 Again, 2 Hard, 3 Good, 4 Easy): one transaction, undoable.

        With ``shown`` (what :meth:`shown` said when the card was put before the learner), a
        card changed since is refused (:class:`CardChanged`): two nn-tutors on one store, each
        with its queue, would otherwise rate it twice, or go past the new cards of the day."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        card = self.index.get(card_id)
        with self.store.write():
            # "now" is read under the write lock: another nn-tutor on the same store that rated
            # the card meanwhile has committed, and this rating comes after its review. It never
            # goes before the card's last review (a wall clock set back), so FSRS never sees a
            # negative elapsed time.
            prev = self.store.card(card_id)
            if shown is not None:
                self._refuse_changed(card_id, prev, shown)
            now = self._rating_time(prev, self.clock.now())
            now_ms = to_ms(now)
            if prev is None:
                card = self._card(card_id)
                row = CardRow(
                    0, card_id, card.content_hash, 1, None, None, None, now_ms, None, now_ms
                )
                row.id = self.store.insert_card(row)
            else:
                row = prev
            content_hash = card.content_hash if card is not None else row.content_hash
            after = self.scheduler.rate(row, rating, now, content_hash)
            self.store.update_card(after)
            review_id = self.store.insert_review(
                row.id, rating, row.state, now_ms, prev, duration_ms
            )
        self._undo.append(review_id)

    @staticmethod
    def _rating_time(row: CardRow | None, now: datetime) -> datetime:
        """When a rating of ``row`` at ``now`` is made: never before the card's last review."""
        if row is not None and row.last_ms is not None:
            return max(now, from_ms(row.last_ms))
        return now

    def undo(self) -> str | None:
        """Undo this session's last rating; the card's id, or ``None`` if nothing to undo.

        Raises :class:`ReviewSuperseded` (and forgets that rating) when another nn-tutor has
        rated the card since: its rating stands; the next undo goes on to the one before. An undo
        that fails otherwise (the store locked, the disk full) changes nothing and keeps the
        rating to undo: the next try undoes it, not the one before."""
        while self._undo:
            try:
                key = self.store.undo_review(self._undo[-1])
            except ReviewSuperseded:
                self._undo.pop()
                raise
            self._undo.pop()
            if key is not None:
                if self.store.card(key) is None:  # it was the card's first rating
                    self.known.forget(key, self.store)
                return key
        return None

    def next_intervals(self, card_id: str) -> dict[int, str]:
        """What each rating button would schedule, e.g. ``{1: "1m", 2: "6m", 3: "10m", 4: "8d"}``:
        how long from now the card is then due. On a clock set back past the card's last review
        the rating is made at that review's time (see :meth:`rate`), and the wait says so."""
        return self._intervals(card_id, self.store.card(card_id))

    def _intervals(self, card_id: str, row: CardRow | None) -> dict[int, str]:
        """:meth:`next_intervals` of the card stored as ``row`` (``None``: never rated)."""
        now = self.clock.now()
        row = row or CardRow(0, card_id, "", 1, None, None, None, to_ms(now), None, to_ms(now))
        at = self._rating_time(row, now)
        return {
            rating: format_interval(at - now + delta)
            for rating, delta in self.scheduler.intervals(row, at).items()
        }

    def is_edited(self, card_id: str) -> bool:
        """Whether the card's text changed since the learner last saw it (its history is kept)."""
        return self._edited(card_id, self.store.card(card_id))

    def _edited(self, card_id: str, row: CardRow | None) -> bool:
        """:meth:`is_edited` of the card stored as ``row``."""
        card = self.index.get(card_id)
        return row is not None and card is not None and row.content_hash != card.content_hash

    def flag(self, card_id: str, note: str = "") -> None:
        """Mark a card as wrong or confusing, for the author."""
        self.store.add_flag(card_id, note, to_ms(self.clock.now()))

    def unflag(self, card_id: str) -> None:
        """Take a card's flags back (one made by mistake): ``stats`` no longer lists it."""
        self.store.remove_flags(card_id)

    def streak_days(self) -> int:
        return calc.streak(self.store.activity_ms(), self.clock)

    def review_logs(self) -> list[ReviewLog]:
        """Every rating as ``fsrs.ReviewLog`` (integer card ids), for the optimizer. A row a hand
        damaged (a rating fsrs has no name for, a time in words) is left out, not the fit."""
        return [
            ReviewLog(
                r.card_id,
                Rating(r.rating),
                from_ms(r.at_ms),
                r.duration_ms if type(r.duration_ms) is int else None,
            )
            for r in self.store.reviews()
            if type(r.rating) is int and r.rating in RATINGS and is_time_ms(r.at_ms)
        ]

    def claim_export_timestamp(self) -> float:
        """A timestamp for an Anki export, at least one second after the previous one.

        Anki updates an imported note only if its modification time (whole seconds) is newer, so
        two exports within a second must still differ. The stamp is kept when the store can be
        written; where it cannot (opened read-only, a read-only file, a lock held past the wait)
        the export still gets one past the last kept, and only two such exports within the same
        second share it.
        """
        if self.store.read_only:
            return self._next_export_timestamp()
        try:
            with self.store.write():
                stamp = self._next_export_timestamp()
                self.store.set_meta(EXPORT_TS_KEY, str(stamp))
        except sqlite3.OperationalError:  # not kept, as in a read-only store
            return self._next_export_timestamp()
        return stamp

    def _next_export_timestamp(self) -> float:
        """Now in whole seconds, or a second past the last export's stamp if that is later."""
        last = float(self.store.meta(EXPORT_TS_KEY) or 0)
        return float(max(int(time.time()), int(last) + 1))

    # --------------------------------------------------------------------------------- stats

    def orphans(self) -> list[str]:
        """Ids of cards with history whose id is no longer in any deck (kept, never deleted)."""
        return sorted(row.key for row in self.store.cards() if row.key not in self.index)

    def edited(self) -> list[str]:
        return sorted(
            row.key
            for row in self.store.cards()
            if row.key in self.index and row.content_hash != self.index.by_id[row.key].content_hash
        )

    def stats(self, lang: Lang | str = Lang.EN) -> dict[str, Any]:
        """Everything the stats screen and ``nn-tutor stats --json`` show (JSON-ready).

        ``review_now`` is the course map's "cards due" (:meth:`due_count`), with its kinds in
        ``review_now_due``, ``review_now_new`` and ``review_now_ahead`` (:class:`SessionCounts`;
        ``learn_ahead_min``: how far ahead learning steps are shown). ``due_now`` and
        ``due_today`` stay what they were: cards the learner has whose due time has come."""
        clock = self.clock
        now_ms = to_ms(clock.now())
        rows = [r for r in self.store.cards() if r.key in self.index]
        month_ago = to_ms(clock.start_of(clock.today() - timedelta(days=29)))
        retention = calc.true_retention(self.store.reviews(since_ms=month_ago))
        reviews = self.store.reviews()
        end_today = to_ms(clock.end_of_today())
        locked = self.locked_lessons()
        self.known.refresh(self.store)
        new_cards = self.index.new_cards(self.known, self.new_left_today(), locked=locked)
        session = self.session_counts()
        return {
            # what a review started now shows: the course map's "cards due", by kind
            "review_now": session.total,
            "review_now_due": session.due,
            "review_now_new": session.new,
            "review_now_ahead": session.ahead,
            "learn_ahead_min": int(LEARN_AHEAD.total_seconds() // 60),
            # the cards' own due times, as before
            "due_now": sum(1 for r in rows if r.due_ms <= now_ms),
            "due_today": sum(1 for r in rows if r.due_ms < end_today),
            "new_available": len(new_cards),
            "waiting_for_lesson": self.index.locked_count(self.known, locked),
            "reviews_total": len(reviews),
            "retention_30d": None if retention is None else round(retention, 4),
            "streak_days": self.streak_days(),
            "cards_known": len(rows),
            "forecast": calc.forecast((r.due_ms for r in rows), clock),
            "heatmap": calc.heatmap((r.at_ms for r in reviews), clock),
            "lessons": [
                self._lesson_stats(lesson.id, lesson.title, lang) for lesson in self.library.lessons
            ],
            "flagged": [
                {"card_id": key, "note": note, "at": from_ms(ms).isoformat()}
                for key, note, ms in self.store.flags()
            ],
            "orphans": self.orphans(),
            "edited": self.edited(),
        }

    def _lesson_stats(self, lesson_id: str, title: Any, lang: Lang | str) -> dict[str, Any]:
        progress = self.lesson_progress(lesson_id)
        return {
            "lesson_id": lesson_id,
            "title": localize(title, lang),
            "mastery": round(progress.mastery, 4),
            "seen_steps": progress.seen_steps,
            "total_steps": progress.total_steps,
            "completed": progress.completed,
        }
