"""A text step: Markdown with ASCII diagrams in fenced blocks."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.step_base import StepView


class TextStepView(StepView):
    def compose(self) -> ComposeResult:
        if self.step.title:
            yield Static(Text(f"📖 {self.loc(self.step.title)}"), classes="step-title")
        yield ProseMarkdown(self.loc(self.step.body))
