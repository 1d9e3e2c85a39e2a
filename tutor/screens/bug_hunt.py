"""Bug Hunt: a short module with one classic bug; pick the line."""

from __future__ import annotations

from typing import ClassVar

from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static
from textual.widgets.option_list import Option

from tutor.games.bug_hunt import BugPuzzle, new_puzzle
from tutor.i18n import localize
from tutor.screens.game import GameScreen
from tutor.widgets.choice_list import ChoiceList
from tutor.widgets.inline import inline
from tutor.widgets.run_panel import RunPanel, run_in_panel
from tutor.widgets.step_base import spaced


def highlighted_lines(code: str) -> list[Text]:
    text = Syntax(code, "python", theme="monokai", background_color="default").highlight(code)
    text.rstrip()
    return text.split("\n", allow_blank=True)


class BugHuntScreen(GameScreen):
    BINDINGS: ClassVar = [Binding("ctrl+r", "demo", "k.demo")]
    TITLE_KEY: ClassVar[str] = "game.bug.title"
    ICON: ClassVar[str] = "🐞"

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(seed, id="bug-game")
        self.puzzle: BugPuzzle = new_puzzle(self.rng)

    def compose(self) -> ComposeResult:
        yield Header(icon="🧠")
        with VerticalScroll(classes="game-body"):
            yield from self.compose_heading()
            yield ChoiceList(id="lines", toggles=False)
            with Horizontal(classes="buttons"):
                yield Button(id="demo")
                yield Button(id="next")
            yield Static(classes="game-feedback")
            yield RunPanel()
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.on_lang()
        self.query_one(ChoiceList).focus()

    def on_lang(self) -> None:
        super().on_lang()
        question = Text()
        question.append_text(inline(localize(self.puzzle.title, self.tutor.lang), style="bold"))
        question.append(f"  {self.t('game.bug.how')}", style="dim")
        self.query_one(".game-question", Static).update(question)
        self.query_one("#demo", Button).label = f"▶ {self.t('k.demo')}"
        self.query_one("#next", Button).label = f"⏭ {self.t('game.next')}"
        self._render_lines()
        self._render_feedback()

    def _render_lines(self) -> None:
        lines = self.query_one(ChoiceList)
        keep = lines.highlighted
        lines.clear_options()
        picked = self.verdict["line"] if self.verdict else None
        for number, code in enumerate(highlighted_lines(self.puzzle.code), start=1):
            label = Text(f"{number:>2} │ ", style="dim")
            label.append_text(code)
            if self.verdict is not None:
                if number in self.puzzle.bug_lines:
                    label.append("  🐞", style="bold")
                elif number == picked:
                    label.append("  ❌")
            lines.add_option(Option(label))
        lines.highlighted = keep if keep is not None else 0
        self.query_one("#demo").display = self.verdict is not None

    def _render_feedback(self) -> None:
        widget = self.query_one(".game-feedback", Static)
        widget.display = self.verdict is not None
        if self.verdict is None:
            return
        lang = self.tutor.lang
        wrong = self.t("game.bug.was", line=self.puzzle.answer)
        text = self.verdict_text(wrong, localize(self.puzzle.explain, lang))
        text.append(f"\n🔧 {spaced(self.t('game.bug.fix'))}", style="bold")
        text.append(self.puzzle.fix.strip(), style="cyan")
        widget.update(text)

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        event.stop()

    def on_choice_list_submitted(self, event: ChoiceList.Submitted) -> None:
        event.stop()
        if event.choice_list.highlighted is not None:
            self.pick(event.choice_list.highlighted + 1)

    def pick(self, line: int) -> None:
        if self.verdict is not None:
            return
        self.score_round(self.puzzle.check(line), line=line)
        self._render_lines()
        self._render_feedback()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "demo":
            self.action_demo()
        else:
            await self.action_new_round()

    def action_demo(self) -> None:
        if self.verdict is None:
            return
        self.run_worker(
            run_in_panel(self, self.query_one(RunPanel), self.puzzle.demo),
            group="run",
            exclusive=True,
            exit_on_error=False,
        )

    def deal(self) -> None:
        self.puzzle = new_puzzle(self.rng)
        self.on_lang()
        lines = self.query_one(ChoiceList)
        lines.highlighted = 0
        lines.focus()
