"""A scrolling area that follows its end while its content grows, as a terminal does."""

from __future__ import annotations

from textual import events
from textual.containers import VerticalScroll
from textual.geometry import Size


class FollowingScroll(VerticalScroll):
    """A :class:`VerticalScroll` that, while :attr:`following`, keeps its end in view as its
    content grows, until the learner scrolls up (Textual's anchor, which lets go then, and
    takes hold again once scrolled back to the end).

    It is anchored only while its content is taller than it: Textual's anchor scrolls an area
    to ``content height - area height``, and for content shorter than the area that is a scroll
    above its start, drawing a run's first lines at the foot of an empty area (at 200x60, 26
    blank rows above them), then jumping up when the run ended and the anchor was let go.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._following = False

    @property
    def following(self) -> bool:
        """Whether the area follows its end (between :meth:`follow` and ``follow(False)``)."""
        return self._following

    def follow(self, on: bool = True) -> None:
        """Follow the end from now on (``on``), or stop following it, the scroll kept between
        the area's start and its end."""
        self._following = on
        if on:
            self._hold_end()
            self.call_after_refresh(self._hold_end)
        else:
            self.anchor(False)
            self.call_after_refresh(self._within_range)

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        # once the area's own size is updated too (it is, after its virtual size)
        self.call_after_refresh(self._hold_end)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._hold_end)

    def _hold_end(self) -> None:
        """Anchored while the content overflows the area (a learner's release is kept: Textual
        anchors again once they scroll back to the end); otherwise at its start."""
        if not self._following:
            return
        if self.max_scroll_y > 0:
            if not self.is_anchored:
                self.anchor()
        elif self.is_anchored or self.scroll_y:
            self.anchor(False)
            self._within_range()

    def _within_range(self) -> None:
        """The scroll between the start and the end: an area anchored as its content shrank
        may be left scrolled past its start."""
        top = min(max(self.scroll_y, 0), self.max_scroll_y)
        if top != self.scroll_y:
            self.scroll_target_y = self.scroll_y = top
