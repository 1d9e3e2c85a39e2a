"""Deck prose: Textual's Markdown, with Chinese paragraphs joined as Chinese is written."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock, MarkdownFence

from tutor.line_breaks import east_asian_markdown


class WideFence(MarkdownFence):
    """A fenced block (a diagram, code) that, while wider than it is shown, takes the focus
    (Tab) so ←/→ scroll it sideways: the keyboard reaches what shift + wheel does. One that
    fits stays out of the Tab order, and lets ←/→ through to the screen (a lesson's steps)."""

    BINDINGS: ClassVar = [
        Binding("left", "scroll_left", "k.scroll_diagram", key_display="←"),
        Binding("right", "scroll_right", "k.scroll_diagram", key_display="→"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_focus = False  # until a resize shows it is wider than its room

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False) -> Content:
        """A fence that names no language (a diagram, most often) is drawn as plain text.

        Textual guesses a language for it, and the guess (Verilog, VB.NET...) paints box-drawing
        and arrow characters as error tokens and turns words such as "is" into keywords."""
        return super().highlight(code, language or "text", ansi=ansi, dark=dark)

    def on_resize(self, event: events.Resize) -> None:
        self.can_focus = event.virtual_size.width > event.size.width
        self.refresh_bindings()  # ←/→ scroll only while there is somewhere to scroll
        if not self.can_focus and self.has_focus:  # widened until it fits: give the focus back
            around = (node for node in self.ancestors if isinstance(node, Widget))
            holder = next((node for node in around if node.focusable), None)
            if holder is not None:
                holder.focus()
            else:
                self.blur()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("scroll_left", "scroll_right"):
            return self.max_scroll_x > 0
        return super().check_action(action, parameters)


class ProseMarkdown(Markdown):
    """A lesson's or card's Markdown. A Chinese paragraph written over several lines of YAML
    reads as one, without the space Markdown puts at each line break.

    A diagram wider than the terminal gets a scrollbar under it (Textual hides it), so a learner
    on a narrow terminal sees there is more, and can drag it, scroll with shift + wheel, or Tab
    to it and scroll with ←/→ (:class:`WideFence`)."""

    DEFAULT_CSS = """
    ProseMarkdown MarkdownFence {
        overflow-x: auto;
        scrollbar-size-horizontal: 1;
        &:focus {
            background-tint: $foreground 8%;
            scrollbar-color: $accent;
        }
    }
    """
    BLOCKS: ClassVar[dict[str, type[MarkdownBlock]]] = {
        **Markdown.BLOCKS,
        "fence": WideFence,
        "code_block": WideFence,
    }

    def __init__(self, markdown: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("parser_factory", east_asian_markdown)
        super().__init__(markdown, **kwargs)
