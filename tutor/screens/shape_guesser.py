"""Shape Guesser: a random layer and input; type the output shape; the sandbox reveals it."""

from __future__ import annotations

import random
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Static

from tutor.games.shape_guesser import ShapeChallenge, new_challenge
from tutor.i18n import localize
from tutor.quiz import last_line, parse_shape
from tutor.screens.base import TutorScreen
from tutor.widgets.code_view import CodeView
from tutor.widgets.run_panel import RunPanel, run_in_panel
from tutor.widgets.step_base import cheer


class ShapeGuesserScreen(TutorScreen):
    CSS_PATH = "games.tcss"
    BINDINGS: ClassVar = [
        Binding("ctrl+n", "new_round", "k.new_round"),
        Binding("escape", "leave", "k.leave", key_display="esc"),
    ]

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(id="shape-game", classes="game")
        self.rng = random.Random(seed)
        self.challenge: ShapeChallenge = new_challenge(self.rng)
        self.score = 0
        self.rounds = 0
        self.streak = 0
        self.verdict: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="🧠")
        with VerticalScroll(classes="game-body"):
            yield Static(classes="game-title")
            yield Static(classes="game-score")
            yield Static(classes="game-question")
            yield CodeView(self._shown_code(), id="challenge")
            yield Input(id="guess")
            with Horizontal(classes="buttons"):
                yield Button(id="submit", variant="primary")
                yield Button(id="next")
            yield RunPanel()
            yield Static(classes="game-feedback")
        yield Footer(compact=True)

    def _shown_code(self) -> str:
        c = self.challenge
        return f"layer = {c.layer}\nx = {c.input}   # x.shape = {c.input_shape}\nout = layer(x)"

    def on_mount(self) -> None:
        self.on_lang()
        self.query_one(Input).focus()

    def on_lang(self) -> None:
        self.title = self.t("game.shape.title")
        self.query_one(".game-title", Static).update(f"🎮 {self.t('game.shape.title')}")
        self.query_one(".game-question", Static).update(self.t("game.shape.question"))
        self.query_one(Input).placeholder = self.t("quiz.predict_hint.shape")
        self.query_one("#submit", Button).label = f"✔ {self.t('quiz.submit')}"
        self.query_one("#next", Button).label = f"⏭ {self.t('game.next')}"
        self._render_score()
        self._render_feedback()

    def _render_score(self) -> None:
        text = self.t("game.score", score=self.score, rounds=self.rounds)
        if self.streak > 1:
            text += f" · 🔥 {self.t('game.streak', n=self.streak)}"
        self.query_one(".game-score", Static).update(text)

    def _render_feedback(self) -> None:
        widget = self.query_one(".game-feedback", Static)
        verdict = self.verdict
        widget.display = verdict is not None
        if verdict is None:
            return
        text = Text()
        seed = f"shape:{self.rounds}"
        if verdict["correct"]:
            text.append(f"🎉 {self.t('quiz.right')} ", style="bold green")
            text.append(cheer("right", seed, self.tutor.lang), style="green")
        else:
            text.append(f"🤔 {self.t('quiz.wrong')} ", style="bold red")
            text.append(self.t("game.shape.truth", shape=str(verdict["truth"])), style="red")
        text.append("\n💡 " + localize(self.challenge.rule, self.tutor.lang))
        widget.update(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.action_submit()
        else:
            self.action_new_round()

    def action_submit(self) -> None:
        guess = self.query_one(Input).value.strip()
        if self.verdict is not None or not guess:
            return
        if parse_shape(guess) is None:
            self.notify(self.t("game.shape.bad_shape"), severity="warning", timeout=3)
            return
        self.query_one(Input).disabled = True
        self.run_worker(self._reveal(guess), group="run", exclusive=True, exit_on_error=False)

    async def _reveal(self, guess: str) -> None:
        result = await run_in_panel(self, self.query_one(RunPanel), self.challenge.code)
        truth = None
        if result is not None and result.status == "ok":
            truth = parse_shape(last_line(result.stdout))
        if truth is None:
            truth = self.challenge.expected
        correct = self.challenge.check(guess, truth)
        self.rounds += 1
        self.score += correct
        self.streak = self.streak + 1 if correct else 0
        self.verdict = {"correct": correct, "truth": truth}
        self._render_score()
        self._render_feedback()
        self.query_one("#next", Button).focus()

    def action_new_round(self) -> None:
        self.challenge = new_challenge(self.rng)
        self.verdict = None
        self.query_one("#challenge", CodeView).set_code(self._shown_code())
        guess = self.query_one(Input)
        guess.disabled = False
        guess.value = ""
        guess.focus()
        self.query_one(RunPanel).display = False
        self._render_feedback()

    def action_leave(self) -> None:
        self.dismiss()
