"""Predict-the-output quiz: type what the snippet prints; the sandbox runs it to reveal the truth."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from tutor.decks.model import Predict
from tutor.i18n import tr
from tutor.quiz import Grade, last_line, predict_matches
from tutor.widgets.answer_input import AnswerInput
from tutor.widgets.code_view import CodeView
from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.quiz_base import QuizView
from tutor.widgets.run_panel import FollowsRuns, RunPanel, run_in_panel
from tutor.widgets.step_base import spaced

FORMAT_EXAMPLES: dict[str, tuple[str, ...]] = {"shape": ("(2, 5)", "(5, 2)", "(3, 7)")}
"""Answers in the format a ``match`` kind reads, for the answer box's placeholder; the first
that is not the item's own answer is shown. Exact and number answers need no example."""


def format_example(match: str, is_answer: Callable[[str], bool]) -> str | None:
    """An answer written the way ``match`` reads answers that ``is_answer`` rejects: a placeholder
    that spelled the answer (``(4, 2)`` for ``torch.Size([4, 2])``) would give it away."""
    for example in FORMAT_EXAMPLES.get(match, ()):
        if not is_answer(example):
            return example
    return None


def predict_placeholder(match: str, is_answer: Callable[[str], bool], lang: Any) -> str:
    """What the empty answer box says: what to type, with a format example where one helps."""
    example = format_example(match, is_answer)
    if example is None:
        return tr(f"quiz.predict_hint.{match}", lang)
    return tr(f"quiz.predict_hint.{match}_example", lang, example=example)


def authors_answer(quiz: Predict) -> Callable[[str], bool]:
    """Whether a typed answer matches what ``quiz``'s author expects (``expect``/``accept``)."""
    return lambda text: predict_matches(text, quiz.expect or "", quiz.match, quiz.accept)


RECORDED_KEYS = ("answer", "truth", "truth_source", "snippet")
"""What a prediction is recorded with: the answer, what the snippet printed, where that came
from (``TRUTH_SOURCES``: the sandbox's run, or the deck's ``expect`` when it could not run), and
the snippet's :func:`snippet_digest` (what it printed is only shown again for the same code)."""
TRUTH_SOURCES = ("sandbox", "deck")
WHOLE_ANSWER_RIGHT = "whole_answer_right"
"""Recorded only with an answer cut to :data:`KEPT_ANSWER_CHARS`: whether the whole answer was
right. What is kept cannot be graded again (``(4,`` and a long paste ending ``2)`` is right, its
start is not), so a reopened step shows the grade the whole answer got."""

KEPT_ANSWER_CHARS = 300
"""How much of a prediction is kept, shown under "You said:" and recorded: a paste of a whole
log (200,000 characters) would make the step thousands of rows tall and every attempt that big.
The whole answer is graded first; only what is kept is cut."""


def kept_answer(answer: str) -> str:
    """``answer`` as kept: its first :data:`KEPT_ANSWER_CHARS` characters, the last an ellipsis
    where it was cut."""
    if len(answer) <= KEPT_ANSWER_CHARS:
        return answer
    return answer[: KEPT_ANSWER_CHARS - 1] + "…"


def snippet_digest(quiz: Predict) -> str:
    return hashlib.sha256((quiz.code or "").encode("utf-8")).hexdigest()[:16]


def right_or_wrong(correct: bool) -> Grade:
    """A prediction's grade: all or nothing."""
    return Grade(correct, 1.0 if correct else 0.0)


class PredictQuizView(FollowsRuns, QuizView):
    """esc cancels the snippet's run from the lesson screen (a ``CancelsRun``), wherever the
    focus is."""

    DRAFT_KEYS: ClassVar = ("typed",)
    TRANSIENT_KEYS: ClassVar = ("asked_to_type",)
    """An empty submit asked for an answer ("Type your prediction first.", under Submit) and
    nothing was typed since: said again in the other language (F2), not when the learner comes
    back to the step."""

    def compose(self) -> ComposeResult:
        quiz = self.quiz
        yield Static(f"🔮 {self.t('quiz.kind.predict')}", classes="step-title")
        yield ProseMarkdown(self.loc(quiz.question))
        if quiz.code:
            yield CodeView(quiz.code)
        yield AnswerInput(
            self.state.get("typed", self.state.get("answer", "")),
            placeholder=predict_placeholder(quiz.match, authors_answer(quiz), self.lang),
            id="prediction",
            disabled=self.state.get("grade") is not None,
            # the cursor stays where it was: keys typed on Submit go in there (on_key)
            select_on_focus=False,
        )
        with Horizontal(classes="buttons"):
            yield Button(f"✔ {self.t('quiz.submit')}", id="submit", variant="primary")
            yield Button(f"↺ {self.t('quiz.retry')}", id="retry")
        yield Static(self.t("quiz.type_first"), classes="type-first input-note")
        yield RunPanel(self.state.get("result"))
        yield Static(classes="feedback")

    def on_mount(self) -> None:
        self.render_state()

    def answer_widget(self) -> Widget:
        return self.query_one(Input)

    def render_state(self) -> None:
        submitted = self.graded
        self.query_one("#submit").display = not submitted
        self.query_one("#retry").display = submitted
        self.query_one(Input).disabled = submitted or self.state.get("checking", False)
        self.query_one(".type-first").display = bool(self.state.get("asked_to_type"))
        self.render_feedback(self.query_one(".feedback", Static))

    def on_input_changed(self, event: Input.Changed) -> None:
        # Kept as typed, submitted or not: F2 (or a step away and back) rebuilds the answer box.
        self.state["typed"] = event.value
        if self.state.pop("asked_to_type", False):  # the note has done its work
            self.render_state()

    def on_key(self, event: events.Key) -> None:
        """A character typed with the focus on Submit (Tab from the answer box) goes into the
        box, and the focus with it, as in a form; not space (it presses Submit) nor a key the
        lesson has (→ n p q ? move on, back, close, help)."""
        box = self.query_one(Input)
        if self.screen.focused is not self.query_one("#submit") or box.disabled:
            return
        if not event.is_printable or event.key == "space":
            return
        if event.key in self.screen.active_bindings:
            return
        event.stop()
        event.prevent_default()
        box.focus()
        selection = box.selection  # the last answer, selected by Try again: typed over
        box.replace(event.character or "", *sorted((selection.start, selection.end)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        elif event.button.id == "retry":
            self.action_retry()

    def reset(self) -> None:
        super().reset()
        self.state.pop("result", None)
        self.query_one(RunPanel).display = False  # the last try's output would give it away

    def action_retry(self) -> None:
        super().action_retry()
        # the last answer stays in the box, selected: what is typed next replaces it (the box
        # does not select on focus, so that keys typed on Submit go on at its end)
        self.query_one(Input).select_all()

    def action_submit(self) -> None:
        answer = self.query_one(Input).value.strip()
        if not answer or self.graded or self.state.get("checking"):
            if not answer:  # said in the step, under Submit: a toast was gone in two seconds
                self.state["asked_to_type"] = True
                self.render_state()
                self.query_one(Input).focus()
                self.report(self.LearnerActed())
            return
        self.state["answer"] = kept_answer(answer)  # the whole answer is graded, not kept
        self.state["checking"] = True
        # The answer box is disabled while the snippet runs. The focus stays on this step (on
        # Submit, which does nothing meanwhile) rather than going wherever a disabled box sends
        # it; esc cancels the run from the lesson, wherever the focus is.
        self.query_one("#submit", Button).focus()
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
        if result is not None and result.status == "cancelled":
            self.run_cancelled()
            return
        if result is not None and result.status == "ok" and result.stdout.strip():
            truth, source = last_line(result.stdout), "sandbox"
        else:
            truth, source = (quiz.expect or ""), "deck"
        self.state["truth"], self.state["truth_source"] = truth, source
        # Recorded with what it printed: the lesson opened again shows the verdict without
        # running the snippet (see recorded_answer).
        grade = self.graded_prediction(answer, truth)  # the whole answer, before it is cut
        kept = kept_answer(answer)
        recorded: dict[str, Any] = {
            "answer": kept,
            "truth": truth,
            "truth_source": source,
            "snippet": snippet_digest(quiz),
        }
        if kept != answer:
            recorded[WHOLE_ANSWER_RIGHT] = grade.correct
        self.finish(grade, recorded)

    def graded_prediction(self, answer: str, truth: str) -> Grade:
        quiz = self.quiz
        return right_or_wrong(predict_matches(answer, truth, quiz.match, quiz.accept))

    def recorded_answer(self, answer: Any) -> tuple[dict[str, Any], Grade] | None:
        """A recorded prediction and what the snippet printed then, graded again (no run); not
        one recorded without the output, nor for another snippet or another ``expect`` than the
        deck has now (what was printed then is not what it prints now). An answer recorded cut
        (see :data:`WHOLE_ANSWER_RIGHT`) keeps the grade the whole one got."""
        if not isinstance(answer, dict) or set(answer) - {WHOLE_ANSWER_RIGHT} != set(RECORDED_KEYS):
            return None
        said, truth, source, snippet = (answer[key] for key in RECORDED_KEYS)
        if not (isinstance(said, str) and isinstance(truth, str) and source in TRUTH_SOURCES):
            return None
        stale = snippet != snippet_digest(self.quiz) or (
            source == "deck" and truth != (self.quiz.expect or "")
        )
        if stale:
            return None
        changes = {"answer": said, "truth": truth, "truth_source": source}
        whole_right = answer.get(WHOLE_ANSWER_RIGHT)
        if isinstance(whole_right, bool):
            return changes, right_or_wrong(whole_right)
        if WHOLE_ANSWER_RIGHT in answer:
            return None
        return changes, self.graded_prediction(said, truth)

    def started(self) -> bool:
        return bool(self.state.get("typed", "").strip())

    def restore(self, attempt: Any) -> bool:
        if not super().restore(attempt):
            return False
        self.query_one(Input).value = self.state["answer"]  # what was answered, as after a submit
        return True

    def run_cancelled(self) -> None:
        """A cancelled run grades nothing: the answer box is back, to submit again or change."""
        self.render_state()
        self.query_one(Input).focus()

    def feedback_body(self, text: Text) -> None:
        text.append(spaced(self.t("quiz.you_said")), style="bold")
        styles = self.theme_styles  # the terminal's cyan, green and dim read below 4.5:1 on some
        text.append(self.state.get("answer", ""), style=styles.code)
        text.append(f"\n{spaced(self.t('quiz.it_printed'))}", style="bold")
        text.append(self.state.get("truth", "") or "∅", style=styles.right)
        if self.state.get("truth_source") == "deck":
            text.append(f"  ({self.t('quiz.truth_from_deck')})", style=styles.muted)
        text.append("\n\n")
        text.append_text(self.inline(self.loc(self.quiz.why)))
        text.append("\n")
