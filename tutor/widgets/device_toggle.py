"""CPU / CUDA toggle for runs; a message tells the owner when it changes.

Where the sandbox found no CUDA (``app.cuda`` is ``False``) the CUDA side is struck through and
cannot be picked: a run there would only fail. Until the sandbox has said, both can be picked."""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from tutor.i18n import tr
from tutor.theme_styles import app_styles
from tutor.watchers import stop_watching


class DeviceToggle(Static, can_focus=True):
    """Shows ``⚙ [CPU] CUDA``; space or ⏎ flips it, a click on a device's name picks it."""

    DEFAULT_CSS = """
    DeviceToggle {
        width: auto;
        height: 1;
        padding: 0 1;
        margin: 1 1 0 1;
    }
    DeviceToggle:focus {
        background: $boost;
        text-style: bold underline;  /* underlined: seen without colour too (NO_COLOR) */
    }
    """
    NO_CUDA = "-no-cuda"
    """The class set while the sandbox reports no CUDA."""

    # Kept out of the footer: the screens that show a toggle bind their own key to it (d on a
    # code step, ^o in the sandbox), which the footer shows, focused or not; two "CPU/CUDA" keys
    # there pushed others out. Help still lists space.
    BINDINGS = [Binding("space,enter", "toggle", "k.device", show=False)]  # noqa: RUF012

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

    def on_unmount(self) -> None:
        stop_watching(self.app, self)

    def _cuda_known(self, cuda: bool | None) -> None:
        no_cuda = cuda is False
        self.set_class(no_cuda, self.NO_CUDA)
        if no_cuda and self.device == "cuda":
            self.device = "cpu"
        self.refresh()

    GEAR, CPU, CUDA = "⚙ ", " CPU ", " CUDA "
    """The three parts it draws, in order: a click on a device's name picks that device."""

    def render(self) -> str:
        if self.device == "cpu":
            cpu = f"[reverse]{self.CPU}[/]"
            cuda = self._struck(self.CUDA) if self.has_class(self.NO_CUDA) else self.CUDA
        else:
            cpu, cuda = self.CPU, f"[reverse]{self.CUDA}[/]"
        return f"{self.GEAR}{cpu}{cuda}"

    def _struck(self, name: str) -> str:
        """``name`` of a device that cannot be picked: struck through, in the theme's secondary
        text (:attr:`~tutor.theme_styles.Styles.muted`), read at 4.5:1; dimmed, it read 2.9:1 on
        solarized-light, 4.3:1 on tokyo-night."""
        return f"[{app_styles(self.app).muted} strike]{name}[/]"

    def watch_device(self, device: str) -> None:
        self.post_message(self.Changed(self, device))

    def action_toggle(self) -> None:
        self.pick("cuda" if self.device == "cpu" else "cpu")

    def pick(self, device: str) -> None:
        """Run on ``device``; CUDA where the sandbox found none is refused with a word why."""
        if device == "cuda" and self.has_class(self.NO_CUDA):
            # said once: a key pressed again (ctrl+o) would stack toasts over the run's output
            self.app.notify_once(tr("run.no_cuda", self.app.lang), timeout=4)  # type: ignore[attr-defined]
            return
        self.device = device

    def on_click(self, event: Click) -> None:
        """A click on a device's name picks it, as on a segmented button (one on the device
        already picked keeps it); anywhere else (the ⚙) flips."""
        offset = event.get_content_offset(self)
        x = offset.x if offset is not None else -1
        cpu_at = cell_len(self.GEAR)
        cuda_at = cpu_at + cell_len(self.CPU)
        if cpu_at <= x < cuda_at:
            self.pick("cpu")
        elif cuda_at <= x < cuda_at + cell_len(self.CUDA):
            self.pick("cuda")
        else:
            self.action_toggle()
