"""A code step: highlighted code, Run on CPU or CUDA, live output, value, error line, trace."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static

from tutor.widgets.code_view import CodeView
from tutor.widgets.device_toggle import DeviceToggle
from tutor.widgets.run_panel import FollowsRuns, RunPanel, run_going, run_in_panel
from tutor.widgets.step_base import StepView


class CodeStepView(FollowsRuns, StepView):
    # esc cancels a run from the lesson screen (a CancelsRun), wherever the focus is.
    BINDINGS: ClassVar = [
        Binding("r,ctrl+r", "run", "k.run"),
        Binding("d", "device", "k.device"),
        Binding("e", "open_sandbox", "k.edit"),
    ]

    def compose(self) -> ComposeResult:
        step = self.step
        title = self.loc(step.title) if step.title else self.t("code.title")
        yield Static(Text(f"🧪 {title}"), classes="step-title")
        code = CodeView(step.code, classes="code")
        result = self.state.get("result")
        if result is not None and result.error is not None:
            code.error_line = result.error.line
        yield code
        if step.caption:
            yield Static(self._caption(), classes="caption")
        with Horizontal(classes="buttons"):
            yield Button(f"▶ {self.t('code.run')}", id="run", variant="primary")
            yield DeviceToggle(self.state.get("device", self._default_device()), id="device")
            yield Button(f"✎ {self.t('code.edit')}", id="edit")
        yield RunPanel(result, expected_error=step.raises)  # a snippet meant to fail says so

    def _caption(self) -> Text:
        """The step's caption, its inline code in the theme's code colour."""
        caption = Text("👀 ")
        caption.append_text(self.inline(self.loc(self.step.caption)))
        return caption

    def theme_changed(self) -> None:
        """The caption's inline code follows a theme change too (drawn once, a light theme
        kept the dark theme's code colour)."""
        super().theme_changed()
        if self.is_mounted and self.step.caption:
            self.query_one(".caption", Static).update(self._caption())

    def _default_device(self) -> str:
        return (
            "cuda"
            if self.step.device == "cuda"
            or (
                self.step.device == "auto" and self.app.cuda  # type: ignore[attr-defined]
            )
            else "cpu"
        )

    def initial_focus(self) -> Widget | None:
        return self.query_one("#run", Button)

    @property
    def running(self) -> bool:
        """Whether this one's own run is going (see :func:`run_going`)."""
        return run_going(self)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "run":
            self.action_run()
        elif event.button.id == "edit":
            self.action_open_sandbox()

    def on_device_toggle_changed(self, event: DeviceToggle.Changed) -> None:
        self.state["device"] = event.device

    def action_device(self) -> None:
        self.query_one(DeviceToggle).action_toggle()

    def action_open_sandbox(self) -> None:
        # a traced step's code opens traced: its run there shows the trace the step's did
        self.app.open_sandbox(  # type: ignore[attr-defined]
            code=self.loc_code(self.step.code), trace=self.step.trace
        )

    def action_run(self) -> None:
        if self.running:  # a second run now would cancel this one, and show it cancelled
            self.notify(self.t("sb.busy"), timeout=2)
            return
        self.run_worker(self._run(), group="run", exclusive=True, exit_on_error=False)

    async def _run(self) -> None:
        code = self.query_one(CodeView)
        code.error_line = None
        device = self.query_one(DeviceToggle).device
        panel = self.query_one(RunPanel)
        scrolled = panel.scroll_offsets()
        result = await run_in_panel(
            self,
            panel,
            self.loc_code(self.step.code),
            device=device,
            trace=self.step.trace,
        )
        self.state["result"] = result
        if result is not None and result.error is not None:
            code.error_line = result.error.line
        panel.reveal_ending(scrolled)  # below the buttons, often below the fold
