"""Predict-the-output quiz: type what the snippet prints; the sandbox runs it to reveal the truth."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from tutor.quiz import Grade, last_line, predict_matches
from tutor.widgets.code_view import CodeView
from tutor.widgets.inline import inline
from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.quiz_base import QuizView
from tutor.widgets.run_panel import RunPanel, cancel_run, run_in_panel
from tutor.widgets.step_base import spaced


class PredictQuizView(QuizView):
    BINDINGS: ClassVar = [Binding("escape", "cancel", "k.cancel")]

    def compose(self) -> ComposeResult:
        quiz = self.quiz
        yield Static(f"🔮 {self.t('quiz.kind.predict')}", classes="step-title")
        yield ProseMarkdown(self.loc(quiz.question))
        if quiz.code:
            yield CodeView(quiz.code)
        hint = self.t(f"quiz.predict_hint.{quiz.match}")
        yield Input(
            self.state.get("answer", ""),
            placeholder=hint,
            id="prediction",
            disabled=self.state.get("grade") is not None,
        )
        with Horizontal(classes="buttons"):
            yield Button(f"✔ {self.t('quiz.submit')}", id="submit", variant="primary")
            yield Button(f"↺ {self.t('quiz.retry')}", id="retry")
        yield RunPanel(self.state.get("result"))
        yield Static(classes="feedback")

    def on_mount(self) -> None:
        self.render_state()

    def initial_focus(self) -> Widget | None:
        if self.state.get("grade") is None:
            return self.query_one(Input)
        return self.query_one("#retry")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel":
            return any(w.group == "run" and w.is_running for w in self.workers)
        return True

    def render_state(self) -> None:
        submitted = self.state.get("grade") is not None
        self.query_one("#submit").display = not submitted
        self.query_one("#retry").display = submitted
        self.query_one(Input).disabled = submitted or self.state.get("checking", False)
        self.render_feedback(self.query_one(".feedback", Static))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        elif event.button.id == "retry":
            self.reset()
            self.state.pop("result", None)
            self.render_state()
            self.query_one(Input).focus()

    def action_cancel(self) -> None:
        cancel_run(self)

    def action_submit(self) -> None:
        answer = self.query_one(Input).value.strip()
        if not answer or self.state.get("grade") is not None or self.state.get("checking"):
            if not answer:
                self.app.notify(self.t("quiz.type_first"), severity="warning", timeout=2)
            return
        self.state["answer"] = answer
        self.state["checking"] = True
        self.render_state()
        self.run_worker(self._reveal(answer), group="run", exclusive=True, exit_on_error=False)

    async def _reveal(self, answer: str) -> None:
        quiz = self.quiz
        try:
            result = await run_in_panel(
                self, self.query_one(RunPanel), self.loc_code(quiz.code or ""), device=quiz.device
            )
        finally:
            self.state["checking"] = False
        self.state["result"] = result
        if result is not None and result.status == "ok" and result.stdout.strip():
            truth, source = last_line(result.stdout), "sandbox"
        else:
            truth, source = (quiz.expect or ""), "deck"
        self.state["truth"], self.state["truth_source"] = truth, source
        correct = predict_matches(answer, truth, quiz.match, quiz.accept)
        self.finish(Grade(correct, 1.0 if correct else 0.0), answer)
        self.render_state()
        self.query_one("#retry").focus()

    def feedback_body(self, text: Text) -> None:
        text.append(spaced(self.t("quiz.you_said")), style="bold")
        text.append(self.state.get("answer", ""), style="cyan")
        text.append(f"\n{spaced(self.t('quiz.it_printed'))}", style="bold")
        text.append(self.state.get("truth", "") or "∅", style="green")
        if self.state.get("truth_source") == "deck":
            text.append(f"  ({self.t('quiz.truth_from_deck')})", style="dim")
        text.append("\n\n")
        text.append_text(inline(self.loc(self.quiz.why)))
        text.append("\n")
