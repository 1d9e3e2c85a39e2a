"""What every quiz step shares: grading state, the Answered message, the feedback block."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static

from tutor.quiz import Grade
from tutor.widgets.inline import inline
from tutor.widgets.step_base import StepView, cheer, reveal, verdict_label


class QuizView(StepView):
    DRAFT_KEYS: ClassVar[tuple[str, ...]] = ()
    """What of ``self.state`` is an answer begun (and where the list pointed): kept for the
    lesson opened again while no grade is (:meth:`keep_draft`); override."""

    class Answered(Message):
        """A quiz was answered; the lesson screen records it. ``answer_shown``: after the
        feedback of a wrong try showed the right answer (a right one is then not a pass)."""

        def __init__(
            self, quiz_id: str, correct: bool, answer: Any, answer_shown: bool = False
        ) -> None:
            super().__init__()
            self.quiz_id = quiz_id
            self.correct = correct
            self.answer = answer
            self.answer_shown = answer_shown

    @property
    def quiz(self) -> Any:
        return self.step.quiz

    @property
    def graded(self) -> bool:
        return self.state.get("grade") is not None

    def answer_widget(self) -> Widget:
        """Where the learner answers (the option list, the answer box); override."""
        raise NotImplementedError

    def render_state(self) -> None:
        """Show ``self.state``: the answer so far, the buttons, the feedback; override."""
        raise NotImplementedError

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Kept with the answer: F2 (or a step away and back) rebuilds the list, and Enter on a
        # single choice grades the option pointed at, so it must still be that one.
        self.state["highlighted"] = event.option_index

    def kept_highlight(self, options: OptionList) -> int:
        """The option to point at once ``options`` is refilled: the one pointed at now, or in
        the list this step showed last (the state outlives the view)."""
        if options.highlighted is not None:
            return options.highlighted
        return self.state.get("highlighted", 0)

    @staticmethod
    def option_label(markdown: str) -> Text:
        """An option's text as its list draws it: its code bold in the row's own colour, as
        are its marks. A colour of its own (cyan code, green ✅, a dim number) read as low as
        1.3:1 on a highlighted row, whose colour is the theme's, and below 4.5:1 off it."""
        return inline(markdown, code_style="bold")

    def initial_focus(self) -> Widget | None:
        """The answer; once graded wrong, "Try again": nothing else on the step takes a key
        then. Once graded right, not "Try again", where the Enter of a learner moving on threw
        away what the step had just shown: the scroll around the step (the lesson's, a Tab stop
        beside "Try again"), where Enter does nothing and → moves on."""
        if not self.graded:
            return self.answer_widget()
        grade: Grade | None = self.state.get("grade")
        scroll = self.parent
        if grade is not None and grade.correct and isinstance(scroll, Widget) and scroll.can_focus:
            return scroll
        return self.query_one("#retry")

    def finish(self, grade: Grade, answer: Any) -> None:
        """Record and show a grade. ``answer`` is what is recorded, and what
        :meth:`recorded_answer` reads back when the lesson is opened again.

        The feedback of a wrong grade shows the right answer: every try after it in this
        sitting (the step's state, which lasts while the lesson is open, and into its next
        opening with an answer begun then: :meth:`keep_draft`) is recorded as made with the
        answer shown, and a right one is not a pass. A quiz not passed in an earlier
        sitting comes back fresh (:meth:`restore`): its next answer is the learner's own."""
        self.state.pop("last_not_passed", None)
        shown = bool(self.state.get("answer_shown"))
        self.report(self.Answered(self.quiz.id, grade.correct, answer, shown))
        if not grade.correct:
            self.state["answer_shown"] = True
        self.show_grade(grade, answer_shown=shown)

    def show_grade(self, grade: Grade, *, scroll: bool = True, answer_shown: bool = False) -> None:
        """Show a grade, given just now or recorded before; the focus moves where
        :meth:`initial_focus` says (off the answer, whose keys do nothing more until "Try
        again"). ``scroll``: bring the feedback into view (not for a step just opened, whose
        question comes first). ``answer_shown``: given after the answer was shown, so a right
        one says it is no pass."""
        self.state["grade"] = grade
        self.state["graded_answer_shown"] = answer_shown
        self.state["attempts"] = self.state.get("attempts", 0) + 1
        self._settle(scroll=scroll)
        if scroll:
            reveal(self.query_one(".feedback"))

    def restore(self, attempt: Any) -> bool:
        """Show a recorded pass graded, as right after answering (``Try again`` shown). A
        recorded answer that is no pass (wrong, or right only after the answer was shown) leaves
        the quiz fresh, with a word that last time was no pass: its feedback would show the right
        answer, and a try after that would be a copy (``^o`` leads here to pass it). Not over an
        answer given in this view already, nor while one is being checked: that is the newer
        one. An answer that no longer fits the quiz (the deck changed: an option gone, another
        number of items, another right answer) leaves the quiz fresh."""
        if self.state.get("attempts") or self.state.get("checking") or self.started():
            return False
        if not attempt.correct or attempt.answer_shown:
            self.state["last_not_passed"] = True
            self.render_state()
            return True
        recorded = self.recorded_answer(attempt.answer)
        if recorded is None:
            return False
        changes, grade = recorded
        if grade.correct != attempt.correct:
            return False
        self.state.update(changes)
        self.show_grade(grade, scroll=False)
        return True

    def keep_draft(self) -> None:
        """Keep the answer begun, not submitted; nothing of a graded one (it is restored from the
        store, or comes back fresh). With the draft, whether the answer was shown while the lesson
        was last open: a draft made after the feedback showed it is no answer of the learner's
        own (see :meth:`finish`)."""
        if self.graded:
            super().keep_draft()
            return
        keys = (*self.DRAFT_KEYS, "answer_shown") if self.started() else self.DRAFT_KEYS
        kept = {key: self.state[key] for key in keys if key in self.state}
        self.state.clear()
        self.state.update(kept)

    def started(self) -> bool:
        """Whether the learner has begun an answer in this view (ticked, moved, typed): a
        recorded one, read from the store a moment later, must not replace it; override."""
        return False

    def recorded_answer(self, answer: Any) -> tuple[dict[str, Any], Grade] | None:
        """What ``answer`` (as :meth:`finish` recorded it) puts in ``self.state`` and the grade it
        gets, graded as a submit grades it; ``None`` where it does not fit the quiz; override."""
        return None

    def show_why_open(self) -> None:
        """Reached by "Still to pass" (^o): an answer graded earlier in this sitting, and no pass
        (wrong, or right only after the answer was shown), has its verdict, which says why, come
        into view; the step opens at its question, and the verdict was below the fold."""
        if self.graded:
            reveal(self.query_one(".feedback"))

    def action_retry(self) -> None:
        self.reset()
        self._settle()

    def reset(self) -> None:
        """Forget the grade, ready for another try; extend to forget more."""
        self.state.pop("grade", None)

    def _settle(self, *, scroll: bool = True) -> None:
        """Redraw after the grade came or went: keys that now do nothing leave the footer.
        ``scroll``: focusing what comes next may scroll it into view."""
        self.render_state()
        self.refresh_bindings()
        initial = self.initial_focus()
        if initial is not None:
            initial.focus(scroll_visible=scroll)

    def render_feedback(self, widget: Static) -> None:
        grade: Grade | None = self.state.get("grade")
        widget.set_class(grade is not None and grade.correct, "-right")
        widget.set_class(grade is not None and not grade.correct, "-wrong")
        if grade is None:
            last = self.state.get("last_not_passed")
            note = Text(self.t("quiz.last_not_passed"), style=self.theme_styles.muted)
            widget.update(note if last else "")
            widget.display = bool(last)
            return
        widget.display = True
        text = Text()
        seed = f"{self.quiz.id}:{self.state.get('attempts', 1)}"
        styles = self.theme_styles  # the theme's: the terminal's red and green, and dim, read low
        if grade.correct and self.state.get("graded_answer_shown"):
            # No pass (see finish): no cheer, and why it stays on "Still to pass" right after the
            # verdict, so that seen again later (^o leads here) it does not read as a pass.
            verdict_label(text, "🔁", self.t("quiz.right"), correct=True, styles=styles)
            text.append(self.t("quiz.right_after_shown") + "\n\n", style=styles.muted)
        elif grade.correct:
            verdict_label(text, "🎉", self.t("quiz.right"), correct=True, styles=styles)
            text.append(cheer("right", seed, self.lang) + "\n\n", style=styles.right)
        else:
            verdict_label(text, "🤔", self.t("quiz.wrong"), correct=False, styles=styles)
            text.append(cheer("wrong", seed, self.lang) + "\n\n", style=styles.wrong)
        self.feedback_body(text)
        if self.quiz.explain:
            text.append("\n💡 ", style="bold")
            text.append_text(self.inline(self.loc(self.quiz.explain)))
        text.rstrip()
        if not grade.correct:
            text.append(f"\n\n{self.t('quiz.retry_hint')}", style=styles.muted)
        widget.update(text)

    def feedback_body(self, text: Text) -> None:
        """Explain every option; override."""
