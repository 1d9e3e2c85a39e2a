"""Bug Hunt: a short module with one classic bug; pick the line."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.syntax import Syntax
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Button, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.games.bug_hunt import BugPuzzle, new_puzzle
from tutor.sandbox_messages import glossed_error_line
from tutor.screens.game import GameScreen
from tutor.theme_styles import Styles, app_styles, syntax_theme
from tutor.widgets.choice_list import DIGITS, ChoiceList
from tutor.widgets.code_view import NumberedSyntax
from tutor.widgets.fitting_footer import FittingFooter
from tutor.widgets.inline import inline
from tutor.widgets.run_panel import RunPanel, run_in_panel
from tutor.widgets.step_base import reveal, spaced


def highlighted_lines(code: str, styles: Styles) -> list[Text]:
    """``code``'s lines highlighted in the Pygments style ``styles`` name."""
    theme = syntax_theme(styles)
    text = Syntax(code, "python", theme=theme, background_color="default").highlight(code)
    text.rstrip()
    return text.split("\n", allow_blank=True)


class NumberedLine:
    """One line of the puzzle in the line picker, behind its number.

    A line too long for the list wraps under a gutter without a number and with a hanging
    indent (its own indent and 4 more), so a wrapped fragment cannot pass for a line of its own.
    """

    HANG = 4

    def __init__(self, number: int, code: Text, mark: Text | None = None) -> None:
        self.number = number
        self.code = code
        self.mark = mark or Text()

    def _gutter(self, first: bool) -> Text:
        """The line's number (blank on a wrapped fragment) and its rule, in the list's own
        colour. Never dimmed: every piece of the line is appended to this Text, so a dim
        style here dimmed the code too (2.7:1 on the light themes); the highlighted line
        stands out by the list's cursor, not by the others fading."""
        return Text(f"{self.number:>2} │ " if first else "   │ ")

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = self.code.plain
        indent = len(plain) - len(plain.lstrip(" "))
        body = Text()  # the mark after the code, outside the code's style (its background)
        body.append_text(self.code[indent:])
        body.append_text(self.mark)
        room = max(2, options.max_width - cell_len(self._gutter(True).plain))
        indent = min(indent, room // 2)
        hang = min(indent + self.HANG, room // 2)
        first = body.wrap(console, room - indent, overflow="fold")[0]
        rest = body.plain
        taken = len(first.plain)
        while taken < len(rest) and rest[taken] == " ":  # the space the line broke at
            taken += 1
        pieces = [first]
        if taken < len(rest):
            pieces.extend(body[taken:].wrap(console, room - hang, overflow="fold"))
        # the padding wears the code's own style (its background), as the line's indent does
        pad = self.code.get_style_at_offset(console, 0) if plain else None
        for index, piece in enumerate(pieces):
            line = self._gutter(index == 0)
            line.append(" " * (indent if index == 0 else hang), style=pad)
            line.append_text(piece)
            yield line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        full = sum(cell_len(t.plain) for t in (self._gutter(True), self.code, self.mark))
        return Measurement(min(full, 20), full)


class BugHuntScreen(GameScreen):
    BINDINGS: ClassVar = [Binding("ctrl+r", "demo", "k.demo")]
    TITLE_KEY: ClassVar[str] = "game.bug.title"
    ICON: ClassVar[str] = "🐞"
    VERTICAL_BREAKPOINTS: ClassVar = [(0, "-short"), (30, "-tall")]
    """Under 30 rows the blank rows around the buttons go (games.tcss): at 24 the longest
    rounds' code and feedback were two rows taller than the view."""

    UNFIT_CHEERS: ClassVar = frozenset({"cheer.wrong.5"})
    """"Just a missing piece, not a broken model": here a missing line is one of the answers,
    so after a wrong line's round it hinted at the wrong kind of bug."""

    def __init__(self, seed: int | None = None) -> None:
        super().__init__(seed, id="bug-game")
        self.puzzle: BugPuzzle = new_puzzle(self.rng)
        self.line_picked = False
        """Whether the learner has picked a line this round (moved the highlight, pressed a
        line's number or Space, clicked one): a round starts on line 1, which nobody chose."""

    def compose(self) -> ComposeResult:
        yield Header(icon="🧠")
        # no Tab stop: the body showed no focus and took the line list's keys (reveal scrolls)
        with VerticalScroll(classes="game-body", can_focus=False):
            yield from self.compose_heading()
            yield ChoiceList(id="lines", toggles=False)
            with Horizontal(classes="buttons"):
                # answers with the line highlighted, as Enter does: a click only points at one
                yield Button(id="submit", variant="primary")
                yield Button(id="demo")
                yield Button(id="next")
            yield from self.compose_note()
            yield Static(classes="game-feedback")
            yield Static(id="demo-code")
            yield RunPanel()
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#demo-code").display = False
        self.on_lang()
        self.query_one(ChoiceList).focus()

    def on_lang(self) -> None:
        super().on_lang()
        self.render_question()
        self.set_label("submit", f"✔ {self.t('quiz.submit')}")
        self.set_label("demo", f"▶ {self.t('k.demo')}")
        self.set_label("next", f"⏭ {self.t('game.next')}")
        self._render_lines()
        self._render_feedback()
        self._render_demo_code()

    def render_question(self) -> None:
        styles = app_styles(self.app)
        title = self.puzzle.title.text(self.tutor.lang)
        question = inline(title, style="bold", code_style=styles.inline_code)
        how, last = self._by_number("game.bug.how", "game.bug.how_long")
        question.append(f"  {self.t(how, last=last)}", style=styles.muted)
        self.query_one(".game-question", Static).update(question)

    def _by_number(self, every_line: str, first_lines: str) -> tuple[str, int]:
        """How to say which lines a digit picks: the catalogue key ``every_line`` (every line of
        the puzzle, 1 to its last) or ``first_lines`` (a longer puzzle: lines 1 to
        :data:`~tutor.widgets.choice_list.DIGITS` only; its last lines are picked with ↑↓ or a
        click), and the last line a digit picks."""
        count = len(self.puzzle.lines)
        if count <= DIGITS:
            return every_line, count
        return first_lines, DIGITS

    def theme_changed(self) -> None:
        """The question's code, the code's highlighting and the verdict's colours follow a
        theme change (dark styles vanish on light)."""
        self.render_question()
        self._render_lines()
        self._render_feedback()
        self._render_demo_code()

    def _render_lines(self) -> None:
        lines = self.query_one(ChoiceList)
        keep = lines.highlighted
        lines.clear_options()
        styles = app_styles(self.app)
        marks = self._marks(styles)
        for number, code in enumerate(highlighted_lines(self.puzzle.code, styles), start=1):
            lines.add_option(Option(NumberedLine(number, code, marks.get(number))))
        # the highlight put back is no move of the learner's: F2's redraw, taken for a pick,
        # put the note away
        with lines.prevent(OptionList.OptionHighlighted):
            lines.highlighted = keep if keep is not None else 0
        lines.picks = self.verdict is None  # Enter and 1-9 answer nothing more this round
        self.query_one("#demo").display = self.verdict is not None

    def _fix_line(self) -> int:
        """The line a missing statement's fix is shown right after: the learner's pick when it
        was right (one of several places it works), else the first right one."""
        assert self.verdict is not None
        picked = self.verdict["line"]
        return picked if self.puzzle.check(picked) else self.puzzle.answer

    def _marks(self, styles: Styles) -> dict[int, Text]:
        """What the answered round shows after its lines, by line number: 🐞 on a wrong line;
        for a missing one, the fix after the line it goes after (the lines around it are
        innocent); ❌ on a wrong pick (never one of the others' lines)."""
        if self.verdict is None:
            return {}
        puzzle, picked = self.puzzle, self.verdict["line"]
        marks = {} if puzzle.check(picked) else {picked: Text("  ❌")}
        if puzzle.missing:
            # on the code's ground, as the code is: bold green on the highlighted line's
            # colour read 1.4:1, and green 2.4:1 on a light theme's code
            fix = Text(f"  ⤵ {puzzle.fix.strip()}", style=f"{styles.fix} on default")
            marks[self._fix_line()] = fix
        else:
            marks.update({number: Text("  🐞", style="bold") for number in puzzle.bug_lines})
        return marks

    def _lines_or(self, lines: frozenset[int]) -> str:
        """``lines`` as the feedback names them: ``2``, ``4 or 6``, ``4, 5 or 7``."""
        names = [str(line) for line in sorted(lines)]
        if len(names) == 1:
            return names[0]
        first = self.t("list.separator").join(names[:-1])
        return self.t("game.bug.lines_or", first=first, last=names[-1])

    def _spot_reason(self) -> str:
        """Why a missing statement fails right after the line the learner wrongly picked, from
        what torch does there (:attr:`BugPuzzle.misses`); ``""`` for a right pick, a wrong
        line puzzle or a line with no reason known."""
        assert self.verdict is not None
        line, puzzle = self.verdict["line"], self.puzzle
        miss = puzzle.misses.get(line)  # none for a right pick: misses leaves those out
        if miss is None:
            return ""
        if miss.outcome == "stuck":
            return self.t("game.bug.why.stuck", line=line)
        if miss.outcome == "stays":
            symptom = puzzle.symptom.text(self.tutor.lang) if puzzle.symptom else ""
            return self.t("game.bug.why.stays", line=line, symptom=symptom) if symptom else ""
        if miss.outcome == "breaks":
            fix = puzzle.fix.strip()
            said = self.t("game.bug.why.breaks", line=line, fix=fix, error=miss.error)
        elif miss.at == line:
            # the picked line itself raises (no_super's `self.fc1 =`): "line 3 fails before
            # it runs" would speak of the same line twice
            said = self.t("game.bug.why.fails_itself", line=line, error=miss.error)
        else:
            said = self.t("game.bug.why.too_late", line=line, at=miss.at, error=miss.error)
        return self._glossed(said, miss.error)

    def _glossed(self, reason: str, error: str) -> str:
        """``reason``, which quotes Python's ``error`` (``Type: message``) as a code span, with
        the gloss of that error in the learner's language after the span
        (:func:`glossed_error_line`): inside it, the gloss's own code spans would break it."""
        quoted = f"`{error}`"
        return reason.replace(quoted, glossed_error_line(error, self.tutor.lang, quote="`"), 1)

    def _where_missing_goes(self) -> str:
        """Where the missing line goes, and how deep: typed at column 0 after a loop's last
        line it ran after the loop, and after ``with ...:`` it did not parse."""
        line = self._fix_line()
        statement = self.puzzle.fix_after(line)
        spaces = len(statement) - len(statement.lstrip(" "))
        where = self.t("game.bug.fix_missing", line=line)
        if not spaces:
            return self.t("game.bug.fix_at_margin", where=where)
        return self.t("game.bug.fix_indented", where=where, spaces=spaces)

    def _render_feedback(self) -> None:
        widget = self.query_one(".game-feedback", Static)
        widget.display = self.verdict is not None
        if self.verdict is None:
            return
        lang, puzzle = self.tutor.lang, self.puzzle
        if puzzle.missing:  # a pick means "right after this line", as these words say
            wrong = self.t("game.bug.was_missing", lines=self._lines_or(puzzle.right_lines))
            fix = self._where_missing_goes()
        elif len(puzzle.right_lines) == 1:
            wrong, fix = self.t("game.bug.was", line=puzzle.answer), self.t("game.bug.fix")
        else:
            wrong = self.t("game.bug.was_lines", lines=puzzle.bug_span)
            fix = self.t("game.bug.fix")
        text = self.verdict_text(wrong, puzzle.explain.text(lang))
        styles = app_styles(self.app)
        reason = self._spot_reason()
        if reason:  # why the learner's spot fails, before the fix that works
            text.append("\n🔎 ")
            text.append_text(inline(reason, code_style=styles.inline_code))
        text.append(f"\n🔧 {spaced(fix)}", style="bold")
        text.append(puzzle.fix.strip(), style=styles.code)
        widget.update(text)

    def render_verdict(self) -> None:
        self._render_lines()
        self._render_feedback()

    def scroll_to_widget(self, widget: Widget, **scroll: Any) -> bool:
        """Bring ``widget`` into view; the feedback (which the game brings into view after each
        answer) together with the lines it speaks of, when the view can hold them all.

        The feedback alone, scrolled to the bottom of a short terminal, took the line the
        learner picked (and its ❌) out of sight above it, in a round whose code and feedback
        were taller than the view. Taller than the view, the lines come first (the top of the
        feedback under them): they are what the learner was looking at."""
        if widget is not self.query_one(".game-feedback") or self.verdict is None:
            return super().scroll_to_widget(widget, **scroll)
        body = self.query_one(".game-body", VerticalScroll)
        lines = self.query_one(ChoiceList)
        tops = (lines.option_top(number - 1, body) for number in self._answered_lines())
        top = min(top for top in tops if top is not None)
        region = Region(0, top, body.virtual_size.width, widget.virtual_region.bottom - top)
        return bool(body.scroll_to_region(region, **scroll))

    def _answered_lines(self) -> set[int]:
        """The lines an answered round points at: the learner's pick and the lines that wear
        a mark (🐞, ❌, the missing line's fix)."""
        assert self.verdict is not None
        marked = self._marks(app_styles(self.app))
        return {self.verdict["line"], *marked}

    def _render_demo_code(self) -> None:
        """What the demo runs besides the code above (the prints that show the symptom)."""
        start, extra = self.puzzle.harness
        extra = self.puzzle.labelled(extra, self.tutor.lang)
        if not extra:
            self.query_one("#demo-code", Static).update(Text(self.t("game.bug.demo_as_is")))
            return
        styles = app_styles(self.app)
        syntax = NumberedSyntax(
            extra,
            "python",
            numbers=styles.line_numbers,
            theme=syntax_theme(styles),
            line_numbers=True,
            start_line=start,
            word_wrap=True,
            background_color="default",
        )
        caption = Text(self.t("game.bug.demo_adds"))
        self.query_one("#demo-code", Static).update(Group(caption, syntax))

    def on_choice_list_toggled(self, event: ChoiceList.Toggled) -> None:
        event.stop()
        self.line_picked = True  # Space, a line's number or a click
        self.clear_note()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The learner moved the highlight off the line a round starts on: a pick (moving
        back to line 1 afterwards still is one)."""
        event.stop()
        if event.option_index != 0:
            self.line_picked = True
        self.clear_note()

    def on_choice_list_submitted(self, event: ChoiceList.Submitted) -> None:
        event.stop()
        self.submit_highlighted(seen=True)

    def submit_highlighted(self, *, seen: bool = False) -> None:
        """Answer with the line the list highlights: on Enter in the list (``seen``: the
        learner's keys are on the highlight they answer with), or on the Submit button once the
        learner has picked a line. A click on Submit before any line was picked answered line 1,
        the highlight a round starts on, right or wrong by chance: it asks for a pick."""
        highlighted = self.query_one(ChoiceList).highlighted
        if highlighted is None or self.verdict is not None:
            return
        if not (seen or self.line_picked):
            key, last = self._by_number("game.bug.pick_first", "game.bug.pick_first_long")
            self.say_of_input(key, last=last)
            return
        self.pick(highlighted + 1)

    def pick(self, line: int) -> None:
        if self.verdict is not None:
            return
        if not self.puzzle.lines[line - 1].strip():  # no code to be wrong: not an answer
            self.say_of_input("game.bug.blank_line", line=line)
            return
        self.score_round(self.puzzle.check(line), line=line)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "submit":
            self.submit_highlighted()
            if self.verdict is None:  # not answered (no pick, a blank line): pick in the list
                self.query_one(ChoiceList).focus()
        elif event.button.id == "demo":
            self.action_demo()
        else:
            await self.action_new_round()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "demo":
            return self.verdict is not None  # the demo shows the bug: only once answered
        return super().check_action(action, parameters)

    def action_demo(self) -> None:
        if self.verdict is None:
            return
        self.query_one("#demo-code").display = True
        self.run_worker(self._demo(), group="run", exclusive=True, exit_on_error=False)

    async def _demo(self) -> None:
        """Run the demo. Its code and output come below the feedback, out of sight on a short
        terminal: shown as the run begins, and again once its output is in."""
        panel = self.query_one(RunPanel)
        reveal(panel)
        await run_in_panel(self, panel, self.puzzle.labelled(self.puzzle.demo, self.tutor.lang))
        reveal(panel)

    def deal(self) -> None:
        self.puzzle = new_puzzle(self.rng, after=self.puzzle.kind)
        self.query_one("#demo-code").display = False
        lines = self.query_one(ChoiceList)
        # back on line 1 before the lines are drawn again (they keep the highlight), so no
        # highlight of the last round's line reaches on_option_list_option_highlighted as a pick
        lines.highlighted = 0
        self.line_picked = False
        self.on_lang()
        lines.focus()
