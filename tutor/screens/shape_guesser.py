"""Shape Guesser: a random layer and input; type the output shape; the sandbox reveals it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Header, Input, Static

from tutor.games.shape_guesser import ShapeChallenge, new_challenge
from tutor.quiz import last_line, parse_shape
from tutor.screens.game import GameScreen
from tutor.theme_styles import app_styles
from tutor.widgets.answer_input import AnswerInput
from tutor.widgets.code_view import CodeView
from tutor.widgets.fitting_footer import FittingFooter
from tutor.widgets.inline import inline
from tutor.widgets.run_panel import RunPanel, run_going, run_in_panel
from tutor.widgets.step_quiz_predict import format_example, predict_placeholder


class ShapeGuesserScreen(GameScreen):
    TITLE_KEY: ClassVar[str] = "game.shape.title"

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(seed, id="shape-game")
        self.challenge: ShapeChallenge = new_challenge(self.rng)

    def compose(self) -> ComposeResult:
        yield Header(icon="🧠")
        # no Tab stop: the body showed no focus and took the game's keys (reveal scrolls)
        with VerticalScroll(classes="game-body", can_focus=False):
            yield from self.compose_heading()
            yield CodeView(self._shown_code(), id="challenge")
            # focus back after an unreadable guess must not select it: a key would replace it
            yield AnswerInput(id="guess", select_on_focus=False)
            with Horizontal(classes="buttons"):
                yield Button(id="submit", variant="primary")
                yield Button(id="next")
            yield from self.compose_note()
            yield RunPanel()
            yield Static(classes="game-feedback")
        yield FittingFooter()

    def _shown_code(self) -> str:
        c = self.challenge
        return f"layer = {c.layer}\nx = {c.input}   # x.shape = {c.input_shape}\nout = {c.call}"

    def on_mount(self) -> None:
        self.on_lang()
        self.query_one(Input).focus()

    def on_lang(self) -> None:
        super().on_lang()
        self.render_question()
        self._set_placeholder()
        self.set_label("submit", f"✔ {self.t('quiz.submit')}")
        self.set_label("next", f"⏭ {self.t('game.next')}")
        self._render_feedback()

    def render_question(self) -> None:
        question = inline(
            self.t("game.shape.question"), code_style=app_styles(self.app).inline_code
        )
        self.query_one(".game-question", Static).update(question)

    def _set_placeholder(self) -> None:
        """The answer box's hint, with an example shape that is never this round's answer."""
        placeholder = predict_placeholder("shape", self.challenge.check, self.tutor.lang)
        self.query_one(Input).placeholder = placeholder

    def _render_feedback(self) -> None:
        widget = self.query_one(".game-feedback", Static)
        widget.display = self.verdict is not None
        if self.verdict is None:
            return
        truth = self.t("game.shape.truth", shape=str(self.verdict["truth"]))
        text = self.verdict_text(truth, self.challenge.rule.text(self.tutor.lang))
        if not self.verdict["correct"] and self.challenge.worked:
            text.append(f"\n🧮 {self.challenge.worked}", style=app_styles(self.app).code)
        if not self.verdict.get("ran", True):  # no run to check against: the formula's word
            # muted, not dim: dimmed, it read 2.9:1 on solarized-light
            muted = app_styles(self.app).muted
            text.append(f"\n({self.t('game.shape.truth_from_formula')})", style=muted)
        widget.update(text)

    def render_verdict(self) -> None:
        self._render_feedback()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.clear_note()  # the guess is being mended

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        else:
            await self.action_new_round()

    def action_submit(self) -> None:
        guess = self.query_one(Input).value.strip()
        if self.verdict is not None or run_going(self):
            return  # a second submit while the guess runs would restart it
        if parse_shape(guess) is None:  # nothing typed yet, too: say what is wanted
            # an example that is not this round's answer, as the placeholder's
            example = format_example("shape", self.challenge.check)
            self.say_of_input("game.shape.bad_shape", example=example)
            # back in the box to mend it: on a clicked Submit, typing went nowhere and q left
            self.query_one(Input).focus()
            return
        self.query_one(Input).disabled = True
        self.run_worker(self._reveal(guess), group="run", exclusive=True, exit_on_error=False)

    async def _reveal(self, guess: str) -> None:
        result = await run_in_panel(self, self.query_one(RunPanel), self.challenge.code)
        if result is not None and result.status == "cancelled":
            self.run_cancelled()
            return
        truth = None
        if result is not None and result.status == "ok":
            truth = parse_shape(last_line(result.stdout))
        ran = truth is not None
        if truth is None:
            truth = self.challenge.expected
        details = {"truth": truth} if ran else {"truth": truth, "ran": False}
        self.score_round(self.challenge.check(guess, truth), **details)

    def run_cancelled(self) -> None:
        """A cancelled run scores nothing: the guess box is back, to submit again or change."""
        guess = self.query_one(Input)
        guess.disabled = False
        guess.focus()

    def deal(self) -> None:
        self.challenge = new_challenge(self.rng, after=self.challenge.kind)
        self.query_one("#challenge", CodeView).set_code(self._shown_code())
        self._set_placeholder()
        guess = self.query_one(Input)
        guess.disabled = False
        guess.value = ""
        guess.focus()
        self._render_feedback()
