"""The footer every screen shows: Textual's compact footer, with only the keys that fit.

Textual's footer scrolls its keys under the palette key when they do not fit: at 80 columns a
lesson's code step read "…Still to pass es▏^p Palette". This one leaves keys out instead, whole:
first those the screen names in ``FOOTER_SPARE`` (actions it shows elsewhere, such as the
lesson's → and ←, which its navigation line names), then from the right. A key left out still
works, and Help (``?``) lists it.

The keys are found by their type's name, ``FooterKey``: that class is private to Textual
(``textual.widgets._footer``), and a Textual that moves or renames it then leaves every key shown,
where importing it would stop the tutor from starting.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.widget import Widget
from textual.widgets import Footer

from tutor.watchers import stop_watching

COMMAND_PALETTE = "-command-palette"
FOOTER_KEY = "FooterKey"  # the type name of the footer's key widgets (see the module docstring)


def outer_width(key: Widget) -> int:
    """The cells ``key`` takes in the footer: its text, padding, border and margin."""
    return key.render().cell_len + key.styles.gutter.width + key.styles.margin.width


def keys_to_hide(widths: Sequence[int], room: int, spare: Sequence[int]) -> set[int]:
    """Which keys (by index) to leave out so that keys of ``widths`` fit in ``room`` cells:
    the ``spare`` ones first, in their order, then from the right."""
    hidden: set[int] = set()
    order = [*spare, *reversed(range(len(widths)))]
    needed = sum(widths) - room
    for index in order:
        if needed <= 0:
            break
        if index not in hidden:
            hidden.add(index)
            needed -= widths[index]
    return hidden


class FittingFooter(Footer):
    """A compact footer that shows the keys that fit, whole (see the module's docstring)."""

    def __init__(self) -> None:
        super().__init__(compact=True)

    async def recompose(self) -> None:
        await super().recompose()
        # each key binds the footer's ``compact``: let go of the keys the recompose replaced
        stop_watching(self, None)
        self.fit()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        if not self.size.width:
            return  # not laid out yet: the first resize fits it
        children = list(self.query_children(FOOTER_KEY))
        keys = [k for k in children if not k.has_class(COMMAND_PALETTE)]
        room = self.size.width - sum(outer_width(k) for k in children if k not in keys)
        spare_actions: Sequence[str] = getattr(self.screen, "FOOTER_SPARE", ())
        spare = [
            index
            for action in spare_actions
            for index, key in enumerate(keys)
            if getattr(key, "action", None) == action
        ]
        hidden = keys_to_hide([outer_width(k) for k in keys], room, spare)
        for index, key in enumerate(keys):
            key.display = index not in hidden
