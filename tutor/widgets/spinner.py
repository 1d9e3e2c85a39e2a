"""A tiny text spinner that shows the UI is alive while the sandbox works."""

from __future__ import annotations

from textual.widgets import Static

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Spinner(Static):
    DEFAULT_CSS = """
    Spinner {
        width: 2;
        height: 1;
        color: $accent;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(FRAMES[0], id=id)
        self._frame = 0

    def on_mount(self) -> None:
        self._timer = self.set_interval(0.1, self._tick)

    def _tick(self) -> None:
        self._frame = (self._frame + 1) % len(FRAMES)
        self.update(FRAMES[self._frame])
