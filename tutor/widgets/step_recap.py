"""A recap step: the points to remember, closing a section."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.step_base import StepView


class RecapStepView(StepView):
    def compose(self) -> ComposeResult:
        title = self.loc(self.step.title) if self.step.title else self.t("recap.title")
        yield Static(f"🧾 {title}", classes="step-title")
        yield ProseMarkdown("\n".join(f"- {self.loc(point)}" for point in self.step.points))
        yield Static(f"🎉 {self.t('recap.done')}", classes="caption")
