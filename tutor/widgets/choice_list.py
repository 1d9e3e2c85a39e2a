"""An option list where the learner marks choices (Space, a digit or a click) and submits (Enter)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tutor.widgets.scrolling_ancestor import content_row, scrolling_ancestor

if TYPE_CHECKING:
    from textual.visual import VisualType


DIGITS = 9
"""How many options a digit key picks: 1-9, each the option of its number (a longer list's
later ones, none)."""


def run_named(reached: int) -> str:
    """How Help names the digits that pick an option in a list of ``reached`` or more: "1-7"."""
    return "1" if reached == 1 else f"1-{reached}"


DIGIT_BINDINGS = [
    Binding(
        str(n),
        f"pick({n - 1}, {reached})",
        "k.pick_number",
        key_display=run_named(reached),
        show=False,
    )
    for reached in range(1, DIGITS + 1)
    for n in range(1, reached + 1)
]
"""Each digit picks the option of its number, and Help names the run of digits a list has
options for ("1-7", not "1-9" for every list: 8 and 9 pick nothing in a list of 7). A binding
is named as it was made, so each digit has one binding for each run it is in (``pick(2, 7)``:
3 in a list that digits reach up to 7); :meth:`ChoiceList.check_action` lets through the one
of the list's run, and for a digit past it none, which is then neither shown nor run."""


class ChoiceList(OptionList):
    BINDINGS: ClassVar = [
        Binding("space", "toggle", "k.choose"),
        # OptionList's own Enter, described: Help drops a Textual key's English "Select", and
        # with it the only word on how an answer is given (it hid the quiz's Enter: Submit).
        Binding("enter", "select", "k.submit", show=False),
        *DIGIT_BINDINGS,
    ]

    toggles: reactive[bool] = reactive(True, bindings=True)
    """Whether Space marks anything now: not in a list that only picks or orders, nor in a
    quiz already graded, so the footer offers it only while it does something."""

    picks: reactive[bool] = reactive(True, bindings=True)
    """Whether Enter and the digits answer now: not once the game's round is answered, so
    Help and the footer stop offering them (a graded quiz moves the focus off the list)."""

    class Toggled(Message):
        def __init__(self, choice_list: ChoiceList, index: int) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.index = index

    class Submitted(Message):
        def __init__(self, choice_list: ChoiceList) -> None:
            super().__init__()
            self.choice_list = choice_list

    def __init__(self, *options: Any, toggles: bool = True, id: str | None = None) -> None:
        super().__init__(*options, id=id)
        self.set_reactive(ChoiceList.toggles, toggles)

    def add_options(self, new_options: Iterable[Option | VisualType | None]) -> ChoiceList:
        super().add_options(new_options)
        self.refresh_bindings()  # the digits that pick (``set_options``, ``add_option`` too)
        return self

    def clear_options(self) -> ChoiceList:
        super().clear_options()
        self.refresh_bindings()
        return self

    def remove_option(self, option_id: str) -> ChoiceList:
        super().remove_option(option_id)
        self.refresh_bindings()
        return self

    def remove_option_at_index(self, index: int) -> ChoiceList:
        super().remove_option_at_index(index)
        self.refresh_bindings()
        return self

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle":
            return self.toggles
        if action == "pick":
            _index, reached = parameters
            return self.picks and reached == min(self.option_count, DIGITS)
        if action == "select":
            return self.picks
        return True

    def action_toggle(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Toggled(self, self.highlighted))

    def action_pick(self, index: int, _reached: int) -> None:
        if 0 <= index < self.option_count:
            self.highlighted = index
            self.post_message(self.Toggled(self, index))

    def action_select(self) -> None:  # Enter
        self.post_message(self.Submitted(self))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Measure the options at a width that leaves them at least one cell: in a terminal a
        few columns wide the list's border and padding leave none, and Textual's measure then
        fails on the zero width (the text wrapped to it) and takes the app down."""
        option_padding = self.get_component_styles("option-list--option").padding.width
        return super().get_content_height(container, viewport, max(width, option_padding + 1))

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Bring the highlighted option into view in the list, and, while the learner moves
        the highlight (the list has focus), in the step scrolled around the list too: an
        option below the fold would otherwise stay hidden until Tab reached the buttons."""
        super().scroll_to_highlight(top)
        if self.has_focus:
            self._show_highlight_in_container()

    def _show_highlight_in_container(self) -> None:
        """Scroll the nearest scrolling ancestor so the highlighted option's lines show whole
        (its top first, when it is taller than the view)."""
        highlighted = self.highlighted
        container = scrolling_ancestor(self)
        if highlighted is None or container is None:
            return
        top = self.option_top(highlighted, container)
        if top is None:
            return
        region = Region(0, top, container.content_region.width, self._heights[highlighted])
        container.scroll_to_region(region, animate=False, immediate=True)

    def option_top(self, index: int, container: Widget) -> int | None:
        """Where option ``index``'s first line is in ``container``'s scrolled content (an
        ancestor's), this list's own scroll counted; ``None`` for no such option."""
        # OptionList's own record of where each option's lines start
        line = self._index_to_line.get(index)
        if line is None:
            return None
        # laid-out places, not places on screen: a screen's regions are redrawn a moment after a
        # scroll, and read between the two an option's place was off by that scroll
        return content_row(self, container) + line - self.scroll_offset.y

    async def _on_click(self, event: events.Click) -> None:
        """A click marks the option as Space does, and never submits: OptionList's own click
        handler would also run ``action_select``, which submits here (Enter's job), so it is
        kept from running."""
        event.prevent_default()
        clicked = event.style.meta.get("option")
        if clicked is not None and not self.get_option_at_index(clicked).disabled:
            self.highlighted = clicked
            self.post_message(self.Toggled(self, clicked))
