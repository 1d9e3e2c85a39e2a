"""The CPU/CUDA toggle shows it has focus without colour: under NO_COLOR its only clue was bold."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button

from tutor.widgets.device_toggle import DeviceToggle


class ToggleApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DeviceToggle(id="device")
        yield Button("Run", id="run")


def underlined(toggle: DeviceToggle) -> bool:
    """Whether every drawn letter of the toggle is underlined."""
    strip = toggle.render_lines(toggle.region.reset_offset)[0]
    letters = [seg for seg in strip if seg.text.strip()]
    return bool(letters) and all(seg.style is not None and seg.style.underline for seg in letters)


async def test_focus_underlines_the_toggle_so_it_shows_without_colour() -> None:
    async with ToggleApp().run_test(size=(40, 6)) as pilot:
        toggle = pilot.app.query_one(DeviceToggle)
        pilot.app.query_one("#run", Button).focus()
        await pilot.pause()
        assert not underlined(toggle)
        toggle.focus()
        await pilot.pause()
        assert underlined(toggle)
