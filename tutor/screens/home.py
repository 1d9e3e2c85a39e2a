"""Home: the course map with progress, prerequisites, cards due and the streak. Progress is read
again each time home shows, and while it is shown as the clock moves (the cards due when they may
change; the lessons' mastery, which fades with the cards' recall, every few minutes); when the
store cannot read it, the Today panel says so."""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import datetime, timedelta
from typing import Any, ClassVar

from rich.console import Console, Group
from rich.style import Style
from rich.table import Table
from rich.text import Lines, Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Click, Resize
from textual.timer import Timer
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.app import ReadFailed
from tutor.i18n import localize, quoted_list
from tutor.screens.base import TutorScreen
from tutor.stats_text import streak_mark
from tutor.theme_styles import app_styles
from tutor.widgets.clamped_text import ClampedText
from tutor.widgets.fitting_footer import FittingFooter
from tutor.widgets.hanging import hanging
from tutor.widgets.progress import attr, completed, progress_bar, waiting_prerequisites

CLOCK_CHECK_SECONDS = 1.0
"""How often the course map looks at the clock (a comparison: the store is read only when the
count may have changed)."""
RECOUNT_RETRY = timedelta(seconds=30)
"""How soon the course map reads the cards due, or the lessons' progress, again after the store
could not read them."""
MASTERY_REFRESH = timedelta(minutes=5)
"""How old the lessons' progress may grow on a course map left shown: their mastery fades with
the cards' recall, so it is read again (with the cards due) once it is this old. Not each time a
card falls due, which the count alone follows: cards can fall due every few seconds, and the
progress read, 10-20 ms for the shipped course (the count alone: 4-7), takes a third of a
second for a course of 120 lessons of 70 cards, every card rated (the count alone: 55-80 ms)."""

WHOLE_LINES_FROM = 100
"""The fewest columns at which the course map's lines wrap whole. Narrower, beside the side
panel's 32 columns, a title wrapped to two rows (at 80 columns, 34 cells for it) and the lessons
it suggests first to three, and 3½ lessons showed: there each is cut to one row, ending in "…",
as a list does, except on the highlighted lesson, which the learner is reading (and opens with
Enter; the lesson's header names it whole too)."""

DONE, STARTED, NEW, WAITING = "✅", "▶", "○", "🔒"
"""A lesson's mark on the course map (Help says what each means)."""

KEY_ACTION = "home_action"
"""Style meta naming the action of a line of the Games panel: a click on the line runs it, as
its key does. (Not Textual's ``@click`` meta, which would draw the lines as links.)"""


HELD_PIECE = "held_piece"
"""Style meta marking a held piece of a :class:`HeldText` while it is wrapped (its index)."""
STAND_IN = {0: "\u0301", 1: "x", 2: "\uff58"}
"""A letter of each width (in cells) that no word splitter breaks at or beside: a held piece's
characters while its lines are divided (an "ｘ" for a Chinese character, an "x" for the rest),
and a zero-width accent, which joins the letter before it, for a grapheme's further characters."""


try:
    from rich.cells import split_graphemes
except ImportError:  # Rich before 15 measures each character alone, as the stand-in then does
    from rich.cells import cell_len

    def split_graphemes(text: str) -> tuple[list[tuple[int, int, int]], int]:
        spans = [(i, i + 1, cell_len(c)) for i, c in enumerate(text)]
        return spans, sum(cells for _, _, cells in spans)


def stand_in_for(piece: str) -> str:
    """``piece``'s stand-in: a letter as wide as each of its graphemes, then an accent for each
    further character of it. As wide as ``piece`` and as long, grapheme for grapheme, where
    the widths of its characters alone are not (Rich draws "⚠️", U+26A0 U+FE0F, in 2 cells)."""
    graphemes, _width = split_graphemes(piece)
    return "".join(
        STAND_IN[cells] + STAND_IN[0] * (end - start - 1) for start, end, cells in graphemes
    )


class HeldText(Text):
    """Text with pieces that wrap as one word (:meth:`append_held`): a label with its number,
    such as "mastery 33%". Rich breaks at any space (a no-break one too) and, for Chinese, the
    tutor lets it break between any two characters (:mod:`tutor.line_breaks`), so a row could
    end in "· 掌握" (mastered) with "33%" on the next. The text itself is unchanged (what is
    read or copied has ordinary spaces); only the wrapping keeps the pieces whole. Lines can
    be kept to one row too (:meth:`append_one_row`), cut with "…" where they are wider."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[tuple[int, int]] = []  # the held pieces' (start, end) in ``plain``
        # the one-row lines' (start, end) in ``plain``, and the style they were appended in
        self.one_row: list[tuple[int, int, str | Style]] = []

    def append_held(self, piece: str, style: str | Style = "") -> None:
        """Append ``piece``; no line break falls inside it, unless it is wider than a row."""
        start = len(self.plain)
        self.append(piece, style=style)
        self.held.append((start, len(self.plain)))

    def append_one_row(self, line: str, style: str | Style = "") -> None:
        """Append ``line`` (no line break in it), drawn on one row: cut with "…" where it is
        wider than the row, not wrapped. Not with held pieces in it."""
        start = len(self.plain)
        self.append(line, style=style)
        self.one_row.append((start, len(self.plain), style))

    def cut_to(self, width: int) -> HeldText:
        """A copy whose one-row lines wider than ``width`` cells are cut to it, ending in "…"
        in the line's own style (the held pieces after them moved back with the text)."""
        cut, done = HeldText(), 0
        removed: list[tuple[int, int]] = []  # (where, how many characters) cut before there
        for start, end, style in self.one_row:
            line = self[start:end]
            if line.cell_len <= width:
                continue
            line.truncate(width - 1)  # and "…" after it, not after a space
            line.rstrip()
            line.append("…", style=style)
            cut.append_text(self[done:start])
            cut.append_text(line)
            removed.append((end, end - start - len(line.plain)))
            done = end
        cut.append_text(self[done:])
        for start, end in self.held:
            back = sum(count for where, count in removed if where <= start)
            cut.held.append((start - back, end - back))
        return cut

    def wrap(self, console: Console, width: int, **options: Any) -> Lines:
        """Rich's wrapping of a stand-in whose held pieces are each one word of letters as wide
        as theirs, with the pieces' own characters put back where their letters landed; the
        one-row lines cut to ``width`` first (:meth:`cut_to`)."""
        if self.one_row:
            return self.cut_to(width).wrap(console, width, **options)
        if not self.held:
            return super().wrap(console, width, **options)
        text = self.plain
        letters = list(text)
        stand_in = self.copy()
        for index, (start, end) in enumerate(self.held):
            letters[start:end] = stand_in_for(text[start:end])
            stand_in.stylize(Style.from_meta({HELD_PIECE: index}), start, end)
        stand_in.plain = "".join(letters)  # as long as the text: the spans still fit
        lines = stand_in.wrap(console, width, **options)
        next_of_piece = [start for start, _end in self.held]  # where each piece goes on from
        for line in lines:
            letters, spans = list(line.plain), []
            for span in line.spans:
                index = span.style.meta.get(HELD_PIECE) if isinstance(span.style, Style) else None
                if index is None:
                    spans.append(span)
                    continue
                resume, length = next_of_piece[index], span.end - span.start
                letters[span.start : span.end] = text[resume : resume + length]
                next_of_piece[index] = resume + length
            line.plain, line.spans = "".join(letters), spans
        return lines


def action_line(action: str) -> Style:
    """The style that makes a click on a panel's line run ``action`` (an action of the app)."""
    return Style.from_meta({KEY_ACTION: action})


def _today_counts(learning: Any) -> tuple[int, int, datetime | None]:
    """The Today panel's numbers (cards due, the streak) and when they may next change."""
    return learning.due_count(), learning.streak_days(), learning.next_count_change()


class LessonList(OptionList):
    """The course map's lessons. A resize wraps the titles anew, so the same scroll offset shows
    other lessons: the highlighted one is scrolled back into view (the summary below describes it
    and Enter opens it, so the learner must see which it is), as redrawing after F2 does."""

    def on_resize(self, _event: Resize) -> None:
        # OptionList's own handler (called after this one) drops the wrapped lines; once they
        # are measured again at the new width, the highlight is brought into view.
        self.call_after_refresh(self.scroll_to_highlight)


class SidePanels(Vertical):
    """The panels beside the course map, in a column of fixed width; on a short terminal they
    scroll. The Continue panel's title is read whole only where the column has the rows for it
    (:meth:`HomeScreen._render_continue`), so a change of the column's height (a resize, and
    its first layout) draws that panel again: ``height_changed``."""

    def __init__(self, height_changed: Callable[[], None], *, id: str) -> None:
        super().__init__(id=id)
        self.height_changed = height_changed
        self._height = 0

    def on_resize(self, event: Resize) -> None:
        if event.size.height != self._height:
            self._height = event.size.height
            self.height_changed()

    def overflows(self) -> bool:
        """Whether the panels shown take more rows than the column has. Measured at the
        column's width without a scrollbar, so that the answer does not depend on whether one
        shows; the panels have no margins (``home.tcss``). False before the first layout."""
        width = self.outer_size.width - self.styles.gutter.width
        room = self.outer_size.height - self.styles.gutter.height
        if width <= 0:
            return False
        rows = sum(
            panel.get_content_height(self.size, self.screen.size, width - panel.styles.gutter.width)
            + panel.styles.gutter.height
            for panel in self.displayed_children
        )
        return rows > room


class HomeScreen(TutorScreen):
    BINDINGS: ClassVar = [
        Binding("c", "continue", "k.continue"),
        Binding("r", "app.review", "k.review"),
        Binding("s", "app.sandbox", "k.sandbox"),
        Binding("t", "app.stats", "k.stats"),
        Binding("g", "app.shape_game", "k.shape_game", show=False),
        Binding("b", "app.bug_game", "k.bug_game", show=False),
        Binding("x", "problems", "k.problems", show=False),  # while the panel shows
        Binding("q", "app.quit", "k.quit"),
        Binding("question_mark", "app.help", "k.help", key_display="?"),
        Binding("f2", "app.toggle_lang", "k.lang"),
    ]
    # The games panel names F2 too; ctrl+q quits from anywhere.
    FOOTER_SPARE: ClassVar = ("app.toggle_lang", "app.quit")

    def __init__(self) -> None:
        super().__init__(id="home")
        self.progress: dict[str, Any] = {}
        self.due: int | None = None
        self.streak: int | None = None
        self.resume_steps: dict[str, int] = {}
        self.read_error: str | None = None  # why the progress could not be read, last time
        self.recount_at: datetime | None = None  # when the cards due may next change by time
        self.reread_at: datetime | None = None  # when the progress (its mastery) is read again
        self.clock_timer: Timer | None = None  # looks at the clock while the map is shown
        self._lit: int | None = None  # the lesson whose line was drawn for the highlighted row
        self._cut: bool | None = None  # whether the lines were drawn cut to one row (narrow)

    def compose(self) -> ComposeResult:
        yield Header(icon="🧠")
        with Horizontal(id="home-body"):
            with Vertical(id="course"):
                yield Static(id="course-title", classes="section-title")
                yield LessonList(id="lessons")
                yield ClampedText(id="lesson-summary")  # ends in "…" when the room runs out
                yield Static(id="lesson-hint")
            with SidePanels(self._render_continue, id="side"):
                # decks skipped come first: at 80×24 a long title in Continue pushed them below
                # the footer, and with them the one word on why a lesson is missing
                yield Static(id="problems", classes="panel")
                yield Static(id="today", classes="panel")
                yield Static(id="continue-box", classes="panel")
                yield Static(id="games", classes="panel")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "library", self._library_changed)
        self.watch(self.app, "learning", self._learning_changed, init=False)
        self.watch(self.app, "app_focus", self._app_focus_changed, init=False)
        self.render_all()

    def on_screen_resume(self) -> None:
        self.load_progress()
        # A learner may leave the app on the course map for hours: the count follows the clock,
        # while the map is shown (another screen's return reads it anyway).
        self._stop_clock()
        self.clock_timer = self.set_interval(CLOCK_CHECK_SECONDS, self._check_clock)

    def on_screen_suspend(self) -> None:
        self._stop_clock()

    def _stop_clock(self) -> None:
        if self.clock_timer is not None:
            self.clock_timer.stop()
            self.clock_timer = None

    def on_resize(self, _event: Resize) -> None:
        # across WHOLE_LINES_FROM the lines are drawn again, cut to one row or whole (the
        # Continue panel's title follows the side panel's height: SidePanels.on_resize)
        if self._cut is not None and self._cut != self._cut_lines():
            self._render_lessons()

    def on_lang(self) -> None:
        self.render_all()

    def theme_changed(self) -> None:
        """Drawn again in the new theme's colours (:mod:`tutor.theme_styles`)."""
        self.render_all()

    # ------------------------------------------------------------------------------- data

    def _library_changed(self, _library: Any = None) -> None:
        self.render_all()
        self.refresh_bindings()  # x, for the deck problems the library may have
        self.load_progress()

    def _learning_changed(self, _learning: Any = None) -> None:
        self._render_side()
        self.load_progress()

    @work(exclusive=True, group="home-progress", exit_on_error=False)
    async def load_progress(self) -> None:
        library = self.tutor.library
        learning = self.tutor.learning
        if library is None or learning is None:
            return
        ids = [lesson.id for lesson in library.lessons]

        def gather(
            learning: Any,
        ) -> tuple[dict[str, Any], dict[str, int], int, int, datetime | None]:
            progress = {i: learning.lesson_progress(i) for i in ids}
            resume_steps = {i: int(learning.resume_step(i)) for i in ids}
            return progress, resume_steps, *_today_counts(learning)

        result = await self.tutor.learning_call(gather, failed_read=True)
        if isinstance(result, ReadFailed):  # the course map keeps what was read before
            # said in the Today panel, and read again soon: a first read too, which has no
            # count's next change to time it from
            self.read_error = result.error
            self.reread_at = self._retry_at(learning)
            self._render_side()
            return
        if result is None:
            return
        self.progress, self.resume_steps, self.due, self.streak, self.recount_at = result
        self.reread_at = self._from_now(MASTERY_REFRESH)
        self.read_error = None
        self.render_all()

    @staticmethod
    def _retry_at(learning: Any) -> datetime:
        """When a read the store failed is tried again: :data:`RECOUNT_RETRY` from now. Needs a
        store with a clock (a real ``Learning``): a read fails only there; the tests' stand-in
        (``FakeLearning``) keeps no clock and never fails a read."""
        return learning.clock.now() + RECOUNT_RETRY

    def _from_now(self, wait: timedelta) -> datetime | None:
        """``wait`` from now by the app's clock; ``None`` while the count is not following the
        clock (no moment it may change: a stand-in store's, which keeps no clock)."""
        learning = self.tutor.learning
        if self.recount_at is None or learning is None:
            return None
        return learning.clock.now() + wait

    def _app_focus_changed(self, focused: bool) -> None:
        """The terminal has the focus back: the learner may have reviewed in another nn-tutor
        on the same data meanwhile, which no clock tick would see. The count is read again
        (cheaply: :meth:`recount`) when the course map is what they come back to."""
        if focused and self.is_current:
            self.recount()

    def _check_clock(self) -> None:
        """A tick: once the app's clock reaches the moment the count may change, read it again;
        once the progress read is :data:`MASTERY_REFRESH` old, read it all again, the count with
        it (the map showed a day's count beside the day before's mastery, which Stats read
        lower)."""
        learning = self.tutor.learning
        if learning is None or (self.reread_at is None and self.recount_at is None):
            return
        now = learning.clock.now()
        if self.reread_at is not None and now >= self.reread_at:
            self.reread_at = None
            self.load_progress()
        elif self.recount_at is not None and now >= self.recount_at:
            self.recount_at = None
            self.recount()

    @work(exclusive=True, group="home-recount", exit_on_error=False)
    async def recount(self) -> None:
        """Read the cards due and the streak again, and nothing else: reading the lessons'
        progress with them takes little longer for the shipped course, but some five times as
        long for a big one (a third of a second: :data:`MASTERY_REFRESH`), which a course map
        left open would do each time a card fell due; and only its mastery changes with time,
        slowly (read again every :data:`MASTERY_REFRESH`)."""
        learning = self.tutor.learning
        result = await self.tutor.learning_call(_today_counts, failed_read=True)
        if isinstance(result, ReadFailed) and learning is not None:
            # another nn-tutor writing, say: said in the Today panel, and read again soon
            self.read_error = result.error
            self.recount_at = self._retry_at(learning)
            self._render_side()
            return
        if result is None or isinstance(result, ReadFailed):  # the store is gone
            return
        self.due, self.streak, self.recount_at = result
        self.read_error = None
        self._render_side()

    # ----------------------------------------------------------------------------- render

    def render_all(self) -> None:
        self.query_one("#course-title", Static).update(f"📚 {self.t('home.course')}")
        self._render_lessons()
        self._render_summary()
        self._render_side()

    def _render_lessons(self) -> None:
        """The course map's lines. The same lessons as shown have their lines drawn again in
        place, the list kept where the learner scrolled it: rebuilt, it went back to the
        highlighted row, every few minutes as the mastery is read again on a map left shown."""
        library = self.tutor.library
        lessons = self.query_one("#lessons", OptionList)
        highlighted = lessons.highlighted
        if library is not None and library.lessons and highlighted is not None:
            shown = [lessons.get_option_at_index(i).id for i in range(lessons.option_count)]
            if shown == [lesson.id for lesson in library.lessons]:
                for index, line in enumerate(self._lesson_lines(highlighted)):
                    lessons.replace_option_prompt_at_index(index, line)
                self._lit = highlighted
                return
        lessons.clear_options()
        if library is None:
            lessons.add_option(Option(self.t("home.loading"), disabled=True))
        elif not library.lessons:
            lessons.add_option(Option(self.t("home.no_lessons"), disabled=True))
        else:
            lit = min(highlighted, len(library.lessons) - 1) if highlighted is not None else 0
            for lesson, line in zip(library.lessons, self._lesson_lines(lit), strict=True):
                lessons.add_option(Option(line, id=lesson.id))
            lessons.highlighted = lit
            self._lit = lit

    def _done(self, lesson_id: str) -> bool:
        return completed(self.progress.get(lesson_id))

    def _lesson_lines(self, lit: int | None, only: Container[int] | None = None) -> list[Table]:
        """The course map's line of each lesson (of those numbered in ``only``, if given), in
        course order; the ``lit`` one's (the highlighted row's) in the row's own colour
        (:meth:`_lesson_line`)."""
        library = self.tutor.library
        if library is None:
            return []
        titles = {lesson.id: localize(lesson.title, self.tutor.lang) for lesson in library.lessons}
        digits = library.number_digits()
        cut = self._cut_lines()
        if only is None:  # all drawn at this width; a relight's two rows leave the rest as drawn
            self._cut = cut
        return [
            self._lesson_line(number, digits, lesson, titles, lit=number == lit, cut=cut)
            for number, lesson in library.numbered_lessons()
            if only is None or number in only
        ]

    def _cut_lines(self) -> bool:
        """Whether the lesson lines are cut to one row, as on a narrow terminal
        (:data:`WHOLE_LINES_FROM`)."""
        return self.app.size.width < WHOLE_LINES_FROM

    def _relight(self, lit: int | None) -> None:
        """The lesson lines drawn again for the row now highlighted (``lit``): the one lit
        before takes its own colours back; the others are as they were."""
        lessons = self.query_one("#lessons", OptionList)
        changed = sorted(
            {i for i in (lit, self._lit) if i is not None and i < lessons.option_count}
        )
        # (no lines while the library is not loaded: the list holds a note then)
        for index, line in zip(changed, self._lesson_lines(lit, changed), strict=False):
            lessons.replace_option_prompt_at_index(index, line)
        self._lit = lit
        if self._cut:  # the row lit grew to its whole lines: its last ones are brought into view
            lessons.call_after_refresh(lessons.scroll_to_highlight)

    def _lesson_line(
        self,
        number: int,
        digits: int,
        lesson: Any,
        titles: dict[str, str],
        *,
        lit: bool = False,
        cut: bool = False,
    ) -> Table:
        """Number (``digits`` wide) and mark on the left; title, progress and prerequisites wrap
        beside them; where ``cut``, the title and prerequisites each on one row, but on the ``lit``
        one (:data:`WHOLE_LINES_FROM`). A colour of the tutor's own (the still-to-pass count's) is
        for the list's ground: on the highlighted row (``lit``) nothing could read on both it and
        the list (the terminal's yellow read 1.1:1 on tokyo-night's), so the row's own colour is
        kept there."""
        progress = self.progress.get(lesson.id)
        total = attr(progress, "total_steps", len(lesson.steps)) or len(lesson.steps)
        seen = attr(progress, "seen_steps", 0)
        done = self._done(lesson.id)
        waiting = waiting_prerequisites(lesson, self.progress.get)
        mark = DONE if done else (WAITING if waiting else (STARTED if seen else NEW))
        body = HeldText()  # the minutes, the mastery and the still-to-pass count each wrap whole
        append_line = body.append_one_row if cut and not lit else body.append
        append_line(titles[lesson.id], style="bold" if not waiting else "")
        body.append("\n")
        body.append_text(progress_bar(seen, total, width=10))
        # The sub-lines in the list's own colour, never dim: dimmed, they read at 1.8:1 on
        # gruvbox's highlighted row and 2.4:1 on solarized-light; the bold title leads anyway.
        body.append(f" {seen}/{total}")
        if lesson.minutes:
            body.append(" · ")
            body.append_held(self.t("home.minutes", minutes=lesson.minutes))
        mastery = attr(progress, "mastery", None)
        if mastery:
            body.append(" · ")
            body.append_held(self.t("home.mastery", pct=round(100 * mastery)))
        still_open = attr(progress, "open_checks", 0)
        if done and still_open:  # a finished lesson's quizzes to come back to: no need to open it
            caution = "" if lit else app_styles(self.app).caution
            body.append(" · ", style=caution)
            body.append_held(self.t("home.still_to_pass", count=still_open), style=caution)
        if waiting:
            names = quoted_list((titles.get(p, p) for p in waiting), self.tutor.lang)
            body.append("\n")
            append_line(self.t("home.after", lessons=names), style="italic")
        mark_width = 2  # ✅ and 🔒 take two cells; ▶ and ○ are padded to them
        number_text = Text(f"{number:>{digits}} {mark}", style="bold")
        return hanging(number_text, body, width=digits + 1 + mark_width)

    def _render_summary(self) -> None:
        summary = self.query_one("#lesson-summary", ClampedText)
        hint = self.query_one("#lesson-hint", Static)
        lesson = self._highlighted_lesson()
        hint.display = lesson is not None
        if lesson is None:
            summary.update("")
            return
        summary.update(localize(lesson.summary, self.tutor.lang).strip())
        hint.update(Text(self.t("home.open_hint"), style=app_styles(self.app).muted))

    def _highlighted_lesson(self) -> Any:
        library = self.tutor.library
        lessons = self.query_one("#lessons", OptionList)
        if library is None or lessons.highlighted is None or not library.lessons:
            return None
        option = lessons.get_option_at_index(lessons.highlighted)
        return library.lesson(option.id) if option.id else None

    def _render_side(self) -> None:
        learning_ready = self.tutor.learning is not None
        today = Text()
        today.append(f"{self.t('home.today')}\n", style="bold")
        if learning_ready and self.read_error is not None:  # the streak and due would be stale
            today.append(
                f"⚠ {self.t('home.not_read', error=self.read_error)}",
                style=app_styles(self.app).wrong,
            )
        elif learning_ready and self.streak is not None:
            today.append(f"{streak_mark(self.streak)} {self.t('home.streak', days=self.streak)}\n")
            today.append(f"🃏 {self.t('home.due', count=self.due or 0)}")
        elif self.tutor.learning_error:
            today.append(self.t("home.progress_off"), style=app_styles(self.app).muted)
        else:
            today.append(self.t("home.progress_loading"), style=app_styles(self.app).muted)
        self.query_one("#today", Static).update(today)

        games = Text()
        games.append(f"🎮 {self.t('home.games')}\n", style="bold")
        lines = (
            ("g", "shape_game", self.t("game.shape.title")),
            ("b", "bug_game", self.t("game.bug.title")),
            ("f2", "toggle_lang", self.t("home.lang_hint")),
        )
        for index, (key, action, label) in enumerate(lines):
            line = Text(style=action_line(action))  # the whole line, key and label, clicks
            line.append(f" {key} ", style="bold reverse")
            line.append(f" {label}")
            games.append_text(line)
            if index < len(lines) - 1:
                games.append("\n")
        self.query_one("#games", Static).update(games)

        problems = self.query_one("#problems", Static)
        library = self.tutor.library
        if library is not None and self.has_problems:
            text = Text()
            text.append("⚠ ", style="bold")
            text.append(
                self.t("home.problems", skipped=len(library.skipped), errors=len(library.errors))
            )
            text.append("\n")
            text.append(" x ", style="bold reverse")
            text.append(f" {self.t('home.problems_hint')}")
            problems.update(text)
            problems.display = True
        else:
            problems.display = False
        self._render_continue()  # last: whether its title fits depends on the panels above

    def _render_continue(self) -> None:
        """The Continue panel: the lesson to continue and the step it resumes at. Its title is
        read whole where the side panel has the rows for it; where whole it would make the side
        panel overflow (a long title wraps to three rows in its 32 columns, at any width of the
        terminal: at 24 rows a scrollbar showed, narrowing the Games panel below, and its last
        row went out of view), it is cut to one row with "…", as the course map's are."""
        target = self.continue_target()
        heading = Text()
        heading.append(f"{self.t('home.continue')}  ", style="bold")
        heading.append("c", style="bold reverse")
        box = self.query_one("#continue-box", Static)
        if target is None:
            box.update(heading)
            return
        lesson, step = target

        def entry(one_row: bool) -> Group:
            text = HeldText()
            (text.append_one_row if one_row else text.append)(
                localize(lesson.title, self.tutor.lang)
            )
            text.append(
                f"\n{self.t('home.step_of', step=step + 1, total=len(lesson.steps))}",
                app_styles(self.app).muted,
            )
            return Group(heading, hanging("▶", text, width=1))

        box.update(entry(one_row=False))
        if self.query_one("#side", SidePanels).overflows():  # measured with the title whole
            box.update(entry(one_row=True))

    def continue_target(self) -> tuple[Any, int] | None:
        """The lesson to continue and the step to resume at."""
        library = self.tutor.library
        if library is None or not library.lessons:
            return None
        last = self.tutor.ui_state().get("last_lesson")
        lesson = library.lesson(last) if isinstance(last, str) else None
        if lesson is None or self._done(lesson.id):
            lesson = next((x for x in library.lessons if not self._done(x.id)), library.lessons[0])
        lesson = self._groundwork(lesson, library)
        step = min(self.resume_steps.get(lesson.id, 0), len(lesson.steps) - 1)
        return lesson, max(step, 0)

    def _only_peeked(self, lesson_id: str) -> bool:
        """Whether the learner only looked in on a lesson: its first step shown (opening a
        lesson shows it, and the map counts it, honestly, as seen) and nothing past it. Not
        while the progress is unread: then Continue keeps the lesson the learner left."""
        if lesson_id not in self.progress:
            return False
        seen = attr(self.progress[lesson_id], "seen_steps", 0) or 0
        return seen <= 1 and self.resume_steps.get(lesson_id, 0) <= 0

    def _groundwork(self, lesson: Any, library: Any) -> Any:
        """The lesson Continue should go to instead of ``lesson`` when the learner only peeked at
        it before finishing what it builds on: the first unfinished prerequisite, followed back
        to one with none left unfinished (a new learner who looked in on lesson 5 continues at
        the Welcome, not at step 1 of lesson 5). A lesson worked on past its first step is the
        learner's choice, and is kept: lessons are never locked, only advised."""
        visited = {lesson.id}
        while self._only_peeked(lesson.id):
            waiting = waiting_prerequisites(lesson, self.progress.get)
            in_decks = (library.lesson(p) for p in waiting)
            earlier = next((x for x in in_decks if x is not None), None)
            if earlier is None or earlier.id in visited:  # none in the decks, or a cycle
                break
            visited.add(earlier.id)
            lesson = earlier
        return lesson

    def help_notes(self) -> Group:
        """What the course map's marks mean, for Help: the 🔒 above all, which reads as
        "closed" while lessons are never locked, only advised."""
        title = Text(self.t("home.marks"), style="bold")
        marks = Table.grid(padding=(0, 1))
        marks.add_column(no_wrap=True, width=2)  # ✅ and 🔒 take two cells
        marks.add_column(overflow="fold")
        marks.add_row(DONE, self.t("home.mark_done"))
        marks.add_row(STARTED, self.t("home.mark_started"))
        marks.add_row(NEW, self.t("home.mark_new"))
        marks.add_row(WAITING, self.t("home.mark_waiting"))
        return Group(title, marks)

    @property
    def has_problems(self) -> bool:
        """Whether the decks had problems: then a panel says so, and ``x`` lists them."""
        library = self.tutor.library
        return library is not None and bool(library.skipped or library.errors)

    # ---------------------------------------------------------------------------- actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "problems":
            return self.has_problems
        return True

    def action_problems(self) -> None:
        self.tutor.action_problems()

    async def on_click(self, event: Click) -> None:
        """A click on the Continue panel continues, as ``c`` does; on a line of the Games panel
        it does what the line's key does."""
        # (the event, bubbled up here, names the screen as its widget)
        if self.get_widget_at(event.screen_x, event.screen_y)[0].id == "continue-box":
            self.action_continue()
            return
        action = event.style.meta.get(KEY_ACTION)
        if isinstance(action, str):
            await self.app.run_action(f"app.{action}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._render_summary()
        if event.option_index != self._lit:
            self._relight(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.tutor.open_lesson(event.option.id, step=self.resume_steps.get(event.option.id))

    def action_continue(self) -> None:
        target = self.continue_target()
        if target is None:  # the decks are loading, or have no lesson
            self.notify(self.t("home.loading" if self.tutor.library is None else "home.no_lessons"))
            return
        lesson, step = target
        self.tutor.open_lesson(lesson.id, step=step)
