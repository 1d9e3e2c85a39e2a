"""A run's output as the run panel shows it: lines of Rich ``Text``, wrapped to the width and
drawn a row at a time (Textual's line API), so a panel holding MAX_SHOWN_OUTPUT characters costs
a redraw what its visible rows cost, not what all of it does.

It draws what a ``Static`` given the lines joined by ``"\\n"`` draws (the same wrapping, colours,
padding and background: each line goes through Textual's own ``Content``), and scrolls when
the lines take more rows than its height allows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Span, Text
from textual.actions import SkipAction
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual

from tutor.widgets.scrolling_ancestor import scrolling_ancestor


class OutputView(ScrollView, can_focus=True):
    """Lines of output, wrapped at the widget's width, drawn only where they show.

    :meth:`show` takes the lines; a line given as the same ``Text`` object as last time keeps
    its wrapped rows, so a redraw while output streams re-wraps only the lines that changed
    (``TerminalText.lines`` hands back unchanged rows as the same objects). Rows are counted per
    width (a line no wider than the width is one row, unwrapped) and drawn when they show.

    The scroll position stays where it is as lines change (the start, unless the learner
    scrolled), as the ``Static`` it replaces never moved; :meth:`clear` goes back to the start.
    A view made with ``follow`` keeps its last rows in view instead, as a
    terminal does, until the learner scrolls up; scrolled back to the end, it follows again.
    """

    DEFAULT_CSS = """
    OutputView {
        height: auto;
        overflow-x: hidden;
        overflow-y: auto;
    }
    /* the focus, a bar down the left edge in place of the padding there: the text stays put */
    OutputView:focus {
        border-left: outer $accent;
        padding-left: 0;
    }
    """

    # Read by keys, once Tab has reached it: a run's last lines are often what matters (the
    # final loss). Not ← →: it never scrolls sideways, and a lesson's ← → go on to the next step.
    # At either end a key goes on to the container around it: the step below the output is read
    # by the same keys (Textual's own scroll actions skip only a widget that cannot scroll).
    BINDINGS: ClassVar = [
        Binding("up", "scroll_or_pass('scroll_up', 'up')", show=False),
        Binding("down", "scroll_or_pass('scroll_down', 'down')", show=False),
        Binding("home", "scroll_or_pass('scroll_home', 'up')", show=False),
        Binding("end", "scroll_or_pass('scroll_end', 'down')", show=False),
        Binding("pageup", "scroll_or_pass('page_up', 'up')", show=False),
        Binding("pagedown", "scroll_or_pass('page_down', 'down')", show=False),
    ]

    def action_scroll_or_pass(self, action: str, towards: str) -> None:
        """Scroll by ``action``, or pass the key on where the output is at its end ``towards``
        (``up``: its first row shows; ``down``: its last)."""
        at_end = self.scroll_y <= 0 if towards == "up" else self.scroll_y >= self.max_scroll_y
        if at_end:
            raise SkipAction()
        getattr(self, f"action_{action}")()
        if action == "scroll_end":
            self.call_after_refresh(self.show_last_row)

    def show_last_row(self) -> None:
        """Scroll the area around the view (the sandbox's output pane) so the view's last row
        shows: taller than that area, the view is shown from its top when it takes the focus,
        and its end, scrolled to, would stay out of sight below."""
        container = scrolling_ancestor(self)
        if container is None or not self.region:
            return
        # the view's last row, in the area's scrolled (virtual) space
        bottom = self.region.bottom - container.content_region.y + round(container.scroll_y)
        container.scroll_to_region(
            Region(0, bottom - 1, 1, 1), animate=False, immediate=True, force=True
        )

    def __init__(
        self, *, follow: bool = False, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[Text] = []
        self._full = -1  # the content width the rows were counted for
        self._full_heights: list[int] = []  # rows each line takes at that width
        self._width = -1  # the width lines wrap at: _full, less a scrollbar if one shows
        self._narrow_heights: list[int] = []  # rows each line takes there, with a scrollbar
        self._ends: list[int] = []  # the row after each line's last, at _width
        self._rows: dict[int, list[Strip]] = {}  # line index: its rows drawn at _width
        # Whether the view keeps its end in view as lines come (the sandbox's run: a training
        # loop's latest losses), until the learner scrolls up. Off, it stays at its start, as a
        # lesson's output does (read from the top, next to the step's prose).
        self.follow = follow

    def on_mount(self) -> None:
        # Textual's anchor: the compositor scrolls an anchored view to its end as it grows, and
        # a scroll by the learner (keys, wheel, scrollbar) releases it.
        if self.follow:
            self.anchor()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Scrolled back down to the end (the wheel, ↓): follow it again, as a terminal does.
        # (Textual does this for a container's anchor, not for a ScrollView's.)
        if self.follow and self.max_scroll_y > 0 and new_value >= self.max_scroll_y:
            self.scroll_end(animate=False, immediate=True)

    def allow_focus(self) -> bool:
        """A Tab stop only while there is more output than shows: nothing to read by keys else."""
        return self.max_scroll_y > 0

    @property
    def text(self) -> Text:
        """The lines as one ``Text``: what a ``Static`` would be given to draw them alike."""
        return Text("\n").join(self._lines)

    def show(self, lines: Sequence[Text]) -> None:
        """Show ``lines``; those that are the same objects as before keep their wrapped rows."""
        old = self._lines
        new = list(lines)
        same = 0  # lines kept at the start, in place
        for before, after in zip(old, new, strict=False):
            if before is not after:
                break
            same += 1
        if same == len(old) == len(new):
            return
        for index in range(same, len(old)):
            self._rows.pop(index, None)
        # Only the lines from the first that changed are measured again.
        del self._full_heights[same:], self._narrow_heights[same:]
        self._lines = new
        self._recount()
        self.refresh()

    def clear(self) -> None:
        """Show nothing, scrolled back to the start (following the end again, if it does)."""
        self.show([])
        self.scroll_to(0, 0, animate=False, immediate=True)
        if self.follow:
            self.anchor()

    @property
    def _heights(self) -> list[int]:
        return self._full_heights if self._width == self._full else self._narrow_heights

    def _recount(self) -> None:
        """Count the rows at the width the lines wrap at now; size the scroll area to them.

        They wrap at the content's width, less a scrollbar's where they take more rows there
        than the widget shows (the rows are counted again at that width)."""
        full = self.content_region.width
        if full != self._full:
            self._full = full
            self._full_heights, self._narrow_heights = [], []
            self._width = -1
        if full <= 0:
            self._width = 0
            self._ends = []
            self.virtual_size = Size(0, 0)
            return
        rows = self._measure(full, self._full_heights)
        width = full
        if self.styles.overflow_y == "auto" and rows > self._visible_rows():
            width = max(full - self.styles.scrollbar_size_vertical, 1)
            rows = self._measure(width, self._narrow_heights)
        if width != self._width:
            self._width = width
            self._rows.clear()
        self._ends = list(accumulate(self._heights))
        self.virtual_size = Size(width, rows)

    def _visible_rows(self) -> int:
        """The most rows the widget shows: its max-height in cells, else its height."""
        max_height = self.styles.max_height
        if max_height is not None and max_height.is_cells:
            return int(max_height.value)
        return self.content_region.height

    def _measure(self, width: int, heights: list[int]) -> int:
        """The rows the lines take at ``width``, ``heights`` (each line's there, as far as
        known) completed."""
        for index in range(len(heights), len(self._lines)):
            line = self._lines[index]
            if cell_len(line.plain) <= width:  # fits: one row, no need to wrap it
                heights.append(1)
            else:
                heights.append(len(self._draw(line, width, index)) or 1)
        return sum(heights)

    def _content(self, line: Text) -> Content:
        """``line`` as Textual's ``Content``, styled as it is within the joined ``Text`` (where
        its base style becomes a span under the line's own; a base style read as a Textual
        style would name other colours)."""
        if line.style:
            line = Text(line.plain, spans=[Span(0, len(line), line.style), *line.spans])
        return Content.from_rich_text(line, console=self.app.console)

    def _draw(self, line: Text, width: int, index: int) -> list[Strip]:
        """``line`` (line ``index``) wrapped at ``width``, the mouse's selection drawn, each
        row marked with where it starts in the line (for selecting text)."""
        content = self._content(line)
        selection = self.text_selection
        span = selection.get_span(index) if selection is not None else None
        if span is not None:
            start, end = span
            style = Style.from_styles(self.screen.get_component_styles("screen--selection"))
            content = content.stylize(style, start, len(content) if end == -1 else end)
        drawn = Visual.to_strips(
            self, content, width, None, self.visual_style, apply_selection=False
        )
        return [strip.apply_offsets(_offset_x(strip), index) for strip in drawn]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As tall as the lines wrapped at ``width`` (Textual caps it at the max-height)."""
        if width == self._full:
            return self._measure(width, self._full_heights)
        return self._measure(width, []) if width > 0 else len(self._lines)

    def on_resize(self) -> None:
        self._recount()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rows.clear()  # the theme's colours, say

    def selection_updated(self, selection: Selection | None) -> None:
        self._rows.clear()
        self.refresh()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text: offsets name a line (y) and a character in it (x), as in a
        ``Static``."""
        return selection.extract(self.text.plain), "\n"

    def render_line(self, y: int) -> Strip:
        if self.content_region.width != self._full:
            self._recount()
        row = self.scroll_offset.y + y
        index = bisect_right(self._ends, row)
        if index >= len(self._ends):
            return Strip.blank(self.scrollable_content_region.width, self.visual_style.rich_style)
        rows = self._rows.get(index)
        if rows is None:
            rows = self._draw(self._lines[index], self._width, index) or [Strip([])]
            height = self._heights[index]
            rows = self._rows[index] = (rows + [Strip([])] * height)[:height]
        return rows[row - (self._ends[index] - self._heights[index])]


def _offset_x(strip: Strip) -> int:
    """The character the row starts at in its line (Content marks it on each segment)."""
    for segment in strip:
        meta = segment.style.meta if segment.style is not None else {}
        if "offset" in meta:
            return int(meta["offset"][0])
    return 0
