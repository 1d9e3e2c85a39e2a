"""Word-wrapped text that ends in "…" when it gets fewer lines than it needs.

Textual's ``text-overflow: ellipsis`` shortens a single line that is too wide; nothing in Textual
shortens a paragraph that is too tall (CSS's ``line-clamp``): a ``Static`` with a ``max-height``
simply drops the lines below, often mid-sentence. :class:`ClampedText` asks the layout for all the
lines its text needs (``height: auto``), and when it gets fewer (a ``max-height``, or a container
that runs out of room) it shows what fits and ends the last line with an ellipsis, after a whole
word (after a whole character in Chinese, which may break between any two). It clamps again
whenever its size changes.

Wrapping is Textual's own (``Content.wrap``), so it measures in terminal cells, counts a wide
character as two, and breaks Chinese as :mod:`tutor.line_breaks` taught Rich to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content, Span
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import RenderResult
    from textual.geometry import Size
    from textual.visual import VisualType

ELLIPSIS = "…"
"""What ends a clamped text (one cell wide)."""

_DANGLING = " \t,.;:-–—，。、；：·"
"""Spaces and punctuation dropped before the ellipsis ("them,…" reads "them…")."""


def clamp_lines(content: Content, width: int, height: int) -> list[Content]:
    """``content`` wrapped to ``width`` cells, as at most ``height`` lines.

    When the text needs more lines, the last one kept ends in :data:`ELLIPSIS`, placed after the
    last whole word (or Chinese character) that leaves room for it, with any dangling space or
    punctuation before it dropped. A word wider than the whole line is folded, as wrapping does,
    and the ellipsis follows as much of it as fits. Text that fits exactly gets no ellipsis.
    """
    if width <= 0 or height <= 0:
        return []
    lines = content.wrap(width)
    if len(lines) <= height:
        return lines
    kept = lines[:height]
    while len(kept) > 1 and not kept[-1].plain.strip():
        kept.pop()  # end on words, not on the blank line between two paragraphs
    last = kept[-1]
    room = width - Content(ELLIPSIS).cell_length
    if last.cell_length > room:
        # The same line wrapped one cell narrower: whole words (or wide characters) only.
        last = last.wrap(room)[0] if room > 0 else Content("")
    kept[-1] = _with_ellipsis(last.rstrip(_DANGLING))
    return kept


def _with_ellipsis(line: Content) -> Content:
    """``line`` and an ellipsis styled as its last character."""
    end = len(line)
    spans = [Span(end, end + 1, span.style) for span in line.spans if span.start < end <= span.end]
    return Content(line.plain + ELLIPSIS, [*line.spans, *spans])


class ClampedText(Static):
    """A ``Static`` whose text, when cut short, ends in "…" (see :func:`clamp_lines`).

    Give it ``height: auto`` (a ``Static``'s default) and a ``max-height``: it grows to the lines
    its text needs, up to that limit, and clamps to the height it gets. Strings are shown as they
    are (``markup=False`` unless asked). Content that is not text (a Rich table, say) shows as a
    ``Static`` shows it, unclamped.
    """

    def __init__(
        self,
        content: VisualType = "",
        *,
        markup: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(content, markup=markup, name=name, id=id, classes=classes)

    @property
    def clamped(self) -> bool:
        """Whether the text is cut short at the current size."""
        width, height = self.size
        visual = self.visual
        return bool(width) and isinstance(visual, Content) and len(visual.wrap(width)) > height

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The width the whole text wants (``width: auto``), not just the part that shows."""
        width = self.visual.get_optimal_width(self.styles, container.width)
        if self.expand:
            width = max(container.width, width)
        if self.shrink:
            width = min(width, container.width)
        return width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The lines the whole text needs: what ``height: auto`` asks the layout for."""
        return self.visual.get_height(self.styles, width) if width else 0

    def render(self) -> RenderResult:
        visual = self.visual
        if not isinstance(visual, Content):
            return visual
        width, height = self.size
        return Content("\n").join(clamp_lines(visual, width, height))
