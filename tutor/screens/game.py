"""What both games share: a seeded round generator, the score line, the verdict, the keys."""

from __future__ import annotations

import random
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Static

from tutor.screens.base import TutorScreen
from tutor.theme_styles import app_styles
from tutor.widgets.inline import inline
from tutor.widgets.run_panel import CANCEL_RUN, CancelsRun, RunPanel, stop_runs
from tutor.widgets.step_base import RIGHT_CHEERS, WRONG_CHEERS, reveal, verdict_label


class CheerDeck:
    """Cheers dealt like cards: none repeats until every one was shown, and the next pass never
    opens with the one just shown. Shuffled by ``rng``, so two visits differ."""

    def __init__(self, keys: tuple[str, ...], rng: random.Random) -> None:
        self.keys = keys
        self.rng = rng
        self.left: list[str] = []
        self.last: str | None = None

    def draw(self) -> str:
        if not self.left:
            self.left = list(self.keys)
            self.rng.shuffle(self.left)
            if len(self.left) > 1 and self.left[-1] == self.last:  # drawn from the end
                self.left[0], self.left[-1] = self.left[-1], self.left[0]
        self.last = self.left.pop()
        return self.last


class GameScreen(CancelsRun, TutorScreen):
    """A game screen; subclasses compose the round (with buttons ``#submit`` and ``#next``) and
    call :meth:`score_round`, and run code in workers of the group "run" (esc cancels them)."""

    CSS_PATH = "games.tcss"
    BINDINGS: ClassVar = [
        Binding("ctrl+n", "new_round", "k.new_round"),
        CANCEL_RUN,
        Binding("escape", "leave", "k.leave", key_display="esc"),
        # as in lessons, review and stats; an answer box with focus keeps q as a letter
        Binding("q", "leave", "k.leave", show=False),
        # the app's F1, named in the footer (it named no help key): F1 opens Help wherever the
        # focus is, where ? is typed into Shape Guesser's answer box once it holds text
        Binding("f1", "app.help", "k.help", key_display="F1"),
    ]
    TITLE_KEY: ClassVar[str] = ""
    """Catalog key of the game's name."""
    UNFIT_CHEERS: ClassVar[frozenset[str]] = frozenset()
    """Cheers this game never says: one that names a kind of mistake the game asks about."""
    ICON: ClassVar[str] = "🎮"
    NEXT_AFTER_S: ClassVar[float] = 0.6
    """How long after the verdict "Next round" takes the focus: a second Enter typed with the
    first (a bouncy key, a quick double press) must not deal the next round unseen."""

    def __init__(self, seed: int | None = None, *, id: str) -> None:
        super().__init__(id=id, classes="game")
        self.rng = random.Random(seed)
        self.score = 0
        self.rounds = 0
        self.streak = 0
        self.verdict: dict[str, Any] | None = None
        self.cheer = ""
        """The catalogue key of the answered round's cheer (or consolation)."""
        self.note: tuple[str, dict[str, Any]] | None = None
        """What the game says of the learner's input (a catalogue key and its values), shown
        under the buttons by :meth:`say_of_input` till :meth:`clear_note`."""
        # a seeded game cheers the same each time (tests); an unseeded one differs per visit
        cheers = random.Random(None if seed is None else f"{seed}:cheers")
        self.cheers = {
            right: CheerDeck(tuple(key for key in keys if key not in self.UNFIT_CHEERS), cheers)
            for right, keys in ((True, RIGHT_CHEERS), (False, WRONG_CHEERS))
        }

    def compose_heading(self) -> ComposeResult:
        yield Static(classes="game-title")
        yield Static(classes="game-score")
        yield Static(classes="game-question")

    def compose_note(self) -> ComposeResult:
        """The note on the learner's input (:meth:`say_of_input`): subclasses place it under
        their buttons."""
        yield Static(classes="game-note input-note")

    def on_lang(self) -> None:
        self.title = self.t(self.TITLE_KEY)
        self.query_one(".game-title", Static).update(f"{self.ICON} {self.t(self.TITLE_KEY)}")
        self.render_score()
        self._render_note()
        self.query_one(RunPanel).retranslate()

    def say_of_input(self, key: str, **values: Any) -> None:
        """Say, under the buttons, why the learner's input is no answer (a blank line picked,
        a guess that is no shape), till they act again (:meth:`clear_note`), as a form says a
        field's error. As a toast it covered the game's own buttons at 80x24 for seconds,
        and stacked on every press; the note is one, said again in place."""
        self.note = (key, values)
        note = self._render_note()
        reveal(note)  # under the buttons, below the fold of a long round

    def clear_note(self) -> None:
        """The learner acted again (a pick, a key typed, a new round, an answer): the note on
        their last input goes."""
        if self.note is not None:
            self.note = None
            self._render_note()

    def _render_note(self) -> Static:
        note = self.query_one(".game-note", Static)
        note.display = self.note is not None
        if self.note is not None:
            key, values = self.note
            note.update(self.t(key, **values))
        return note

    def render_score(self) -> None:
        text = self.t("game.score", score=self.score, rounds=self.rounds)
        if self.streak > 1:
            text += f" · 🔥 {self.t('game.streak', n=self.streak)}"
        self.query_one(".game-score", Static).update(text)
        if self.rounds:  # in the header too: a short terminal scrolls the line above away
            self.sub_title = text

    def score_round(self, correct: bool, **details: Any) -> None:
        """Count a finished round; ``details`` are kept in :attr:`verdict` for the feedback."""
        self.rounds += 1
        self.score += correct
        self.streak = self.streak + 1 if correct else 0
        self.verdict = {"correct": correct, **details}
        self.clear_note()
        self.cheer = self.cheers[correct].draw()  # drawn once: a redraw (language) keeps it
        self.refresh_bindings()  # keys for after the answer
        self.query_one("#submit", Button).disabled = True  # the round is answered
        self.render_score()
        # drawn before the scroll is worked out: feedback drawn after it (and the scrollbar it
        # brings, which re-wraps the text) left its last line below the fold
        self.render_verdict()
        feedback = self.query_one(".game-feedback")
        reveal(feedback)
        # and once more after that scroll is drawn: the first layout can bring the scrollbar,
        # which narrows the text, which wraps it one row longer
        feedback.call_after_refresh(reveal, feedback)
        self.focus_next_soon()  # Enter then deals the next round

    def focus_next_soon(self) -> None:
        """Once the verdict has had a moment on screen, "Next round" takes the focus, so Enter
        deals the next round; till then the focus is on nothing, so Enter deals nothing."""
        self.set_focus(None)
        self.set_timer(self.NEXT_AFTER_S, self._focus_next)

    def _focus_next(self) -> None:
        if self.verdict is not None:  # not after ^n dealt a new round meanwhile
            # where the view is left alone: scrolled back up to the button, a demo's output
            # run meanwhile (and revealed) went out of sight on a short terminal
            self.query_one("#next", Button).focus(scroll_visible=False)

    def render_verdict(self) -> None:
        """Draw what changes once a round is answered (the feedback, the marks); override."""

    def verdict_text(self, wrong_detail: str, explain: str) -> Text:
        """Right (a cheer) or wrong (``wrong_detail``), then ``explain`` (inline Markdown)."""
        assert self.verdict is not None
        styles = app_styles(self.app)  # the terminal's red, green, cyan read below 4.5:1
        text = Text()
        if self.verdict["correct"]:
            verdict_label(text, "🎉", self.t("quiz.right"), correct=True, styles=styles)
            text.append(self.t(self.cheer), styles.right)
        else:
            verdict_label(text, "🤔", self.t("quiz.wrong"), correct=False, styles=styles)
            text.append(wrong_detail, style=styles.wrong)
            # set apart as a quiz consoles, in the theme's muted style (never the terminal's dim)
            text.append(f"\n{self.t(self.cheer)}", style=styles.muted)
        text.append("\n💡 ")
        text.append_text(inline(explain, code_style=styles.inline_code))
        return text

    def render_question(self) -> None:
        """Draw the round's question (its code in the theme's colour); override."""

    def theme_changed(self) -> None:
        """The question's and the verdict's colours follow a theme change (a dark theme's red
        and cyan are faint on light)."""
        self.render_question()
        self.render_verdict()

    async def action_new_round(self) -> None:
        """Stop the last round's run first: its result must not score the new round."""
        await stop_runs(self)
        self.verdict = None
        self.clear_note()
        self.refresh_bindings()
        self.query_one("#submit", Button).disabled = False
        self.query_one(RunPanel).display = False
        self.deal()

    def deal(self) -> None:
        """Set up a fresh round (subclasses); :meth:`action_new_round` has cleared the last."""
        raise NotImplementedError

    def action_leave(self) -> None:
        self.dismiss()
