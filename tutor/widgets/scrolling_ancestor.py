"""The area a widget scrolls in: what brings part of it into view when the widget itself does
not scroll (an option of a list, a hint under an exercise, the last row of an output view), and
where in that area's content the widget is."""

from __future__ import annotations

from textual.widget import Widget


def scrolling_ancestor(widget: Widget) -> Widget | None:
    """The nearest ancestor of ``widget`` that scrolls vertically; ``None`` where none does."""
    return next(
        (
            node
            for node in widget.ancestors
            if isinstance(node, Widget) and node.allow_vertical_scroll
        ),
        None,
    )


def content_row(widget: Widget, area: Widget) -> int:
    """The row of ``area``'s scrolled content that ``widget``'s content begins on: its place
    in each container up to ``area`` (less what a container between them is scrolled), which
    ``area``'s own scrolling leaves as it is."""
    row = widget.styles.gutter.top
    node = widget
    while True:
        row += node.virtual_region.y  # from the top of its container's content
        parent = node.parent
        if parent is area or not isinstance(parent, Widget):
            return row
        node = parent
        row += node.styles.gutter.top - node.scroll_offset.y
