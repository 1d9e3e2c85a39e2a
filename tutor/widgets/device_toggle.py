"""CPU / CUDA toggle for runs; a message tells the owner when it changes."""

from __future__ import annotations

from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static


class DeviceToggle(Static, can_focus=True):
    """Shows ``[CPU] CUDA``; click, Space or Enter flips it."""

    DEFAULT_CSS = """
    DeviceToggle {
        width: auto;
        height: 1;
        padding: 0 1;
        margin: 1 1 0 1;
    }
    DeviceToggle:focus {
        background: $boost;
        text-style: bold;
    }
    """

    BINDINGS = [("space,enter", "toggle", "k.device")]  # noqa: RUF012

    device: reactive[str] = reactive("cpu")

    class Changed(Message):
        def __init__(self, toggle: DeviceToggle, device: str) -> None:
            super().__init__()
            self.toggle = toggle
            self.device = device

    def __init__(self, device: str = "cpu", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(DeviceToggle.device, "cuda" if device == "cuda" else "cpu")

    def render(self) -> str:
        cpu, cuda = (
            ("[reverse] CPU [/]", " CUDA ")
            if self.device == "cpu"
            else (" CPU ", "[reverse] CUDA [/]")
        )
        return f"⚙ {cpu}{cuda}"

    def watch_device(self, device: str) -> None:
        self.post_message(self.Changed(self, device))

    def action_toggle(self) -> None:
        self.device = "cuda" if self.device == "cpu" else "cpu"

    def on_click(self) -> None:
        self.action_toggle()
