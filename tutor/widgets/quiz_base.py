"""What every quiz step shares: grading state, the Answered message, the feedback block."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from tutor.quiz import Grade
from tutor.widgets.inline import inline
from tutor.widgets.step_base import StepView, cheer, reveal, verdict_label


class QuizView(StepView):
    class Answered(Message):
        """A quiz was answered; the lesson screen records it."""

        def __init__(self, quiz_id: str, correct: bool, answer: Any) -> None:
            super().__init__()
            self.quiz_id = quiz_id
            self.correct = correct
            self.answer = answer

    @property
    def quiz(self) -> Any:
        return self.step.quiz

    def finish(self, grade: Grade, answer: Any) -> None:
        self.state["grade"] = grade
        self.state["attempts"] = self.state.get("attempts", 0) + 1
        self.post_message(self.Answered(self.quiz.id, grade.correct, answer))
        reveal(self.query_one(".feedback"))

    def reset(self) -> None:
        self.state.pop("grade", None)

    def render_feedback(self, widget: Static) -> None:
        grade: Grade | None = self.state.get("grade")
        widget.set_class(grade is not None and grade.correct, "-right")
        widget.set_class(grade is not None and not grade.correct, "-wrong")
        if grade is None:
            widget.update("")
            widget.display = False
            return
        widget.display = True
        text = Text()
        seed = f"{self.quiz.id}:{self.state.get('attempts', 1)}"
        if grade.correct:
            verdict_label(text, "🎉", self.t("quiz.right"), correct=True)
            text.append(cheer("right", seed, self.lang) + "\n\n", style="green")
        else:
            verdict_label(text, "🤔", self.t("quiz.wrong"), correct=False)
            text.append(cheer("wrong", seed, self.lang) + "\n\n", style="red")
        self.feedback_body(text)
        if self.quiz.explain:
            text.append("\n💡 ", style="bold")
            text.append_text(inline(self.loc(self.quiz.explain)))
        text.rstrip()
        if not grade.correct:
            text.append(f"\n\n{self.t('quiz.retry_hint')}", style="dim")
        widget.update(text)

    def feedback_body(self, text: Text) -> None:
        """Explain every option; override."""
