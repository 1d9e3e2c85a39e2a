"""CPU / CUDA toggle for runs; a message tells the owner when it changes.

Where the sandbox found no CUDA (``app.cuda`` is ``False``) the CUDA side is greyed and cannot be
picked: a run there would only fail. Until the sandbox has said, both can be picked."""

from __future__ import annotations

from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from tutor.i18n import tr


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
    NO_CUDA = "-no-cuda"
    """The class set while the sandbox reports no CUDA."""

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

    def on_mount(self) -> None:
        self.watch(self.app, "cuda", self._cuda_known)

    def _cuda_known(self, cuda: bool | None) -> None:
        no_cuda = cuda is False
        self.set_class(no_cuda, self.NO_CUDA)
        if no_cuda and self.device == "cuda":
            self.device = "cpu"
        self.refresh()

    def render(self) -> str:
        if self.device == "cpu":
            cpu = "[reverse] CPU [/]"
            cuda = "[dim strike] CUDA [/]" if self.has_class(self.NO_CUDA) else " CUDA "
        else:
            cpu, cuda = " CPU ", "[reverse] CUDA [/]"
        return f"⚙ {cpu}{cuda}"

    def watch_device(self, device: str) -> None:
        self.post_message(self.Changed(self, device))

    def action_toggle(self) -> None:
        if self.device == "cpu" and self.has_class(self.NO_CUDA):
            self.notify(tr("run.no_cuda", self.app.lang), timeout=4)  # type: ignore[attr-defined]
            return
        self.device = "cuda" if self.device == "cpu" else "cpu"

    def on_click(self) -> None:
        self.action_toggle()
