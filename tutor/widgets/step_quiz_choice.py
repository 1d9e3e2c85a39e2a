"""Single-choice, multiple-choice and true/false quiz steps, with feedback on every option."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.widgets.option_list import Option

from tutor.decks.model import MultipleChoice, TrueFalse
from tutor.quiz import Grade, grade_multiple, grade_single, grade_true_false, shuffled
from tutor.widgets.choice_list import ChoiceList
from tutor.widgets.code_view import CodeView
from tutor.widgets.hanging import hanging
from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.quiz_base import QuizView


class ChoiceQuizView(QuizView):
    BINDINGS: ClassVar = [
        Binding("enter", "submit", "k.submit", show=False),
        Binding("t", "pick_bool(True)", "k.true", show=False),
        Binding("f", "pick_bool(False)", "k.false", show=False),
    ]
    DRAFT_KEYS: ClassVar = ("selected", "highlighted")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick_bool":
            return self.true_false and not self.graded
        return True

    @property
    def multiple(self) -> bool:
        return isinstance(self.quiz, MultipleChoice)

    @property
    def true_false(self) -> bool:
        return isinstance(self.quiz, TrueFalse)

    def option_ids(self) -> list[str]:
        if self.true_false:
            return ["true", "false"]
        if "order" not in self.state:
            ids = [o.id for o in self.quiz.options]
            self.state["order"] = shuffled(ids, self.quiz.id, enabled=self.quiz.shuffle)
        return self.state["order"]

    def option_text(self, option_id: str) -> str:
        if self.true_false:
            return self.t(f"quiz.{option_id}")
        option = next(o for o in self.quiz.options if o.id == option_id)
        return self.loc(option.text)

    @property
    def selected(self) -> list[str]:
        return self.state.setdefault("selected", [])

    def compose(self) -> ComposeResult:
        quiz = self.quiz
        yield Static(f"❓ {self.t('quiz.kind.' + quiz.KIND)}", classes="step-title")
        yield ProseMarkdown(self.loc(quiz.question))
        if quiz.code:
            yield CodeView(quiz.code)
        yield ChoiceList(id="choices")  # filled on mount, pointing where it did last time
        with Horizontal(classes="buttons"):
            yield Button(f"✔ {self.t('quiz.submit')}", id="submit", variant="primary")
            yield Button(f"↺ {self.t('quiz.retry')}", id="retry")
        yield Static(classes="feedback")

    def on_mount(self) -> None:
        self.render_state()

    def answer_widget(self) -> Widget:
        return self.query_one(ChoiceList)

    def _options(self) -> list[Option]:
        grade = self.state.get("grade")
        answer = self._answer_ids()
        options = []
        ids = self.option_ids()
        digits = len(str(len(ids)))
        for number, option_id in enumerate(ids, start=1):
            picked = option_id in self.selected
            box = ("☑" if picked else "☐") if self.multiple else ("◉" if picked else "○")
            mark = Text()
            mark.append(f"{number:>{digits}} ")
            mark.append(box, style="bold")
            label = self.option_label(self.option_text(option_id))
            if grade is not None:
                if option_id in answer:
                    label.append("  ✅")
                elif picked:
                    label.append("  ❌")
            # a long option wraps under its own text, not under the number and box
            options.append(Option(hanging(mark, label, width=digits + 2), id=option_id))
        return options

    def _answer_ids(self) -> set[str]:
        if self.true_false:
            return {"true" if self.quiz.answer else "false"}
        if self.multiple:
            return set(self.quiz.answer)
        return {self.quiz.answer}

    def render_state(self) -> None:
        choices = self.query_one(ChoiceList)
        highlighted = self.kept_highlight(choices)
        choices.clear_options()
        choices.add_options(self._options())
        choices.highlighted = highlighted
        submitted = self.graded
        choices.toggles = not submitted
        self.query_one("#submit").display = not submitted
        self.query_one("#retry").display = submitted
        self.render_feedback(self.query_one(".feedback", Static))

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        event.stop()
        if self.graded:
            return
        option_id = self.option_ids()[event.index]
        if self.multiple:
            if option_id in self.selected:
                self.selected.remove(option_id)
            else:
                self.selected.append(option_id)
        else:
            self.state["selected"] = [option_id]
        self.render_state()

    def on_choice_list_submitted(self, event: ChoiceList.Submitted) -> None:
        event.stop()
        if not self.multiple and not self.selected:
            choices = self.query_one(ChoiceList)
            if choices.highlighted is not None:
                self.state["selected"] = [self.option_ids()[choices.highlighted]]
        self.action_submit()

    def action_pick_bool(self, value: bool) -> None:
        if self.true_false and not self.graded:
            self.state["selected"] = ["true" if value else "false"]
            self.render_state()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        elif event.button.id == "retry":
            self.action_retry()

    def action_submit(self) -> None:
        if self.graded:
            return
        if not self.selected:  # a pick-all item has at least one right option: never graded
            hint = "quiz.tick_first" if self.multiple else "quiz.pick_first"
            self.app.notify(self.t(hint), severity="warning", timeout=2)
            return
        self.finish(*self.graded_pick(self.selected))

    def graded_pick(self, selected: list[str]) -> tuple[Grade, Any]:
        """The grade of the options ``selected`` (one at least), and the answer recorded for it:
        true or false, the ids ticked, or the id picked."""
        if self.true_false:
            picked_true = selected[0] == "true"
            return grade_true_false(self.quiz.answer, picked_true), picked_true
        if self.multiple:
            return grade_multiple(self.option_ids(), self.quiz.answer, selected), sorted(selected)
        return grade_single(self.option_ids(), self.quiz.answer, selected[0]), selected[0]

    def recorded_answer(self, answer: Any) -> tuple[dict[str, Any], Grade] | None:
        """The options a recorded answer picked, graded as a submit grades them."""
        if self.true_false:
            # a bool; 1 or 0 in rows recorded before answers were kept as JSON
            picked = ["true" if answer else "false"] if answer in (True, False) else []
        elif self.multiple:
            picked = list(answer) if isinstance(answer, list) else []
        else:
            picked = [answer]
        ids = self.option_ids()
        if not picked or not all(isinstance(p, str) and p in ids for p in picked):
            return None  # an option gone from the deck, or no answer this quiz can show
        return {"selected": picked}, self.graded_pick(picked)[0]

    def started(self) -> bool:
        return bool(self.state.get("selected"))

    def reset(self) -> None:
        super().reset()
        self.state["selected"] = []

    def feedback_body(self, text: Text) -> None:
        if self.true_false:
            truth = self.t("quiz.true") if self.quiz.answer else self.t("quiz.false")
            text.append(f"{self.t('quiz.statement_is', truth=truth)}\n", style="bold")
            text.append_text(self.inline(self.loc(self.quiz.why)))
            text.append("\n")
            return
        answer = self._answer_ids()
        styles = self.theme_styles
        # After a wrong answer the options the learner chose are marked: a wrong pick and a right
        # option left unpicked both differ from the answer, and looked alike (a right answer's
        # picks are the ✅ options themselves).
        grade: Grade | None = self.state.get("grade")
        chosen = set(self.selected) if grade is not None and not grade.correct else set()
        for option_id in self.option_ids():
            option = next(o for o in self.quiz.options if o.id == option_id)
            right = option_id in answer
            verdict_style = styles.right if right else styles.wrong
            text.append("✅ " if right else "❌ ", style=verdict_style)
            text.append_text(self.inline(self.loc(option.text), style="bold"))
            if option_id in chosen:
                text.append(f" {self.t('quiz.your_choice')}", style=f"bold {verdict_style}")
            text.append(self.t("quiz.why_separator"))
            text.append_text(self.inline(self.loc(option.why)))
            text.append("\n")
