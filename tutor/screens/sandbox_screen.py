"""The sandbox: a free editor with Run / Cancel, a device toggle, output, value and trace."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static, TextArea

from tutor.decks.code_comments import follow_language, localize_comments
from tutor.screens.base import TutorScreen
from tutor.widgets.device_toggle import DeviceToggle
from tutor.widgets.editor import code_editor, mark_line
from tutor.widgets.run_panel import RunPanel, cancel_run, run_in_panel

DEFAULT_SNIPPET = """\
# torch, nn, F and device are ready.  #zh: torch、nn、F 和 device 都已就绪。
# Ctrl+R runs; the value of the last line is shown.  #zh: Ctrl+R 运行；最后一行的值会显示出来。
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
x = torch.randn(3, 4)
model(x).shape
"""


class SandboxScreen(TutorScreen):
    CSS_PATH = "sandbox_screen.tcss"
    BINDINGS: ClassVar = [
        Binding("ctrl+r", "run", "k.run"),
        Binding("escape", "escape", "k.cancel"),
        Binding("ctrl+o", "device", "k.device"),
        Binding("ctrl+t", "trace", "k.trace"),
    ]

    def __init__(self, code: str | None = None, file: str | None = None) -> None:
        super().__init__(id="sandbox")
        self.file = file
        self.load_error: str | None = None
        if code is None and file is not None:
            try:
                code = Path(file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.load_error = f"{file}: {exc}"
        self.initial_code = code
        self.trace = False

    def compose(self) -> ComposeResult:
        yield Header(icon="🧠")
        with Horizontal(id="sb-top"):
            yield Static(id="sb-title")
            yield DeviceToggle("cuda" if self.tutor.cuda else "cpu", id="device")
            yield Static(id="sb-trace")
        code = self.initial_code
        if code is None:
            code = localize_comments(DEFAULT_SNIPPET, self.tutor.lang)
        yield code_editor(code, id="sb-editor")
        with Horizontal(id="sb-buttons"):
            yield Button(id="run", variant="primary")
            yield Button(id="cancel", variant="error", disabled=True)
            yield Button(id="trace")
        with VerticalScroll(id="sb-output"):
            yield RunPanel(id="sb-run")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.on_lang()
        self.query_one(TextArea).focus()
        if self.load_error:
            self.notify(self.load_error, severity="error")

    def on_lang(self) -> None:
        editor = self.query_one(TextArea)
        starter = follow_language(editor.text, DEFAULT_SNIPPET, self.tutor.lang)
        if starter != editor.text:
            editor.load_text(starter)
        name = f" · {Path(self.file).name}" if self.file else ""
        self.title = self.t("screen.sandbox") + name
        self.query_one("#sb-title", Static).update(f"🧪 {self.t('sb.title')}")
        self.query_one("#run", Button).label = f"▶ {self.t('code.run')}"
        self.query_one("#cancel", Button).label = f"⏹ {self.t('sb.cancel')}"
        self._show_trace_state()

    def _show_trace_state(self) -> None:
        state = self.t("sb.on") if self.trace else self.t("sb.off")
        self.query_one("#sb-trace", Static).update(f"🔬 {self.t('sb.trace', state=state)}")
        self.query_one("#trace", Button).label = f"🔬 {self.t('k.trace')}"

    @property
    def running(self) -> bool:
        return any(w.group == "run" and w.is_running for w in self.workers)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"run": self.action_run, "cancel": self.action_cancel, "trace": self.action_trace}[
            event.button.id or ""
        ]()

    def action_device(self) -> None:
        self.query_one(DeviceToggle).action_toggle()

    def action_trace(self) -> None:
        self.trace = not self.trace
        self._show_trace_state()

    def action_escape(self) -> None:
        if self.running:
            self.action_cancel()
        elif isinstance(self.focused, TextArea):
            self.query_one("#run", Button).focus()
        else:
            self.dismiss()

    def action_cancel(self) -> None:
        if self.running:
            cancel_run(self)

    def action_run(self) -> None:
        if self.running:
            self.notify(self.t("sb.busy"), timeout=2)
            return
        self.run_worker(self._run(), group="run", exclusive=True, exit_on_error=False)

    def _set_running(self, running: bool) -> None:
        self.query_one("#run", Button).disabled = running
        self.query_one("#cancel", Button).disabled = not running
        self.refresh_bindings()

    async def _run(self) -> None:
        editor = self.query_one(TextArea)
        self._set_running(True)
        try:
            result = await run_in_panel(
                self,
                self.query_one(RunPanel),
                editor.text,
                device=self.query_one(DeviceToggle).device,
                trace=self.trace,
                timeout=30,
            )
        finally:
            self._set_running(False)
        if result is not None and result.error is not None:
            mark_line(editor, result.error.line)
