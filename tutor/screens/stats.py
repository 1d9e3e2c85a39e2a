"""Stats: what is due, a 30-day forecast, a review heatmap, retention, streak, lesson mastery,
and the flagged and orphaned cards. Numbers come from ``Learning.stats``; when the store cannot
read them, the screen says so in their place, and ``r`` reads them again. Without a store (none
could be opened) it says there are no numbers to show, as Review says there is nothing to review."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Static

from tutor.app import ReadFailed
from tutor.i18n import Lang, tr
from tutor.screens.base import TutorScreen
from tutor.stats_text import (
    FLAGGED_LINE_CELLS,
    flagged_card_line,
    review_now_line,
    reviews_line,
)
from tutor.theme_styles import Styles, app_styles
from tutor.widgets.fitting_footer import FittingFooter
from tutor.widgets.progress import progress_bar

BARS = " ▁▂▃▄▅▆▇█"
HEAT_GLYPHS = ("·", "▪", "■", "■", "■")
"""A heatmap level's cell, beside its colour: under NO_COLOR on 16 colours, levels 0 and 1 drew
the same grey, a day of a few reviews the same as a day of none. A dot is a day without reviews,
a small square a light one."""


ITEM_SEP = " · "
"""What separates the items of a numbers line ("Due now: 1 · due today: 4") in both languages'
catalogue strings: the screen breaks a line only there (:class:`Flow`)."""


class Flow:
    """Items laid out as words are: as many to a line as fit, ``sep`` between two on a line. A
    line breaks only between items, so a label never ends a line whose number starts the next
    ("waiting for their lesson:" / "152"); an item wider than the whole line still wraps."""

    def __init__(self, items: list[str], sep: str = ITEM_SEP) -> None:
        self.items = items
        self.sep = sep

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = Text()
        for item in self.items:
            if line.cell_len and line.cell_len + cell_len(self.sep + item) > width:
                yield line
                line = Text()
            if line.cell_len:
                line.append(self.sep)
            line.append(item)
        yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(item) for item in self.items), default=0)
        return Measurement(widest, cell_len(self.sep.join(self.items))).clamp(
            max_width=options.max_width
        )


def forecast_chart(counts: list[int], lang: Lang | str = Lang.EN, *, muted: str) -> Text:
    """One bar per day, scaled to the busiest day, under it the axis in days (today to the last
    day) in ``muted``, the theme's secondary text (:attr:`~tutor.theme_styles.Styles.muted`),
    which every caller names, then the counts of today and of the peak (when the peak is a
    later day)."""
    peak = max(counts, default=0)
    text = Text()
    for count in counts:
        level = 0 if peak == 0 else max(1 if count else 0, round(count / peak * (len(BARS) - 1)))
        text.append(BARS[level], style="cyan")
    first = tr("stats.forecast_first", lang)
    last = tr("stats.forecast_last", lang, days=len(counts) - 1)
    gap = max(1, len(counts) - cell_len(first) - cell_len(last))
    text.append(f"\n{first}{' ' * gap}{last}", style=muted)
    today = counts[0] if counts else 0
    said = [tr("stats.forecast_today", lang, count=today)]
    if peak > today:
        day = counts.index(peak)
        said.append(tr("stats.forecast_peak", lang, count=peak, days=day))
    text.append("\n" + ITEM_SEP.join(said))
    return text


HEATMAP_WEEKS = 26
"""The weeks the heatmap shows where they fit (two cells each)."""
FEWEST_WEEKS = 4
"""The weeks it shows however narrow the terminal (a panel that scrolls beats none)."""


def heatmap_grid(days: dict[str, int], today: date, weeks: int, *, styles: tuple[str, ...]) -> Text:
    """A GitHub-style calendar: a column per week, a row per weekday, shaded by reviews against
    the busiest day drawn. ``days`` holds the whole year: a busier day in weeks too narrow a
    terminal leaves out would set the scale unseen and fade every day shown to the faintest."""
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    drawn = (start + timedelta(days=offset) for offset in range((today - start).days + 1))
    peak = max((days.get(day.isoformat(), 0) for day in drawn), default=0)
    text = Text()
    for weekday in range(7):
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > today:
                text.append("  ")
                continue
            count = days.get(day.isoformat(), 0)
            level = 0 if not count else 1 + min(3, (count * 4 - 1) // max(peak, 1))
            text.append(f"{HEAT_GLYPHS[level]} ", style=styles[level])
        text.append("\n")
    text.rstrip()
    return text


def heatmap_legend(lang: Lang | str, *, styles: Styles) -> Text:
    """The heatmap's levels from none to the most, each a sample of its cells (in
    :attr:`~tutor.theme_styles.Styles.heat`), between muted words that say which end is
    which."""
    text = Text()
    text.append(f"{tr('stats.heat_none', lang)} ", style=styles.muted)
    for glyph, style in zip(HEAT_GLYPHS, styles.heat, strict=True):
        text.append(f"{glyph} ", style=style)
    text.append(tr("stats.heat_more", lang), style=styles.muted)
    return text


class StatsScreen(TutorScreen):
    CSS_PATH = "stats.tcss"
    # Below 100 columns the heatmap (26 weeks) no longer fits beside the forecast: stack them.
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar = [
        Binding("escape", "leave", "k.leave", key_display="esc"),
        Binding("q", "leave", "k.leave", show=False),
        # Before Review, which takes r again once the numbers are read.
        Binding("r", "retry", "k.retry"),
        Binding("r", "app.review", "k.review"),
    ]

    def __init__(self) -> None:
        super().__init__(id="stats")
        self.data: dict[str, Any] | None = None
        self.today: date | None = None
        self.read_error: str | None = None  # why the last read of the numbers failed
        self.no_store = False  # no store could be opened: there are no numbers to read

    def compose(self) -> ComposeResult:
        yield Header(icon="📊")
        with VerticalScroll(id="stats-body"):
            yield Static(id="stats-numbers", classes="panel")
            with Horizontal(id="stats-charts"):
                yield Static(id="stats-forecast", classes="panel")
                yield Static(id="stats-heatmap", classes="panel")
            yield Static(id="stats-lessons", classes="panel")
            yield Static(id="stats-cards", classes="panel")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "learning", self._learning_changed)

    def on_screen_resume(self) -> None:
        self.load()

    def on_lang(self) -> None:
        self.load()

    def theme_changed(self) -> None:
        """The heatmap's greens follow a theme change (a dark theme's vanish on a light one), and
        so does what is said in the numbers' place (a failure, in the theme's own red)."""
        if self.data is not None and self.today is not None and self.read_error is None:
            self._show_heatmap()
        else:
            self.render_all()

    def _learning_changed(self, _learning: Any = None) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.read_error is not None
        return super().check_action(action, parameters)

    def action_retry(self) -> None:
        self.load()

    @work(exclusive=True, group="stats-load", exit_on_error=False)
    async def load(self) -> None:
        lang = self.tutor.lang

        def gather(learning: Any) -> tuple[dict[str, Any], date]:
            return learning.stats(lang), learning.clock.today()

        result = await self.tutor.learning_call(gather, failed_read=True)
        # ``gather`` answers a tuple: ``None`` is learning_call's answer when there is no store.
        # Reading again cannot open one, so r stays Review (which says there is none too).
        self.no_store = result is None
        if isinstance(result, ReadFailed):  # numbers shown before would pass for today's
            self.data, self.read_error = None, result.error
        elif result is None:
            self.data, self.read_error = None, None
        else:
            self.data, self.today = result
            self.read_error = None
        self.render_all()
        self.refresh_bindings()  # r: try again, or review

    def action_leave(self) -> None:
        self.app.pop_screen()

    # ------------------------------------------------------------------------------ render

    def render_all(self) -> None:
        self.sub_title = self.t("screen.stats")
        numbers = self.query_one("#stats-numbers", Static)
        data = self.data
        for panel in ("#stats-charts", "#stats-lessons", "#stats-cards"):
            self.query_one(panel).display = data is not None
        # in the theme's own red: the terminal's read 3.0-4.1:1 on the dark themes
        wrong = app_styles(self.app).wrong
        if self.read_error is not None:
            said = f"⚠ {self.t('stats.not_read', error=self.read_error)}"
            numbers.update(Text(said, style=wrong))
            return
        if self.no_store:
            numbers.update(Text(self.t("stats.unavailable"), style=wrong))
            return
        if data is None or self.today is None:
            numbers.update(Text(self.t("review.loading"), style=app_styles(self.app).muted))
            return
        lang = self.tutor.lang
        lines = (review_now_line(data, lang), self.t("stats.due", **data), reviews_line(data, lang))
        numbers.update(
            Group(
                Text(f"{self.t('stats.title')}\n", style="bold"),
                *(Flow(line.split(ITEM_SEP)) for line in lines),
            )
        )

        forecast = Text(f"{self.t('stats.forecast')}\n", style="bold")
        forecast.append_text(
            forecast_chart(data["forecast"], lang, muted=app_styles(self.app).muted)
        )
        self.query_one("#stats-forecast", Static).update(forecast)
        self._show_heatmap()
        self.query_one("#stats-lessons", Static).update(self._lessons(data["lessons"]))
        self.query_one("#stats-cards", Static).update(self._cards(data))

    def on_resize(self) -> None:
        # The panels are laid out again after the screen's resize: their widths are read then.
        if self.data is not None and self.today is not None:
            self.call_after_refresh(self._show_heatmap)

    def _heatmap_weeks(self) -> int:
        """The most weeks (the latest) whose two cells each fit the heatmap's panel: beside the
        forecast it has its share of the row; stacked, the row's whole width."""
        heat = self.query_one("#stats-heatmap", Static)
        if self.has_class("-narrow"):
            room = self.query_one("#stats-charts").content_region.width - heat.styles.gutter.width
        else:
            room = heat.content_region.width
        if room <= 0:  # not laid out yet
            return HEATMAP_WEEKS
        return max(FEWEST_WEEKS, min(HEATMAP_WEEKS, (room + 1) // 2))

    def _show_heatmap(self) -> None:
        assert self.data is not None and self.today is not None
        weeks = self._heatmap_weeks()
        heat = Text(f"{self.t('stats.heatmap', weeks=weeks)}\n", style="bold")
        styles = app_styles(self.app)
        heat.append_text(heatmap_grid(self.data["heatmap"], self.today, weeks, styles=styles.heat))
        heat.append("\n")
        heat.append_text(heatmap_legend(self.tutor.lang, styles=styles))
        self.query_one("#stats-heatmap", Static).update(heat)

    def _lessons(self, lessons: list[dict[str, Any]]) -> Group:
        """A row per lesson; long titles wrap in their own column, under themselves."""
        table = Table.grid(padding=(0, 1, 0, 0))
        table.add_column(width=2, no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(justify="right", no_wrap=True, style="bold", min_width=4)
        table.add_column(ratio=1, overflow="fold")  # CJK titles have no spaces to break at
        for lesson in lessons:
            table.add_row(
                "✅" if lesson["completed"] else "",
                progress_bar(round(lesson["mastery"] * 100), 100, width=12),
                f"{lesson['mastery']:.0%}",
                Text(lesson["title"]),  # a deck's words, not markup
            )
        return Group(Text(self.t("stats.lessons"), style="bold"), table)

    def _cards(self, data: dict[str, Any]) -> Text:
        library, lang = self.tutor.library, self.tutor.lang
        text = Text()
        sections = (
            (
                "stats.flagged",
                [
                    f"🚩 {flagged_card_line(f, library, lang, cells=FLAGGED_LINE_CELLS)}"
                    for f in data["flagged"]
                ],
            ),
            ("stats.orphans", [f"👻 {key}" for key in data["orphans"]]),
            ("stats.edited", [f"📝 {key}" for key in data["edited"]]),
        )
        for key, items in sections:
            text.append(f"{self.t(key, count=len(items))}\n", style="bold")
            for item in items or [self.t("stats.none")]:
                text.append(f"  {item}\n", style="" if items else app_styles(self.app).muted)
        text.rstrip()
        return text
