"""A recap step: the points to remember, closing a section, or the lesson on its last step."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.step_base import StepView


class RecapStepView(StepView):
    def compose(self) -> ComposeResult:
        title = self.loc(self.step.title) if self.step.title else self.t("recap.title")
        yield Static(Text(f"🧾 {title}"), classes="step-title")
        yield ProseMarkdown("\n".join(f"- {self.loc(point)}" for point in self.step.points))
        done = "recap.lesson_done" if self.closes_lesson else "recap.done"
        yield Static(f"🎉 {self.t(done)}", classes="caption")

    @property
    def closes_lesson(self) -> bool:
        """Whether this is the lesson's last step: no next section to promise."""
        lesson = self.app.library.lesson(self.lesson_id)  # type: ignore[attr-defined]
        return lesson is not None and bool(lesson.steps) and lesson.steps[-1] is self.step
