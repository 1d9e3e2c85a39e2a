"""The area a widget scrolls in: what brings part of it into view when the widget itself does
not scroll (an option of a list, a hint under an exercise, the last row of an output view)."""

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
