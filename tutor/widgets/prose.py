"""Deck prose: Textual's Markdown, with Chinese paragraphs joined as Chinese is written."""

from __future__ import annotations

from typing import Any

from textual.widgets import Markdown

from tutor.line_breaks import east_asian_markdown


class ProseMarkdown(Markdown):
    """A lesson's or card's Markdown. A Chinese paragraph written over several lines of YAML
    reads as one, without the space Markdown puts at each line break.

    A diagram wider than the terminal gets a scrollbar under it (Textual hides it), so a learner
    on a narrow terminal sees there is more, and can drag it or scroll with shift + wheel."""

    DEFAULT_CSS = """
    ProseMarkdown MarkdownFence {
        overflow-x: auto;
        scrollbar-size-horizontal: 1;
    }
    """

    def __init__(self, markdown: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("parser_factory", east_asian_markdown)
        super().__init__(markdown, **kwargs)
