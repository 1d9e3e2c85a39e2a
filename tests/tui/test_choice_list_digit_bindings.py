"""A ChoiceList's digits follow its options, through Textual's public binding API: the digits it
has options for are active, named by their run ("1-3"), and pick; a digit past them is neither
active nor run, and goes on to the screen's own binding of it; adding or removing an option
tells Help and the footer (the screen's ``bindings_updated_signal``); once the round is
answered (``picks`` off) no digit is active."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets.option_list import Option

from tutor.widgets.choice_list import ChoiceList


class OneList(App[None]):
    BINDINGS: ClassVar = [Binding("8", "screen_eight", "eight")]

    def __init__(self) -> None:
        super().__init__()
        self.toggled: list[int] = []
        self.eights = 0

    def compose(self) -> ComposeResult:
        yield ChoiceList(*(Option(f"option {n}", id=f"o{n}") for n in range(1, 4)))

    def on_mount(self) -> None:
        self.query_one(ChoiceList).focus()

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        self.toggled.append(event.index)

    def action_screen_eight(self) -> None:
        self.eights += 1


def digits_shown(app: App[None]) -> dict[str, str | None]:
    """The list's digit keys active on the screen, each with how it is named."""
    choices = app.query_one(ChoiceList)
    return {
        key: active.binding.key_display
        for key, active in app.screen.active_bindings.items()
        if key.isdigit() and active.node is choices
    }


async def test_the_digits_active_are_those_with_an_option_and_they_pick() -> None:
    app = OneList()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert digits_shown(app) == {"1": "1-3", "2": "1-3", "3": "1-3"}
        await pilot.press("2", "3")
        await pilot.pause()
        assert app.toggled == [1, 2]
        await pilot.press("4", "8")  # 4 is nobody's; 8 goes on to the app's own binding
        await pilot.pause()
        assert app.toggled == [1, 2]
        assert app.eights == 1


async def test_removing_and_adding_options_updates_the_digits_and_says_so() -> None:
    app = OneList()
    async with app.run_test() as pilot:
        await pilot.pause()
        choices = app.query_one(ChoiceList)
        updates: list[object] = []
        app.screen.bindings_updated_signal.subscribe(app.screen, updates.append, immediate=True)
        choices.remove_option_at_index(2)
        assert updates
        assert digits_shown(app) == {"1": "1-2", "2": "1-2"}
        updates.clear()
        choices.remove_option("o2")
        assert updates
        assert digits_shown(app) == {"1": "1"}
        updates.clear()
        choices.add_options([Option(f"more {n}") for n in range(11)])
        assert updates
        assert set(digits_shown(app).values()) == {"1-9"}
        assert sorted(digits_shown(app)) == [str(n) for n in range(1, 10)]
        updates.clear()
        choices.clear_options()
        assert updates
        assert digits_shown(app) == {}


async def test_no_digit_is_active_once_the_round_is_answered() -> None:
    app = OneList()
    async with app.run_test() as pilot:
        await pilot.pause()
        app.query_one(ChoiceList).picks = False
        assert digits_shown(app) == {}
        await pilot.press("1")
        await pilot.pause()
        assert app.toggled == []
