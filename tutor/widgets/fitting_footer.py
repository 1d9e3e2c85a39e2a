"""The footer every screen shows: Textual's compact footer, with only the keys that fit.

Textual's footer scrolls its keys under the palette key when they do not fit: at 80 columns a
lesson's code step read "…Still to pass es▏^p Palette". This one leaves keys out instead, whole:
first those the screen names in ``FOOTER_SPARE`` (its least needed actions, such as the lesson's
"Still to pass"), then from the right, but those it names in ``FOOTER_KEEP`` only last: the
lesson's Next and Back, which a learner with a mouse has no other key to click for (the
navigation line under a step is plain text). A key left out still works, and Help (``?``) lists
it.

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


def keys_to_hide(
    widths: Sequence[int], room: int, spare: Sequence[int], keep: Sequence[int] = ()
) -> set[int]:
    """Which keys (by index) to leave out so that keys of ``widths`` fit in ``room`` cells:
    the ``spare`` ones first, in their order, then from the right, the ``keep`` ones last."""
    hidden: set[int] = set()
    from_right = list(reversed(range(len(widths))))
    order = [
        *spare,
        *(index for index in from_right if index not in keep),
        *(index for index in from_right if index in keep),
    ]
    needed = sum(widths) - room
    for index in order:
        if needed <= 0:
            break
        if index not in hidden:
            hidden.add(index)
            needed -= widths[index]
    return hidden


def indices_of(keys: Sequence[Widget], actions: Sequence[str]) -> list[int]:
    """The indices of the ``keys`` bound to ``actions``, in the order of ``actions``."""
    return [
        index
        for action in actions
        for index, key in enumerate(keys)
        if getattr(key, "action", None) == action
    ]


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
        spare = indices_of(keys, getattr(self.screen, "FOOTER_SPARE", ()))
        keep = indices_of(keys, getattr(self.screen, "FOOTER_KEEP", ()))
        hidden = keys_to_hide([outer_width(k) for k in keys], room, spare, keep)
        for index, key in enumerate(keys):
            key.display = index not in hidden
