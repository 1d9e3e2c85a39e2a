"""A text step: Markdown with ASCII diagrams in fenced blocks."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Markdown, Static

from tutor.widgets.step_base import StepView


class TextStepView(StepView):
    def compose(self) -> ComposeResult:
        if self.step.title:
            yield Static(f"📖 {self.loc(self.step.title)}", classes="step-title")
        yield Markdown(self.loc(self.step.body))
