"""Review: due flashcards with Anki's keys, then a session summary.

Space/Enter reveals; 1 Again · 2 Hard · 3 Good · 4 Easy rate (each button shows the interval it
would schedule); ``u`` undoes the last rating, ``f`` flags the card for its author (listed by
stats) or, flagged, unflags it, ``e`` opens its lesson and ``r`` runs the card's example in the
sandbox. Undo takes back ratings only: a flag stays until ``f`` takes it back. The example and
``r`` appear with the answer only: its output often is the answer. Every store call goes
through ``app.learning_call`` (the learning thread), never on the UI thread. Cards the store
could not read are said to be, in place of the summary ("Nothing due" would be a guess), and
``r`` reads them again. Cards another nn-tutor on the same data rates while the sitting is open
are passed over as they come up, with one note.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Markdown, Static

from tutor.app import FAILED, ReadFailed
from tutor.decks.code_comments import localize_comments
from tutor.i18n import localize, tr
from tutor.learning import CardChanged, CardShown, ReviewSuperseded
from tutor.learning.scheduler import format_interval, split_interval
from tutor.learning.service import SessionSteps
from tutor.learning.stats import accuracy
from tutor.screens.base import TutorScreen
from tutor.theme_styles import app_styles
from tutor.torch_version import too_old_for
from tutor.widgets.code_view import CodeView
from tutor.widgets.fitting_footer import FittingFooter
from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.run_panel import CANCEL_RUN, CancelsRun, RunPanel, run_in_panel, stop_runs

RATING_KEYS = {1: "review.again", 2: "review.hard", 3: "review.good", 4: "review.easy"}
# A session that ends with a card due within this stays on watch and offers the card when it falls
# due; a card due later (tomorrow, in days) is only mentioned.
OFFER_WITHIN = timedelta(hours=1)
# How often (real seconds) the finished screen reads the app's clock to see whether that card is
# due yet, and a card on screen whether Home's count may have changed: reading the clock, not a
# timer set for the wait, lets a moved clock (tests, a laptop waking from sleep) count.
WATCH_SECONDS = 1.0
# A sitting with this many cards to go tells how long they may take (a returning learner's 117
# due cards read "0 reviewed · 117 to go", no more).
LONG_SESSION = 50
# The pace the estimate takes before the learner has a timed rating (Anki's reviews take 8-10 s).
DEFAULT_SECONDS_PER_CARD = 10.0


def interval_words(label: str, lang: Any) -> str:
    """A scheduler interval label (``10m``, ``1.5mo``) in the learner's words: ``10 min``,
    ``10 分钟`` (a bare ``m`` reads as 月, month, in Chinese). Every interval the review shows
    goes through here; a label of another form is shown as it is."""
    parts = split_interval(label)
    return tr(f"interval.{parts[1]}", lang, n=parts[0]) if parts else label


class Looked(NamedTuple):
    """What :meth:`ReviewScreen._finish` reads once the queue ran out."""

    queue: list[Any]
    next_due: datetime | None
    now: datetime | None
    locked: int  # never-seen deck cards waiting for their lesson
    new_tomorrow: bool  # never-seen cards held back by today's limit of new cards
    tomorrow: datetime | None  # when the next day (and its new cards) begins
    reviewed: bool  # whether the learner has ever rated a card (else no praise for none due)


def rate_as_shown(
    learning: Any, card_id: str, rating: int, duration_ms: int, shown: CardShown | None
) -> CardChanged | None:
    """``learning.rate`` of the card as this screen showed it, with a card changed since (another
    nn-tutor rated it) returned rather than raised: no failure of the store, said apart."""
    try:
        learning.rate(card_id, rating, duration_ms, shown)
    except CardChanged as changed:
        return changed
    return None


def marks_of(learning: Any, cards: list[Any]) -> dict[str, int | None]:
    """When each of ``cards``, read for a sitting, was last rated, read with them: the sitting
    passes over a card queued whose last rating changes, rated by another nn-tutor since."""
    return learning.last_rated(card.id for card in cards)


def queue_with_marks(
    learning: Any, deck_id: str | None, not_ahead: frozenset[str]
) -> tuple[list[Any], dict[str, int | None]]:
    """The sitting's queue (:meth:`Learning.session_queue`) with its :func:`marks_of`."""
    queue = learning.session_queue(deck_id, not_ahead)
    return queue, marks_of(learning, queue)


class SittingRead(NamedTuple):
    """What a sitting reads as each card comes up, and again when the clock passes the moment
    Home's count may change (:func:`read_sitting`)."""

    steps: SessionSteps  # the learning steps due now and those coming back in the sitting
    # what a sitting started now would show (of the deck, under review --deck): Home's count is
    # its length (Learning.due_count), and those not queued yet (a new day's new cards) are
    # this sitting's too
    queue: list[Any]
    marks: dict[str, int | None]  # when each card of ``steps.due`` and ``queue`` was last rated
    changes: datetime  # the next moment Home's count (of the deck) may change with nothing done


def read_sitting(learning: Any, deck_id: str | None) -> SittingRead:
    """The :class:`SittingRead` of ``deck_id`` (``None``: every deck) now."""
    steps = learning.session_steps(deck_id, OFFER_WITHIN)
    queue = learning.session_queue(deck_id)
    marks = marks_of(learning, [*steps.due, *queue])
    return SittingRead(steps, queue, marks, learning.next_count_change(deck_id))


def undo_last(learning: Any) -> str | ReviewSuperseded | None:
    """``learning.undo()``, with a rating another nn-tutor has rated over since returned rather
    than raised: it is no failure of the store (``learning_call`` would say it failed), the
    rating stands and the screen says so."""
    try:
        return learning.undo()
    except ReviewSuperseded as superseded:
        return superseded


@dataclass
class Session:
    """What this sitting has done, for the summary."""

    started: float | None = None  # when its first card was shown
    ratings: list[tuple[str, int]] = field(default_factory=list)
    last_rated: float | None = None
    away: float = 0.0  # seconds spent on other screens since it started
    away_by_last_rating: float = 0.0

    def begin(self) -> None:
        """The first card is shown: the time counts from here, not from the screen's loading."""
        if self.started is None:
            self.started = time.monotonic()

    def left_for(self, since: float, until: float) -> None:
        """The learner was on another screen (a card's lesson, help) from ``since`` to ``until``
        (monotonic seconds); only the part after the first card was shown counts as away."""
        if self.started is not None:
            self.away += max(0.0, until - max(since, self.started))

    def rated(self, card_id: str, rating: int) -> None:
        self.ratings.append((card_id, rating))
        self.last_rated = time.monotonic()
        self.away_by_last_rating = self.away

    @property
    def seconds(self) -> int:
        """From the first card to the last rating, less the time spent on other screens in
        between: the summary stays as it was when the learner went on to another screen and
        came back."""
        if self.started is None or self.last_rated is None:
            return 0
        return round(self.last_rated - self.started - self.away_by_last_rating)

    @property
    def cards(self) -> int:
        """Cards rated, each once however often (a card rated Again comes back)."""
        return len({card_id for card_id, _ in self.ratings})


class ReviewScreen(CancelsRun, TutorScreen):
    CSS_PATH = "review.tcss"
    BINDINGS: ClassVar = [
        Binding("space,enter", "reveal", "k.review_reveal", key_display="space"),
        Binding("space,enter", "continue", "k.review_continue", key_display="space"),
        Binding("1", "rate(1)", "k.review_again", show=False),
        Binding("2", "rate(2)", "k.review_hard", show=False),
        Binding("3", "rate(3)", "k.review_good", show=False),
        Binding("4", "rate(4)", "k.review_easy", show=False),
        Binding("u", "undo", "k.review_undo"),
        Binding("f", "flag", "k.review_flag"),
        Binding("f", "unflag", "k.review_unflag"),  # only on a flagged card
        Binding("e", "open_lesson", "k.review_lesson"),
        Binding("r", "run_example", "k.review_run"),
        Binding("r", "retry", "k.retry"),  # only while the cards could not be read
        CANCEL_RUN,  # the example's run
        Binding("escape", "leave", "k.leave", key_display="esc"),
        # q leaves too, kept out of the footer: drawn as "esc", it said esc would leave mid-run
        Binding("q", "leave", "k.leave", show=False),
    ]

    def __init__(self, deck_id: str | None = None) -> None:
        super().__init__(id="review")
        self.deck_id = deck_id
        self.queue: list[Any] = []  # ReviewCard, front of the list is shown
        self.revealed = False
        self.state = "loading"  # loading | card | done | unavailable | failed
        self.read_error: str | None = None  # why the cards could not be read (state "failed")
        self.next_due: datetime | None = None
        self.locked = 0  # never-seen deck cards waiting for their lesson to be finished
        self.new_tomorrow = False  # never-seen cards held back by today's limit of new cards
        self.tomorrow: datetime | None = None  # when the next day's new cards come
        self.now: datetime | None = None
        self.reviewed = False  # whether the learner had rated any card when the queue ran out
        self.due_again: list[Any] = []  # cards come due since the session ended, on offer
        # learning steps rated this sitting (or before) that come back within it, not queued yet:
        # they count in "to go", which else rose near the end as they came back
        self.waiting = 0
        # Home's count of the cards to review now (for this deck, under review --deck), read with
        # the learning steps, and when it may next change: the header says it (None: not read)
        self.home_due: int | None = None
        self._home_due_changes: datetime | None = None
        self._home_clock: Any = None  # the timer watching for that moment while a card is shown
        self.pace: float | None = None  # the learner's median seconds a rating, None: not timed
        self._watch: Any = None  # the timer watching for the next card to fall due
        self.session = Session()
        self._shown_at = time.monotonic()
        # the current card as stored when shown: its rating is refused if another nn-tutor
        # rated it since (None: not known, rated as it is then)
        self._shown_as: CardShown | None = None
        # when each card queued was last rated, as this sitting read it with its queue: a card
        # rated since was rated by another nn-tutor, and is passed over (see _pass_over_rated)
        self._as_read: dict[str, int | None] = {}
        # the cards another nn-tutor rated during this sitting: not learned ahead here (the
        # learning step it gave them is theirs), but shown once due (or due again: undone there)
        self._elsewhere: set[str] = set()
        # A rating or undo is being saved. A click is handled by the screen while a key's rating
        # is still being saved by the app (or the other way round): a second one then would rate
        # the same card again and drop the next card from the queue unseen.
        self._saving = False
        self._left_at: float | None = None  # when another screen came over this one
        self._done_since: float | None = None  # when the summary came up (the queue ran out)

    @property
    def intervals(self) -> dict[int, str]:
        """The wait each rating of the current card would schedule ({} when not known)."""
        return self._shown_as.intervals if self._shown_as is not None else {}

    @property
    def flagged(self) -> bool:
        """Whether the current card is flagged (as read when shown, or flagged here since)."""
        return self._shown_as is not None and self._shown_as.flagged

    @property
    def edited(self) -> bool:
        """Whether the current card's text changed since the learner last rated it."""
        return self._shown_as is not None and self._shown_as.edited

    # ------------------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header(icon="🔁")
        with Vertical(id="review-body"):
            yield Static(id="review-status")
            with VerticalScroll(id="review-card"):
                yield ProseMarkdown(id="card-front")
                yield Static(id="card-divider")
                yield ProseMarkdown(id="card-back")
                yield Static(id="example-title")
                yield CodeView("", id="example-code")
                yield RunPanel(id="example-run")
            yield Static(id="reveal-hint")
            with Horizontal(id="rating-buttons"):
                for rating in RATING_KEYS:
                    button = Button("", id=f"rate-{rating}", classes=f"rate rate-{rating}")
                    button.can_focus = False
                    yield button
            yield Static(id="review-summary")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "learning", self._learning_ready)

    def on_screen_suspend(self) -> None:
        self._left_at = time.monotonic()
        self._stop_home_clock()

    def on_screen_resume(self) -> None:
        """Back from another screen (``e``'s lesson, help): the time away is not time spent on
        the card (a rating's duration, kept with it) nor in this sitting (the summary's)."""
        if self._left_at is not None:
            now = time.monotonic()
            # only the time since the card was shown: it may have come up under the other screen
            self._shown_at += max(0.0, now - max(self._left_at, self._shown_at))
            if self._done_since is None:  # else the wait on the summary will count it, once
                self.session.left_for(self._left_at, now)
            self._left_at = None
        self._follow_home_clock()

    def on_lang(self) -> None:
        self.render_all()
        self.query_one("#example-run", RunPanel).retranslate()

    def theme_changed(self) -> None:
        """The status line's marks and the summary's warnings drawn again in the new theme's
        colours (:mod:`tutor.theme_styles`); the card's views follow by themselves."""
        self.query_one("#review-status", Static).update(self._status())
        summary = self.query_one("#review-summary", Static)
        if summary.display:
            summary.update(self._summary())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys show only where they do something: the card's keys with a card on screen, the
        ratings with its answer (as in Anki, a card is rated after its answer is seen)."""
        if action == "run_example":
            return self.example_shown
        if action == "reveal":
            return self.state == "card" and not self.revealed
        if action == "rate":
            return self.state == "card" and self.revealed
        if action == "flag":
            return self.state == "card" and not self.flagged
        if action == "unflag":
            return self.state == "card" and self.flagged
        if action == "open_lesson":  # a card deck's lesson may be missing (skipped, removed)
            library, card = self.tutor.library, self.card
            return (
                self.state == "card"
                and card is not None
                and bool(card.lesson_id)
                and library is not None
                and library.lesson(card.lesson_id) is not None
            )
        if action == "undo":
            return self.state in ("card", "done") and bool(self.session.ratings)
        if action == "retry":
            return self.state == "failed"
        if action == "continue":
            return self.state == "done" and bool(self.due_again)
        return super().check_action(action, parameters)

    @property
    def example_shown(self) -> bool:
        """Whether the card's example is on screen: with the answer, when it has one."""
        card = self.card
        return (
            self.state == "card" and self.revealed and card is not None and bool(card.card.example)
        )

    @property
    def card(self) -> Any:
        return self.queue[0] if self.queue else None

    # -------------------------------------------------------------------------------- data

    def _learning_ready(self, learning: Any = None) -> None:
        if learning is not None and self.state in ("loading", "failed"):
            self.load_queue()
        elif learning is None and self.tutor.learning_error:
            self.state = "unavailable"
        self.render_all()

    @work(exclusive=True, group="review-load", exit_on_error=False)
    async def load_queue(self) -> None:
        deck_id = self.deck_id
        elsewhere = frozenset(self._elsewhere)
        read = await self.tutor.learning_call(
            lambda learning: queue_with_marks(learning, deck_id, elsewhere),
            ([], {}),
            failed_read=True,
        )
        if isinstance(read, ReadFailed):
            self._read_failed(read)
            return
        queue, marks = read
        self._read_again(queue, marks)
        self.queue = list(queue)
        self.pace = await self.tutor.learning_call(lambda learning: learning.seconds_per_review())
        await self._show_current()

    async def _read_sitting(self) -> SittingRead | None:
        """:func:`read_sitting` of this sitting's deck; ``None``: not read."""
        deck_id = self.deck_id
        return await self.tutor.learning_call(lambda learning: read_sitting(learning, deck_id))

    async def _take_steps(self, *, first: bool) -> None:
        """Read the learning steps that came due or come due in this sitting, and the cards come
        due since the queue was read (:meth:`_take_in`); with ``first``, after a rating, its
        time goes into the learner's pace."""
        read = await self._read_sitting()
        if read is None:  # not read: the queue stays as it is
            return
        self._take_in(read, first=first)
        if first:  # a rating just timed: the pace takes it (the first makes it the learner's)
            self.pace = await self.tutor.learning_call(
                lambda learning: learning.seconds_per_review(), self.pace
            )

    async def _show_current(self, *, steps_first: bool = False) -> None:
        """Fetch what the current card needs (button intervals, edited mark) and render it; with
        ``steps_first`` (after a rating) learning steps come due go first. The last card's
        example run is stopped first: its output must not land on this card."""
        await stop_runs(self)
        self.revealed = False
        await self._pass_over_rated()
        await self._take_steps(first=steps_first)
        card = self.card
        if card is None:
            await self._finish()
            return
        self.state = "card"
        self._follow_home_clock()
        if self._done_since is not None:  # the wait on the summary is no time on the cards
            self.session.left_for(self._done_since, time.monotonic())
            self._done_since = None

        # what a rating of it must still find (rate), its buttons' waits, whether it was edited
        shown = await self.tutor.learning_call(lambda learning: learning.shown(card.id), None)
        if shown is not None and card.id in self._as_read:
            # rated as the queue had it: a rating another nn-tutor made since, even one made
            # after _pass_over_rated looked, has the rating refused
            shown = replace(shown, last_ms=self._as_read[card.id])
        self._shown_as = shown
        self._shown_at = time.monotonic()
        self.session.begin()
        self.query_one("#example-run", RunPanel).display = False
        self.render_all()
        # a card opens at its question, not where the last (long) card was scrolled to
        self.query_one("#review-card", VerticalScroll).scroll_home(animate=False)

    async def _pass_over_rated(self) -> None:
        """Drop from the queue the cards another nn-tutor rated since this sitting read them,
        with one short note: their rows' last ratings, read once as a card comes up (no
        polling), are no longer the ones read with the queue. "To go" follows."""
        ids = [card.id for card in self.queue if card.id in self._as_read]
        if not ids:
            return
        now = await self.tutor.learning_call(lambda learning: learning.last_rated(ids), None)
        if now is None:  # not read: a rating of a card changed since is still refused
            return
        rated = {card_id for card_id in ids if now.get(card_id) != self._as_read[card_id]}
        if rated:
            self._elsewhere |= rated
            self.queue = [card for card in self.queue if card.id not in rated]
            self.notify(self.t("review.rated_elsewhere", count=len(rated)), timeout=4)

    def _take_in(self, read: SittingRead, *, first: bool) -> None:
        """Home's count and the cards ``read`` found: with ``first`` (after a rating) the
        learning steps come due since the queue was read go before the rest of it, as in Anki,
        rather than wait behind the whole backlog (the cards queued keep their order, most
        overdue first); the ones still to come count in "to go". The other cards come due that
        are not queued (a new day's new cards, a review card fallen due) go after the queue:
        "to go" counts them as Home does, rather than only once the queue ran out."""
        self.home_due, self._home_due_changes = len(read.queue), read.changes
        steps = read.steps
        queued = {card.id for card in self.queue}
        if first:
            back = [card for card in steps.due if card.id not in queued]
            self._read_again(back, read.marks)
            self.queue = [*back, *self.queue]
            queued.update(card.id for card in back)
        coming = [card.id for card in steps.due] + steps.later
        # the learning steps come in as above, after a rating: not with the other cards
        skipped = {*queued, *coming}
        later = [card for card in read.queue if card.id not in skipped]
        self._read_again(later, read.marks)
        self.queue = [*self.queue, *later]
        queued.update(card.id for card in later)
        # those another nn-tutor rated during this sitting come due in theirs: not counted here
        queued |= self._elsewhere
        self.waiting = sum(1 for card_id in coming if card_id not in queued)

    def _read_again(self, cards: list[Any], marks: dict[str, int | None]) -> None:
        """``cards`` were read due (now) with their ``marks``: each is this sitting's to show,
        rated elsewhere or not, and its rating is refused only if rated again from here on."""
        for card in cards:
            self._as_read[card.id] = marks.get(card.id)
            self._elsewhere.discard(card.id)

    async def _finish(self, *, offer: bool = False) -> None:
        """The queue ran out: look once more (learning steps may have come due, or be due within
        the learn-ahead window), then summarize; with a card due soon, watch for it. With
        ``offer`` (the watch found a card due) what is due is offered, not shown at once: the
        learner may have turned away, and a card should not be rated by a stray key."""
        deck_id = self.deck_id

        def refill(learning: Any) -> tuple[Looked, dict[str, int | None]]:
            queue, marks = queue_with_marks(learning, deck_id, elsewhere)
            # the waiting cards are only mentioned in the summary shown when nothing is left
            locked = learning.locked_card_count() if deck_id is None and not queue else 0
            new_tomorrow = not queue and learning.new_cards_tomorrow(deck_id)
            clock = learning.clock
            looked = Looked(
                queue,
                learning.next_due(deck_id),
                clock.now(),
                locked,
                new_tomorrow,
                clock.end_of_today(),
                learning.has_reviewed(),
            )
            return looked, marks

        elsewhere = frozenset(self._elsewhere)
        nothing = Looked([], None, None, 0, False, None, False)
        read = await self.tutor.learning_call(refill, (nothing, {}), failed_read=True)
        if isinstance(read, ReadFailed):
            self._read_failed(read)
            return
        looked, marks = read
        self._read_again(looked.queue, marks)
        (
            queue,
            self.next_due,
            self.now,
            self.locked,
            self.new_tomorrow,
            self.tomorrow,
            self.reviewed,
        ) = looked
        if queue and self.session.ratings and not offer:
            self.queue = list(queue)
            await self._show_current()
            return
        self.state = "done"
        self._follow_home_clock()
        if self._done_since is None:
            self._done_since = time.monotonic()
        self.due_again = list(queue)  # due already without a rating this sitting: on offer
        self._watch_next_due()
        self.render_all()

    def _due_soon(self) -> bool:
        """Whether the session ended with a card due within :data:`OFFER_WITHIN`."""
        if self.next_due is None or self.now is None:
            return False
        return self.next_due - self.now <= OFFER_WITHIN

    def _watch_next_due(self) -> None:
        """Watch the clock while the next card is due soon and none is on offer yet."""
        self._stop_watch()
        if self.state == "done" and not self.due_again and self._due_soon():
            self._watch = self.set_interval(WATCH_SECONDS, self._check_due)

    def _check_due(self) -> None:
        """A tick of the watch: once the app's clock reaches the next due time, read the queue."""
        learning = self.tutor.learning
        if self.state != "done" or learning is None or self.next_due is None:
            return
        if learning.clock.now() >= self.next_due:
            self._stop_watch()
            self._offer_due()

    def _stop_watch(self) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None

    def _check_home_clock(self) -> None:
        """A tick: once the app's clock reaches the moment Home's count may change (a new day's
        new cards, a card falling due, a learning step within the learn-ahead), read it again,
        with the cards come due (:meth:`_recount_home_due`). Not while a rating or an undo is
        being saved: the next card shown reads them afresh."""
        learning, changes = self.tutor.learning, self._home_due_changes
        if learning is None or changes is None or self._saving:
            return
        if learning.clock.now() >= changes:
            self._home_due_changes = None
            self._recount_home_due(changes)

    def _follow_home_clock(self) -> None:
        """Watch the clock for Home's count (:meth:`_check_home_clock`) while a card is shown on
        this screen, and only then: a card may stay on screen over midnight, or while a learning
        step comes within the learn-ahead, and the header's count follows the clock, as Home's
        does; the summary, a failed read and another screen on top show no count to follow."""
        if self.state != "card" or not self.is_current:
            self._stop_home_clock()
        elif self._home_clock is None:
            self._home_clock = self.set_interval(WATCH_SECONDS, self._check_home_clock)

    def _stop_home_clock(self) -> None:
        if self._home_clock is not None:
            self._home_clock.stop()
            self._home_clock = None

    @work(exclusive=True, group="review-home-due", exit_on_error=False)
    async def _recount_home_due(self, passed: datetime) -> None:
        """Read Home's count again, with the cards come due since the queue was read (the card
        on screen stays), and the header says it; not read: the next card reads it. A rating
        or undo begun meanwhile changes the queue after the read (the learning thread takes
        the read first): the moment ``passed`` is watched for again, and the next tick reads
        afresh, or the next card shown."""
        read = await self._read_sitting()
        if read is None:
            return
        if self._saving:
            self._home_due_changes = passed
            return
        self._take_in(read, first=False)
        self.query_one("#review-status", Static).update(self._status())

    @work(exclusive=True, group="review-load", exit_on_error=False)
    async def _offer_due(self) -> None:
        """The card waited for is due: offer what is due now (Space or Enter continues), or,
        when another nn-tutor took it meanwhile, wait for the next one."""
        if self.state != "done":
            return
        await self._finish(offer=True)

    async def action_continue(self) -> None:
        """Go on with the cards that came due after the session ended."""
        if self.state == "done" and self.due_again:
            self.queue, self.due_again = self.due_again, []
            await self._show_current()

    def _read_failed(self, failure: ReadFailed) -> None:
        """The cards could not be read: say so in place of the summary, ``r`` to read again."""
        self.state, self.read_error = "failed", failure.error
        self._follow_home_clock()
        self.render_all()

    # ----------------------------------------------------------------------------- actions

    def action_retry(self) -> None:
        """Read the cards again after they could not be read; the session so far stays."""
        if self.state == "failed":
            self.state = "loading"
            self.render_all()
            self.load_queue()

    def action_reveal(self) -> None:
        if self.state == "card" and not self.revealed:
            self.revealed = True
            self.render_all()

    def on_click(self, event: events.Click) -> None:
        """A click on the card's front (or on the line saying how to show the answer) shows
        the answer, as space does. Never more: with the answer shown a click does nothing, and
        never rates (a second click of a double click lands on the answer)."""
        if self.state != "card" or self.revealed:
            return
        clicked = self.get_widget_at(event.screen_x, event.screen_y)[0]
        on_card = clicked.id == "reveal-hint" or any(
            node.id == "review-card" for node in clicked.ancestors_with_self
        )
        if on_card:
            self.action_reveal()

    async def action_rate(self, rating: int) -> None:
        card = self.card
        if self.state != "card" or not self.revealed or card is None or self._saving:
            return
        duration = round((time.monotonic() - self._shown_at) * 1000)
        self._saving = True
        try:
            shown = self._shown_as
            saved = await self.tutor.learning_call(
                lambda learning: rate_as_shown(learning, card.id, rating, duration, shown),
                failed="review.rate_failed",
            )
            if saved is FAILED:  # said; the card stays, revealed, to be rated again
                return
            if isinstance(saved, CardChanged):  # rated elsewhere since: on to the next card
                self.notify(self.t("review.card_changed"), severity="warning", timeout=4)
                self._elsewhere.add(card.id)  # not learned ahead here: shown again once due
                self.queue.pop(0)
                await self._show_current(steps_first=True)
                return
            self.session.rated(card.id, rating)
            self.queue.pop(0)
            await self._show_current(steps_first=True)
        finally:
            self._saving = False

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id and event.button.id.startswith("rate-"):
            await self.action_rate(int(event.button.id.removeprefix("rate-")))

    async def action_undo(self) -> None:
        if self._saving:
            return
        self._saving = True
        try:
            await self._undo()
        finally:
            self._saving = False

    async def _undo(self) -> None:
        card_id = await self.tutor.learning_call(undo_last, failed="review.undo_failed")
        if card_id is FAILED:  # said; the store kept the rating to undo, for the next try
            return
        if isinstance(card_id, ReviewSuperseded):  # the rating stands, and so does the screen
            self.notify(self.t("review.undo_rated_since"), severity="warning", timeout=4)
            return
        if card_id is None:
            self.notify(self.t("review.nothing_to_undo"), timeout=2)
            return

        def read(learning: Any) -> tuple[Any, dict[str, int | None]]:
            review_card = learning.card(card_id)
            return review_card, marks_of(learning, [review_card] if review_card else [])

        review_card, marks = await self.tutor.learning_call(read, (None, {}))
        if review_card is None:
            return
        self._as_read.update(marks)  # as the undo left it
        for index in range(len(self.session.ratings) - 1, -1, -1):
            if self.session.ratings[index][0] == card_id:
                del self.session.ratings[index]
                break
        # The card comes first, and once: a learn-ahead refill may hold it further back (rated
        # Again, it came back), and that rating is the one undone.
        self.queue = [review_card, *(card for card in self.queue if card.id != card_id)]
        await self._show_current()
        self.notify(self.t("review.undone"), timeout=2)

    async def action_flag(self) -> None:
        await self._set_flag(True)

    async def action_unflag(self) -> None:
        await self._set_flag(False)

    async def _set_flag(self, flag: bool) -> None:
        """Flag the current card (``flag``) or take its flag back, and say which: the status
        line's 🚩 and the footer's label for ``f`` follow."""
        card, shown = self.card, self._shown_as
        if self.state != "card" or card is None:
            return

        def change(learning: Any) -> None:
            (learning.flag if flag else learning.unflag)(card.id)

        failed = "review.flag_failed" if flag else "review.unflag_failed"
        done = await self.tutor.learning_call(change, failed=failed)
        if done is FAILED:  # said; the card is as it was
            return
        if shown is not None and self._shown_as is shown:  # still the card on screen
            self._shown_as = replace(shown, flagged=flag)
            self.render_all()
        self.notify(self.t("review.flagged" if flag else "review.unflagged"), timeout=5)

    async def action_open_lesson(self) -> None:
        """Open the card's lesson at the step that teaches it; a card no step is linked to opens
        its lesson where the learner would continue it."""
        card = self.card
        if self.state != "card" or card is None:
            return
        lesson_id = card.lesson_id
        if not lesson_id:
            self.notify(self.t("review.no_lesson"), severity="warning", timeout=3)
            return
        where = self.tutor.library.step_teaching(card.id) if self.tutor.library else None
        if where is not None:
            self.tutor.open_lesson(*where, look=True)
        else:
            await self.tutor.resume_lesson(lesson_id)

    def action_run_example(self) -> None:
        if self.example_shown:
            self._run(localize_comments(self.card.card.example, self.tutor.lang))

    @work(exclusive=True, group="run", exit_on_error=False)
    async def _run(self, code: str) -> None:
        """Run the card's example; once it ends, the run's end comes into view (see
        :meth:`RunPanel.reveal_ending`): below the answer and the code, the card box's last
        rows are often out of sight at 80x24, and the question stays in sight when all fits."""
        panel = self.query_one("#example-run", RunPanel)
        scrolled = panel.scroll_offsets()
        await run_in_panel(self, panel, code, device="cpu")
        panel.reveal_ending(scrolled)

    def action_leave(self) -> None:
        self.app.pop_screen()

    # ------------------------------------------------------------------------------ render

    def render_all(self) -> None:
        self.sub_title = self.t("screen.review")
        showing = self.state == "card" and self.card is not None
        self.query_one("#review-card").display = showing
        self.query_one("#rating-buttons").display = showing and self.revealed
        self.query_one("#reveal-hint").display = showing and not self.revealed
        self.query_one("#review-summary").display = not showing
        self.query_one("#review-status", Static).update(self._status())
        if showing:
            self._render_card()
        else:
            self.query_one("#review-summary", Static).update(self._summary())
        self.refresh_bindings()  # the keys that show depend on the state (check_action)

    def _status(self) -> Text:
        text = Text()
        caution = app_styles(self.app).caution  # the card's marks: flagged, edited, torch too old
        if self.state == "card":
            ratings, left = len(self.session.ratings), len(self.queue) + self.waiting
            text.append(f"🔁 {self.t('review.progress', ratings=ratings, left=left)}")
            # Home's count (for this deck, under review --deck) of those "to go" is to review
            # now; the rest are learning steps rated this sitting that come back later
            due = min(left, len(self.queue) if self.home_due is None else self.home_due)
            if left > due:
                text.append(self.t("review.to_review_now", due=due, back=left - due))
            if self.deck_id:
                text.append(f" · {self._deck_title()}", style=app_styles(self.app).muted)
            if self.flagged:
                text.append(f"  🚩 {self.t('review.flagged_mark')}", style=caution)
            if self.edited:
                text.append(f"  📝 {self.t('review.edited')}", style=caution)
            need = self.card.card.torch_min if self.card is not None else None
            have = too_old_for(need)
            if have is not None:
                text.append(f"  ⚠️ {self.t('review.torch_too_old', need=need, have=have)}", caution)
            if left >= LONG_SESSION:
                text.append(f"\n⏱ {self._estimate(left)}", style=app_styles(self.app).muted)
        return text

    def _estimate(self, left: int) -> str:
        """How long ``left`` cards may take at the learner's median pace, or at the default one
        (said so) before any rating was timed."""
        seconds = self.pace if self.pace is not None else DEFAULT_SECONDS_PER_CARD
        seconds = max(1.0, seconds)  # keys pressed through in a blink: no "0 s a card"
        lang = self.tutor.lang
        total = interval_words(format_interval(timedelta(seconds=left * seconds)), lang)
        each = interval_words(format_interval(timedelta(seconds=seconds)), lang)
        key = "review.estimate" if self.pace is not None else "review.estimate_default"
        return self.t(key, time=total, each=each)

    def _deck_title(self) -> str:
        """The title, in the learner's language, of the deck asked for (``review --deck``); its
        id when no lesson or card deck loaded has it."""
        library, deck_id = self.tutor.library, self.deck_id or ""
        deck = None if library is None else library.deck(deck_id)
        title = localize(deck.title, self.tutor.lang) if deck is not None else ""
        return title or deck_id

    def _render_card(self) -> None:
        card, lang = self.card.card, self.tutor.lang
        self.query_one("#card-front", Markdown).update(localize(card.front, lang))
        back = self.query_one("#card-back", Markdown)
        back.display = self.revealed
        self.query_one("#card-divider").display = self.revealed
        if self.revealed:
            back.update(localize(card.back, lang))
        self.query_one("#reveal-hint", Static).update(self.t("review.reveal_hint"))
        example = self.example_shown
        for selector in ("#example-title", "#example-code"):
            self.query_one(selector).display = example
        if example:
            self.query_one("#example-title", Static).update(f"🧪 {self.t('review.example')}")
            self.query_one("#example-code", CodeView).set_code(card.example)
        self._label_ratings()

    def on_resize(self, event: events.Resize) -> None:
        if self.state == "card":
            self._label_ratings(event.size.width)  # one line may fit now, or no longer

    def _label_ratings(self, width: int | None = None) -> None:
        """Each rating button: its key, its name and the interval it would schedule, on one line
        when every button's fits it, else with the interval on a second line of taller buttons.
        What fits depends on the words (Chinese, "1.1 个月") as much as on the width: no fixed
        breakpoint is right for both languages and every interval."""
        lang = self.tutor.lang
        parts = {
            rating: (
                f"{rating} {self.t(key)}",
                interval_words(self.intervals.get(rating, ""), lang),
            )
            for rating, key in RATING_KEYS.items()
        }
        room = self._rating_room(self.size.width if width is None else width)
        two_lines = any(cell_len(f"{name} · {wait}") > room for name, wait in parts.values())
        self.query_one("#rating-buttons").set_class(two_lines, "-two-lines")
        between = "\n" if two_lines else " · "
        for rating, (name, wait) in parts.items():
            self.query_one(f"#rate-{rating}", Button).label = f"{name}{between}{wait}"

    def _rating_room(self, width: int) -> int:
        """Cells a rating button's line has on a screen ``width`` cells wide: its share of the
        body less its margin, border and line padding. Worked out from the styles, not read
        from the layout: the buttons are hidden until the answer shows, and their labels must
        be right when they appear. Textual collapses the margins between two buttons to the
        larger one, as it lays them out."""
        body, row = self.query_one("#review-body"), self.query_one("#rating-buttons")
        button = self.query_one("#rate-1", Button)
        count = len(RATING_KEYS)
        row_width = width - body.styles.gutter.width - row.styles.gutter.width
        margin = button.styles.margin
        margins = margin.left + margin.right + (count - 1) * max(margin.left, margin.right)
        share = (row_width - margins) // count
        return share - button.styles.gutter.width - 2 * button.styles.line_pad

    def _deck_missing(self) -> bool:
        """Whether the deck asked for (``review --deck``) is no lesson or card deck loaded."""
        library, deck_id = self.tutor.library, self.deck_id
        if not deck_id or library is None:
            return False
        return not library.has_deck(deck_id)

    def _summary(self) -> Text:
        text = Text()
        if self.state == "loading":
            text.append(self.t("review.loading"), style=app_styles(self.app).muted)
            return text
        if self.state == "unavailable":
            text.append(self.t("review.unavailable"), style=app_styles(self.app).wrong)
            return text
        ratings = [rating for _, rating in self.session.ratings]
        if ratings:
            text.append(f"🎉 {self.t('review.session_done')}\n\n", style="bold")
            minutes, seconds = divmod(self.session.seconds, 60)
            share = accuracy(ratings) or 0.0
            cards = self.t("review.summary_cards", count=self.session.cards, reviews=len(ratings))
            text.append(cards + "\n")
            text.append(self.t("review.summary_accuracy", pct=round(share * 100)) + "\n")
            text.append(self.t("review.summary_time", time=f"{minutes}:{seconds:02d}") + "\n")
        if self.state == "failed":  # what is due is not known: the session's summary stays
            text.append("\n" if ratings else "")
            text.append(
                f"⚠ {self.t('review.not_read', error=self.read_error)}\n",
                style=app_styles(self.app).wrong,
            )
            text.append(f"\n{self.t('review.leave_hint')}", style=app_styles(self.app).muted)
            return text
        if not ratings and self._deck_missing():  # a typo, or a deck removed since
            text.append(
                f"⚠ {self.t('review.no_such_deck', deck=self.deck_id)}\n",
                style=app_styles(self.app).caution,
            )
        elif not ratings and not self.due_again:
            # praise for a learner who cleared what was due; one who never rated a card (a new
            # one, with every deck still locked) has done nothing to be praised for yet
            if self.reviewed:
                text.append(f"🎉 {self.t('review.nothing_due')}\n", style="bold")
            else:
                text.append(f"{self.t('review.nothing_due_new_learner')}\n", style="bold")
        if self.due_again:
            text.append(f"🔁 {self.t('review.due_again', count=len(self.due_again))}\n", "bold")
        elif self.next_due is not None and self.now is not None and not self._new_first():
            wait = interval_words(format_interval(self.next_due - self.now), self.tutor.lang)
            text.append(self.t("review.summary_next", wait=wait) + "\n")
            if self._due_soon():
                text.append(self.t("review.wait_here") + "\n", style=app_styles(self.app).muted)
        if self.new_tomorrow and not self.due_again:
            text.append(f"🌅 {self.t('review.new_tomorrow')}\n")
        if self.locked:
            text.append(f"🔒 {self.t('review.locked', count=self.locked)}\n")
        text.append(f"\n{self.t('review.leave_hint')}", style=app_styles(self.app).muted)
        return text

    def _new_first(self) -> bool:
        """Whether tomorrow's new cards come before the next card falls due: then the summary
        says they come tomorrow rather than "Next card due in 8 d"."""
        if not self.new_tomorrow:
            return False
        return self.next_due is None or self.tomorrow is None or self.next_due >= self.tomorrow
