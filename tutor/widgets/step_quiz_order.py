"""Order quiz: put the shuffled steps in order (move with keys or buttons), then submit."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.widgets.option_list import Option

from tutor.quiz import Grade, grade_order
from tutor.quiz.grading import order_puzzle
from tutor.widgets.choice_list import ChoiceList
from tutor.widgets.code_view import CodeView
from tutor.widgets.hanging import hanging
from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.quiz_base import QuizView


class OrderQuizView(QuizView):
    BINDINGS: ClassVar = [
        Binding("shift+up,ctrl+up,K", "move(-1)", "k.move_up", key_display="⇧↑"),
        Binding("shift+down,ctrl+down,J", "move(1)", "k.move_down", key_display="⇧↓"),
    ]
    DRAFT_KEYS: ClassVar = ("arrangement", "highlighted")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "move":
            return not self.graded
        return True

    @property
    def arrangement(self) -> list[int]:
        if "arrangement" not in self.state:
            self.state["arrangement"] = order_puzzle(len(self.quiz.items), self.quiz.id)
        return self.state["arrangement"]

    def started(self) -> bool:
        return self.arrangement != order_puzzle(len(self.quiz.items), self.quiz.id)

    def compose(self) -> ComposeResult:
        yield Static(f"🔢 {self.t('quiz.kind.order')}", classes="step-title")
        yield ProseMarkdown(self.loc(self.quiz.question))
        if self.quiz.code:
            yield CodeView(self.quiz.code)
        yield Static(self.t("quiz.order_help"), classes="caption")
        yield ChoiceList(id="items", toggles=False)
        with Horizontal(classes="buttons"):
            yield Button(f"▲ {self.t('quiz.up')}", id="up")
            yield Button(f"▼ {self.t('quiz.down')}", id="down")
            yield Button(f"✔ {self.t('quiz.submit')}", id="submit", variant="primary")
            yield Button(f"↺ {self.t('quiz.retry')}", id="retry")
        yield Static(classes="feedback")

    def on_mount(self) -> None:
        self.render_state()

    def answer_widget(self) -> Widget:
        return self.query_one(ChoiceList)

    def render_state(self, highlight: int | None = None) -> None:
        items = self.query_one(ChoiceList)
        keep = highlight if highlight is not None else self.kept_highlight(items)
        grade = self.state.get("grade")
        items.clear_options()
        digits = len(str(len(self.arrangement)))
        for place, index in enumerate(self.arrangement, start=1):
            label = self.option_label(self.loc(self.quiz.items[index].text))
            if grade is not None:
                label.append("  ✅" if index == place - 1 else "  ❌")
            # a long item wraps under its own text, not under its place number
            mark = Text(f"{place:>{digits}}.", style="bold")
            items.add_option(Option(hanging(mark, label, width=digits + 1)))
        items.highlighted = keep
        submitted = self.graded
        for button in ("#up", "#down", "#submit"):
            self.query_one(button).display = not submitted
        self.query_one("#retry").display = submitted
        self.render_feedback(self.query_one(".feedback", Static))

    def action_move(self, delta: int) -> None:
        if self.graded:
            return
        items = self.query_one(ChoiceList)
        here = items.highlighted
        if here is None:
            return
        there = here + delta
        order = self.arrangement
        if 0 <= there < len(order):
            order[here], order[there] = order[there], order[here]
            self.render_state(highlight=there)

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        event.stop()  # a click or Space only highlights here

    def on_choice_list_submitted(self, event: ChoiceList.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id
        if button == "up":
            self.action_move(-1)
        elif button == "down":
            self.action_move(1)
        elif button == "submit":
            self.action_submit()
        elif button == "retry":
            self.action_retry()

    def action_submit(self) -> None:
        if not self.graded:
            self.finish(grade_order(self.arrangement), list(self.arrangement))

    def recorded_answer(self, answer: Any) -> tuple[dict[str, Any], Grade] | None:
        """A recorded arrangement, graded as a submit grades it; ``None`` unless it places each
        of the quiz's items once (the deck may have added or dropped one since)."""
        if not isinstance(answer, list) or not all(type(place) is int for place in answer):
            return None
        if sorted(answer) != list(range(len(self.quiz.items))):
            return None
        return {"arrangement": list(answer)}, grade_order(answer)

    def feedback_body(self, text: Text) -> None:
        text.append(f"{self.t('quiz.correct_order')}\n", style="bold")
        for place, item in enumerate(self.quiz.items, start=1):
            text.append(f"{place}. ", style="bold")
            text.append_text(self.inline(self.loc(item.text)))
            if item.why:
                text.append(self.t("quiz.why_separator"))
                text.append_text(self.inline(self.loc(item.why)))
            text.append("\n")
