"""An exercise: starter code in an editor, Check in the sandbox, hints one at a time, solution."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from typing import Any, ClassVar, NotRequired, TypedDict

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static, TextArea

from tutor.decks.code_comments import follow_language
from tutor.i18n import LANGS, Lang, localize, localized_language
from tutor.sandbox_messages import CHECK_KEYS, check_words
from tutor.scratch import ScratchFile
from tutor.screens.base import RELOAD, ReloadsHeldEditor, held_editor
from tutor.widgets.code_view import CodeView
from tutor.widgets.editor import code_editor, mark_line, put_back
from tutor.widgets.prose import ProseMarkdown
from tutor.widgets.run_panel import (
    FollowsRuns,
    RunPanel,
    cancelled_note,
    error_line,
    run_going,
    run_in_panel,
)
from tutor.widgets.scrolling_ancestor import scrolling_ancestor
from tutor.widgets.step_base import (
    StepView,
    cheer,
    closed_sentence,
    reveal,
    spaced,
    verdict_label,
)


class Failure(TypedDict):
    """What made a check fail, as recorded with the attempt: the check's own message (a string
    or one per language) and, where the code raised, the error's fields (see :func:`failure_of`),
    worded in the language shown when a reopened step shows them; ``check_code``: the ``code`` and
    ``params`` of a check the sandbox words (see :func:`check_code_of`), worded so too."""

    check: Any
    error: dict[str, Any] | None
    check_code: NotRequired[dict[str, Any] | None]


# a Chinese character: a plain message without one is not Chinese (English, or code)
_CHINESE = re.compile(r"[\u3400-\u9fff]")


def words_language(message: Any, code: Any, lang: Lang) -> Lang:
    """The language a failed check's words are shown in, in an app showing ``lang`` (see
    :func:`check_words`), for the stop after them: ``lang`` where the sandbox words the check
    (its ``code``) or its message has words in ``lang``; else that of the words shown instead:
    the other language's entry of a ``{en, zh}`` message. A plain message (a user deck's
    string, a bare ``assert``'s source line) is taken as written in ``lang``, whatever learner's
    value it quotes, except that one with no Chinese at all is not Chinese (the code line)."""
    if code in CHECK_KEYS:
        return lang
    picked = localized_language(message, lang)
    if picked in LANGS:
        return Lang(picked)
    if lang is Lang.ZH and not _CHINESE.search(localize(message, lang)):
        return Lang.EN
    return lang


RECORDED_MESSAGE_CHARS = 200
"""How much of an exception's message a failure keeps: its first line, cut to this. The step
shows it under its verdict; the sandbox lets a message run to 20,000 characters."""


def check_code_of(check: Any) -> dict[str, Any] | None:
    """The ``code`` and ``params`` of a failed ``CheckOutcome`` the sandbox words itself (the
    learner's code raised as the check called it, or the check crashed on what it gave), kept
    with its message so the step words it in the language shown; ``None`` for an assertion's."""
    code = getattr(check, "code", None)
    if not code:
        return None
    return {"code": code, "params": dict(getattr(check, "params", None) or {})}


def failure_of(check_message: Any, error: Any, check_code: dict[str, Any] | None = None) -> Failure:
    """A failed check's :class:`Failure`; ``error`` is the run's ``RunError``, if it had one.
    Its code and params are kept, so the sandbox's own messages (a timeout, out of memory) are
    worded again in the language shown; a learner's exception keeps its message's first line.
    ``check_code`` is the check's own (see :func:`check_code_of`), kept only where it has one."""
    failure: Failure = {"check": check_message, "error": _error_fields(error)}
    if check_code is not None:  # its raw error as short as an exception's message is kept
        params = dict(check_code["params"])
        if "error" in params:
            params["error"] = _recorded(params["error"])
        failure["check_code"] = {**check_code, "params": params}
    return failure


def _recorded(message: Any) -> str:
    """An error's message as a failure keeps it: its first line, cut to
    :data:`RECORDED_MESSAGE_CHARS`."""
    line = str(message or "").strip().split("\n", 1)[0]
    if len(line) > RECORDED_MESSAGE_CHARS:
        line = line[: RECORDED_MESSAGE_CHARS - 1] + "…"
    return line


def _error_fields(error: Any) -> dict[str, Any] | None:
    """The fields of the run's ``RunError`` a failure keeps (see :func:`failure_of`)."""
    if error is None:
        return None
    return {
        "type": error.type,
        "message": _recorded(error.message),
        "line": error.line,
        "code": getattr(error, "code", None),
        "params": dict(getattr(error, "params", None) or {}),
    }


def rows_taken(text: Text, width: int) -> int:
    """How many rows ``text`` takes wrapped to ``width`` cells, as a ``Static`` draws it; a last
    newline starts no row of its own (what follows it does)."""
    if not text.plain:
        return 0
    return len(Content.from_rich_text(text).wrap(width)) - text.plain.endswith("\n")


class ExerciseStepView(ReloadsHeldEditor, FollowsRuns, StepView):
    DEFAULT_CSS = """
    ExerciseStepView .code-editor { height: auto; min-height: 5; max-height: 20; }
    ExerciseStepView .hints { height: auto; color: $warning; }
    ExerciseStepView .starter-changed {
        height: auto; margin-bottom: 1; padding: 0 1; color: $warning; border-left: thick $warning;
    }
    ExerciseStepView .solution-title { margin-top: 1; text-style: bold; color: $success; }
    """
    BINDINGS: ClassVar = [
        Binding("ctrl+r", "check", "k.check"),
        Binding("h", "hint", "k.hint"),
        # Every hint taken, h off the editor says so: out of the footer, not typed into the code
        Binding("h", "no_hint_left", "k.hint", show=False),
        Binding("s", "solution", "k.solution"),
        # From the editor esc moves the focus on (the editor would keep it); elsewhere the
        # lesson's esc leaves. While a check runs, the lesson's esc (priority) cancels it.
        Binding("escape", "leave_editor", "k.leave_editor", key_display="esc"),
        # While the editor's saving is held for a change made to its draft elsewhere: ctrl+s
        # and ctrl+l from anywhere on the step, not only in the editor (which has them too).
        Binding("ctrl+s", "keep", "k.save"),
        RELOAD,
    ]

    SOLUTION_CONFIRM_S: ClassVar[float] = 4.0
    """How soon a second ``s`` (or click on Solution) must follow the first, which only asks:
    the solution shown before a pass makes that pass not count, so no one stray key shows it."""

    _solution_asked_at: float | None = None  # when s (or Solution) last asked, if it is pending

    _hint_just_shown = False
    """Whether a hint (or the note that none is left) was the last thing asked of the step: the
    esc right after it asks before closing the lesson (see :meth:`asks_before_closing`)."""

    TRANSIENT_KEYS: ClassVar[tuple[str, ...]] = ("no_hint_left",)
    """``no_hint_left``: h asked for a hint with none left, and the step said so; said until
    the learner's next act there (an edit, a check: :meth:`_forget_no_hint_left`)."""

    class Checked(Message):
        """An exercise was checked; the lesson screen records it. ``answer_shown``: after its
        solution was viewed (a pass is then not counted as one; hints do not count against it)."""

        def __init__(
            self,
            exercise_id: str,
            passed: bool,
            hints_used: int,
            failure: Failure | None = None,
            answer_shown: bool = False,
        ) -> None:
            super().__init__()
            self.exercise_id = exercise_id
            self.passed = passed
            self.hints_used = hints_used
            self.failure = failure  # kept with the attempt: a reopened step says what failed
            self.answer_shown = answer_shown

    class HintTaken(Message):
        """A hint was shown: the lesson screen records how many are, for the step opened again
        (after a restart too) to show them, and its next Check to count them."""

        def __init__(self, exercise_id: str, hints: int) -> None:
            super().__init__()
            self.exercise_id = exercise_id
            self.hints = hints

    def compose(self) -> ComposeResult:
        step = self.step
        yield Static(Text(f"🔧 {self.loc(step.title)}"), classes="step-title")
        yield ProseMarkdown(self.loc(step.prompt))
        paths = self.app.config.paths  # type: ignore[attr-defined]
        draft = ScratchFile(
            paths.draft(self.lesson_id, step.id), step.starter, remembers_starter=True
        )
        code = self.state.get("code")
        if code is None:  # first shown this session: the draft from last time, if any
            code = draft.load(self.lang)
            # Its check may expect the new starter's names: a draft that cannot pass says why.
            self.state["starter_changed"] = draft.begun_from_another_starter()
        code = follow_language(code, step.starter, self.lang)
        reset = f"↺ {self.t('ex.reset')}"
        yield Static(self.t("ex.starter_changed", reset=reset), classes="starter-changed")
        yield code_editor(code, id="editor", keep_in=draft)
        with Horizontal(classes="buttons"):
            yield Button(f"▶ {self.t('ex.check')}", id="check", variant="primary")
            yield Button(f"💡 {self.t('ex.hint')}", id="hint")
            yield Button(f"📜 {self.t('ex.solution')}", id="solution")
            yield Button(reset, id="reset")
        yield Static(classes="hints")
        yield RunPanel(self.state.get("result"), message=self._cancelled_note())
        yield Static(classes="feedback")
        yield Static(f"📜 {self.t('ex.reference')}", classes="solution-title")
        yield CodeView(step.solution, classes="solution")

    def on_mount(self) -> None:
        self.render_state()
        if "hints_read" not in self.state:  # once per lesson screen: its states keep them
            self.run_worker(self._read_hints_taken(), group="hints", exit_on_error=False)

    async def _read_hints_taken(self) -> None:
        """Show the hints taken in an earlier visit to the lesson (or an earlier session),
        recorded as they were taken (see :class:`HintTaken`): an attempt keeps only those taken
        by its Check. ``None`` from the app: progress is not kept."""
        exercise_id, lesson_id = self.step.id, self.lesson_id
        taken = await self.app.learning_call(  # type: ignore[attr-defined]
            lambda learning: learning.hints_taken(lesson_id, exercise_id)
        )
        self.state["hints_read"] = True
        self.show_hints_taken(taken or 0)

    def show_hints_taken(self, hints: int) -> None:
        """Show ``hints`` hints as taken, unless more were (in this view, or by a recorded
        attempt), or the exercise has fewer now (the deck changed)."""
        if hints > len(self.step.hints) or hints <= self.hints_shown:
            return
        self.state["hints"] = hints
        self.render_state()
        self.refresh_bindings()  # h offers no more hints once all were taken

    def _cancelled_note(self) -> str | None:
        """What the run panel says of a check cancelled by leaving the step while it ran (its
        worker ended with the step's view): that it was cancelled, in the language shown now.
        ``None`` after any other check; a check the sandbox cancelled (esc) has its result."""
        if not self.state.get("run_cancelled"):
            return None
        return cancelled_note(self.lang)

    def initial_focus(self) -> Widget | None:
        return self.query_one(TextArea)

    @property
    def hints_shown(self) -> int:
        return self.state.get("hints", 0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_editor":  # otherwise esc falls through to the lesson: it leaves
            return isinstance(self.screen.focused, TextArea)
        if action == "hint":
            return self._hint_left()
        if action == "no_hint_left":
            return not self._hint_left()
        if action == "keep":
            return held_editor(self) is not None
        return super().check_action(action, parameters)  # reload: ReloadsHeldEditor's

    def action_keep(self) -> None:
        """ctrl+s while saving is held: the learner's code over the draft's change."""
        if (editor := held_editor(self)) is not None:
            editor.action_keep()

    @property
    def running(self) -> bool:
        """Whether this one's own run is going (see :func:`run_going`)."""
        return run_going(self)

    def render_state(self) -> None:
        self.query_one(".starter-changed").display = bool(self.state.get("starter_changed"))
        hints = self._hints_taken(self.hints_shown)
        no_hint_left = bool(self.state.get("no_hint_left"))
        notes = [self._no_hint_left_note()] if no_hint_left else []
        if self.hints_shown and (next_hint := self._next_hint_offer()):
            notes.append(next_hint)  # last, also under the note: how to go on from here
        hints.append("\n".join(notes), style=self.theme_styles.muted)
        widget = self.query_one(".hints", Static)
        widget.update(hints)
        widget.display = bool(self.hints_shown or no_hint_left)
        self.query_one("#hint", Button).disabled = self.hints_shown >= len(self.step.hints)
        show_solution = bool(self.state.get("passed") or self.state.get("show_solution"))
        self.query_one(".solution-title").display = show_solution
        self.query_one(".solution").display = show_solution
        feedback = self.query_one(".feedback", Static)
        verdict = self.state.get("verdict")
        feedback.display = verdict is not None
        feedback.set_class(verdict == "pass", "-right")
        feedback.set_class(verdict == "fail", "-wrong")
        if verdict is not None:
            seed = f"{self.step.id}:{self.state.get('attempts', 0)}"
            # the theme's colours: the terminal's red and green, and dim, read low on some
            styles = self.theme_styles
            if verdict == "pass":
                text = Text()
                verdict_label(text, "✅", self.t("ex.passed"), correct=True, styles=styles)
                text.append(cheer("right", seed, self.lang), style=styles.right)
                if self.state.get("checked_answer_shown"):  # why it stays on "Still to pass"
                    text.append("\n" + self.t("ex.passed_after_solution"), style=styles.muted)
            else:
                text = self._failure_reason()
                text.append(cheer("wrong", seed, self.lang), style=styles.muted)
                if offer := self._hint_offer():
                    text.append(f"\n{offer}", style=styles.muted)
            feedback.update(text)

    def _hints_taken(self, count: int) -> Text:
        """The first ``count`` hints, as the step shows them: one paragraph each, each ended by a
        newline."""
        hints = Text()
        for number, hint in enumerate(self.step.hints[:count], start=1):
            label = self.t("ex.hint_n", n=number, total=len(self.step.hints))
            hints.append(f"💡 {spaced(label)}", "bold")
            hints.append_text(self.inline(self.loc(hint)))
            hints.append("\n")
        return hints

    def _failure_reason(self) -> Text:
        """A failed check's verdict up to the encouragement under it: "❌ Not yet:" and why (the
        run's error, the check's message, its own raw error)."""
        styles = self.theme_styles
        text = Text()
        verdict_label(text, "❌", self.t("ex.failed"), correct=False, styles=styles)
        error = self.state.get("error")
        if isinstance(error, dict):
            # the run's error as its panel draws it (a hint's code as code), in the wrong colour
            line = error_line(error, self.lang, code=styles.inline_code)  # never empty: headed
            line.style = styles.wrong
            text.append_text(line)
            text.append("\n")
        message, raw, words_lang = self._check_words()
        if message:  # the check's words name code as lessons do: `return`
            # a full stop, their language's, where they have none: the cheer below begins a
            # sentence of its own
            message = closed_sentence(message, words_lang)
            text.append_text(self.inline(message, style=styles.wrong, emphasis=False))
            text.append("\n")
        if raw:  # the check's own error, for the curious
            text.append(raw + "\n", style=styles.muted)
        return text

    def _check_words(self) -> tuple[str, str, Lang]:
        """The failed check's message in the language shown, where it crashed on what the
        learner's code gave it its raw error (see :func:`check_words`), and the language the
        message is in (see :func:`words_language`): a check may have no words in this one."""
        message = self.state.get("check_message") or ""
        check = {"message": message, **(self.state.get("check_code") or {})}
        words, raw = check_words(check, self.lang)
        return words, raw, words_language(message, check.get("code"), self.lang)

    def _hint_offer(self) -> str:
        """How to get a hint from where the focus is, and back to the code: esc first only in
        the editor, as esc anywhere else leaves the lesson (a learner who clicked Check has the
        focus there); a hint leaves the focus where it was, and off the editor typing goes back
        into the code (see :meth:`type_into_editor`). Empty in the editor once every hint is
        taken, and while the line under the hints taken says how to go on
        (:meth:`_next_hint_offer`): said once."""
        in_editor = self.query_one(TextArea).has_focus
        if self.hints_shown and self._next_hint_offer():
            return ""
        if not self._hint_left():
            return "" if in_editor else self.t("ex.type_to_edit")
        return self.t("ex.hint_available" if in_editor else "ex.hint_available_key")

    def _next_hint_offer(self) -> str:
        """Under the hints taken, how to get the next one from where the focus is (the verdict's
        offer may be out of sight below the run): in the editor, where ``h`` is typed, esc first;
        off it, where a hint leaves the focus, h again; and the way back to the code: from
        Check (where esc from the editor lands) shift+tab, which types nothing (a fix typed there
        that begins with s or h loses that letter to the step's key); elsewhere a click on the
        code, or typing, but for the step's own keys. Once every hint is taken, only the way
        back from Check (where "just type your fix" lost a fix's first s to the solution's
        ask), and nothing elsewhere."""
        focused = self.screen.focused
        on_check = focused is self.query_one("#check", Button)
        if not self._hint_left():
            return self.t("ex.back_to_code_check") if on_check else ""
        if focused is self.query_one(TextArea):
            key = "ex.next_hint"
        elif on_check:
            key = "ex.next_hint_check"
        else:
            key = "ex.next_hint_key"
        return self.t(key, n=self.hints_shown + 1, total=len(self.step.hints))

    def _no_hint_left_note(self) -> str:
        """What h with no hint left says: that the last was taken, or that there are none."""
        total = len(self.step.hints)
        return self.t("ex.no_hint_left", total=total) if total else self.t("ex.no_hints")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, TextArea):  # back in the code, by a click as by a key: its
            self._hint_just_shown = False  # esc is no longer the one right after the hint
        self.call_after_refresh(self._follow_focus)

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._follow_focus)

    def _follow_focus(self) -> None:
        """The hint offer follows the focus (esc first only from the editor). Queued for after
        a refresh, by when the step may be on its way out: esc that left the editor and then
        the lesson blurs it as its screen removes its children, so its parts may be gone."""
        if not self.is_attached:
            return
        with contextlib.suppress(NoMatches):
            self.render_state()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.state["code"] = event.text_area.text
        self._solution_asked_at = None  # typing in between: the next s asks again
        self._hint_just_shown = False  # and esc closes the lesson at once
        if self._forget_no_hint_left():
            self.render_state()

    def _forget_no_hint_left(self) -> bool:
        """The note that no hint is left has done its work once the learner acts again (edits,
        checks): whether it was there to go."""
        return bool(self.state.pop("no_hint_left", False))

    def on_key(self, event: events.Key) -> None:
        """A key from the step's buttons (or a diagram in its text) that the editor would have
        typed goes there (see :meth:`type_into_editor`)."""
        if self.type_into_editor(event):
            event.stop()
            event.prevent_default()

    def type_into_editor(self, event: events.Key) -> bool:
        """Type a printable key pressed with the focus off the editor (on Check, after esc or
        a click; on the text around) into the editor, and focus it: a learner typing their fix
        there hit ``n``/``p``/``q``, which left the step. The step's own keys stay keys: ``h``
        (a hint, or the note that none is left), ``s`` (which asks first) and ``?``. Returns
        whether it typed. The lesson calls it too, for the focus on the scroll around the step."""
        if not self._keeps_solution_ask(event):  # not two asks in a row: the next one asks again
            self._solution_asked_at = None
        if event.key != "escape":  # another key after the hint: its esc closes the lesson
            self._hint_just_shown = False
        if not self.types_key(event.key, event.character if event.is_printable else None):
            return False
        editor = self.query_one(TextArea)
        editor.focus()
        start, end = editor.selection
        editor.replace(event.character, start, end, maintain_selection_offset=False)
        return True

    def types_key(self, key: str, character: str | None) -> bool:
        """Whether ``key`` (``character``, where it prints one) pressed now, with the focus on the
        step or the scroll around it, goes into the editor (see :meth:`type_into_editor`) rather
        than to what it is bound to. Help asks too, so that it lists such keys as typed: also
        while F2 rebuilds the step, its editor not mounted yet (none: Help asks again once it
        is)."""
        editors = self.query(TextArea)
        if not editors:
            return False
        editor = editors.first()
        if self.screen.focused is editor or editor.read_only:  # it types its own keys
            return False
        if not character:
            return False
        if key in ("h", "s", "question_mark"):
            return False
        # space on a button presses it, as elsewhere: not a space at the code's cursor
        return not (key == "space" and isinstance(self.screen.focused, Button))

    def _keeps_solution_ask(self, event: events.Key) -> bool:
        """Whether a pending "show the solution?" ask outlives this key. Every key reaches the
        step before the focused button takes it, so ⏎ on Solution (its second press) must keep
        the ask, as ``s`` does. A key that types, presses another button or moves the focus on
        (tab) is something else in between; other keys (arrows, esc) change nothing."""
        if event.key == "s":
            return True
        focused = self.screen.focused
        if isinstance(focused, Button):
            return focused.id == "solution" and event.key == "enter"  # a Button's only key
        return not event.is_printable and event.key not in ("tab", "shift+tab")

    def _hint_left(self) -> bool:
        return self.hints_shown < len(self.step.hints)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "hint":  # a click on another button: its esc closes the lesson
            self._hint_just_shown = False
        actions = {
            "check": self.action_check,
            "hint": self.action_hint,
            "solution": self.action_solution,
            "reset": self.action_reset,
        }
        actions[event.button.id or ""]()

    def action_leave_editor(self) -> None:
        self.query_one("#check", Button).focus()

    def action_hint(self) -> None:
        """The next hint. The focus stays where it was, off the editor: it once went back there,
        and the h pressed again for the next hint was typed into the code (QA's
        ``hhclass PositionalBias``). The line under the hint says how to go on from there."""
        if self._hint_left():
            self.show_hints_taken(self.hints_shown + 1)
            self.report(self.HintTaken(self.step.id, self.hints_shown))
        self._hint_just_shown = True
        self._reveal_hints(earlier=self.hints_shown - 1)

    def action_no_hint_left(self) -> None:
        """h with every hint taken, off the editor: says so under the hints, and the code stays
        as it was (h went into it as a letter, unseen, and the next check failed on it)."""
        self.state["no_hint_left"] = True
        self._hint_just_shown = True
        self.render_state()
        self.report(self.LearnerActed())
        self._reveal_hints(earlier=self.hints_shown)

    def _reveal_hints(self, earlier: int) -> None:
        """Bring what h just added under the first ``earlier`` hints into view (the next hint, or
        the note that none is left) and, after a failed check, why it failed, together. The
        hints are drawn above the verdict: brought into view alone, each one pushed the reason
        ("❌ Not yet: layer still has a bias") below the fold of an 80×24 terminal, leaving the
        learner the run's "the check failed" without its why. Where both do not fit, the
        hint comes first."""
        hints = self.query_one(".hints", Static)
        if self.state.get("verdict") != "fail":
            reveal(hints)
            return
        feedback = self.query_one(".feedback", Static)

        def scroll() -> None:
            if not self.is_attached:  # left the step (or the lesson) since h
                return
            area = scrolling_ancestor(self)
            if area is None:
                return
            first = hints.content_region
            top = first.y + rows_taken(self._hints_taken(earlier), first.width)
            last = feedback.content_region
            bottom = last.y + rows_taken(self._failure_reason(), last.width)
            # in the scrolling area's own (virtual) rows: it scrolls by as little as it can
            shift = round(area.scroll_offset.y) - area.content_region.y
            wanted = Region(0, top + shift, area.content_region.width, bottom - top)
            area.scroll_to_region(wanted, animate=False, immediate=True)

        self.call_after_refresh(scroll)

    def asks_before_closing(self) -> bool:
        """Whether the lesson's esc, pressed now, only asks: right after a hint (or the note that
        none is left), which the old line under a hint taught as "esc, then h", an esc closed
        the lesson mid-exercise. Says so, and, while a hint is left, that h alone gives the
        next; the esc after it closes. Any other key (or an edit, a check, another button, a
        click into the code) in between, and esc closes at once again."""
        if not self._hint_just_shown:
            return False
        self.closing_asked()
        ask = "ex.close_ask" if self._hint_left() else "ex.close_ask_no_hint_left"
        self.notify(self.t(ask), timeout=4)
        return True

    def closing_asked(self) -> None:
        """The lesson asked before closing (here, or for code kept nowhere): one ask is enough,
        the esc after it closes."""
        self._hint_just_shown = False

    def _solution_costs_a_pass(self) -> bool:
        """Whether showing the solution now changes what the next pass counts as: not once
        passed, nor when it showed already (or a recorded check was made with it shown)."""
        return not self.state.get("passed") and not self.state.get("answer_shown")

    def _solution_confirmed(self) -> bool:
        """Whether this ``s`` (or click) follows one that asked, soon enough."""
        asked = self._solution_asked_at
        return asked is not None and time.monotonic() - asked < self.SOLUTION_CONFIRM_S

    def action_solution(self) -> None:
        """Show the reference solution. Viewed before a pass in this sitting, every check after
        it is recorded as made with the answer shown (a pass then is not one); once passed it
        is shown anyway (see :meth:`render_state`), and viewing it gives nothing away.
        Where it would cost a pass, the first ``s`` (or click) only asks; a second, right
        after it, shows it. Either is the learner acting on the step (:class:`LearnerActed`):
        the "best to take first" toast lay over the question asked too."""
        self.report(self.LearnerActed())
        if self._solution_costs_a_pass() and not self._solution_confirmed():
            self._solution_asked_at = time.monotonic()
            self.notify(self.t("ex.solution_ask"), timeout=self.SOLUTION_CONFIRM_S)
            return
        self._solution_asked_at = None
        if not self.state.get("passed"):
            self.state["answer_shown"] = True
            self.state["solution_viewed"] = True  # in this sitting: a reset does not undo it
        self.state["show_solution"] = True
        self.render_state()
        self.query_one(".solution").scroll_visible()

    def action_reset(self) -> None:
        """Starter code back as one edit: ``ctrl+z`` (in the editor, focused here) undoes it. The
        draft follows the editor, so it goes with the reset and comes back with the undo (kept
        then as begun from this starter: the notice that it was not has done its work)."""
        editor = self.query_one(TextArea)
        if put_back(editor, self.loc_code(self.step.starter)):
            self.notify(self.t("sb.starter"), timeout=4)
            if not self.state.get("solution_viewed"):
                # the code kept from a check after the solution showed is gone: from the
                # starter, without the solution seen in this sitting, a pass is the learner's own
                self.state["answer_shown"] = False
        self.state["starter_changed"] = False
        self.render_state()
        editor.focus()

    def action_check(self) -> None:
        self._hint_just_shown = False  # a check since the hint: esc closes the lesson at once
        if self.running:  # a second check now would cancel this one, and show it cancelled
            self.notify(self.t("sb.busy"), timeout=2)
            return
        self.run_worker(self._check(), group="run", exclusive=True, exit_on_error=False)

    async def _check(self) -> None:
        editor = self.query_one(TextArea)
        code = editor.text
        # This code's run replaces the last one's verdict and output: the step shown again after
        # it was cancelled must not show another code's output (or its verdict) under this code.
        self.state["verdict"] = None
        self.state["result"] = None
        self.state["run_cancelled"] = False
        self._forget_no_hint_left()
        self.render_state()
        try:
            result: Any = await run_in_panel(
                self, self.query_one(RunPanel), code, device="cpu", check=self.step.check
            )
        except asyncio.CancelledError:  # the step left (or the lesson closed) while it ran
            self.state["run_cancelled"] = True
            raise
        self.state["result"] = result
        if result is None or result.status == "cancelled":
            self._hint_just_shown = False  # the esc after a hint taken as it ran cancelled it
            return
        passed = result.status == "ok" and result.check is not None and result.check.passed
        failed_check = result.check is not None and not result.check.passed
        check_code = check_code_of(result.check) if failed_check else None
        if not passed and result.error is not None:
            # The sandbox sends code that raised with a failed check too ("did not run to the
            # end"): the line that raised is marked all the same.
            mark_line(editor, result.error.line, code)
        elif check_code and check_code["code"] == "raised_in_code":
            # the learner's code raised as the check called it: its line, as for a top-level error
            line = check_code["params"].get("line")
            mark_line(editor, line if isinstance(line, int) else None, code)
        check_message = result.check.message if failed_check else ""
        shown = bool(self.state.get("answer_shown"))
        self.show_verdict(passed, check_message, check_code=check_code, answer_shown=shown)
        failure = None if passed else failure_of(check_message, result.error, check_code)
        self.report(self.Checked(self.step.id, passed, self.hints_shown, failure, shown))
        reveal(self.query_one(".feedback"))

    def show_verdict(
        self,
        passed: bool,
        check_message: Any = "",
        error: dict[str, Any] | None = None,
        check_code: dict[str, Any] | None = None,
        answer_shown: bool = False,
    ) -> None:
        """Show a check's verdict, given just now or recorded before; ``check_message`` is the
        failed check's own (localized when shown), ``error`` a recorded run's error fields (see
        :func:`failure_of`; a run just made shows its own in the run panel), ``check_code`` the
        check's code and params where the sandbox words it (see :func:`check_code_of`).
        ``answer_shown``: checked after the solution was viewed, so a pass says it is no pass."""
        self.state["attempts"] = self.state.get("attempts", 0) + 1
        self.state["checked_answer_shown"] = answer_shown
        self.state["verdict"] = "pass" if passed else "fail"
        if passed and not answer_shown:  # the solution shows from then on: it gives nothing away
            self.state["passed"] = True
        self.state["check_message"] = check_message
        self.state["error"] = error
        self.state["check_code"] = check_code
        self.render_state()

    def restore(self, attempt: Any) -> bool:
        """Show the recorded verdict and the hints taken by then; the code is the draft the
        editor keeps (see ``compose``), and nothing is run. Not over a check made in this view
        (it is newer), nor with more hints than the exercise has now (the deck changed)."""
        if self.state.get("attempts") or self.running:
            return False
        if not 0 <= attempt.hints_used <= len(self.step.hints):
            return False
        self.state["hints"] = max(self.hints_shown, attempt.hints_used)
        if attempt.answer_shown:
            # checked after the solution showed: the kept code is most likely that solution, and
            # checking it again is no pass either, until the starter is put back (action_reset)
            self.state["answer_shown"] = True
        failure = attempt.answer if isinstance(attempt.answer, dict) else {}
        error, check_code = failure.get("error"), failure.get("check_code")
        self.show_verdict(
            attempt.correct,
            failure.get("check", ""),
            error if isinstance(error, dict) else None,
            check_code if isinstance(check_code, dict) else None,
            attempt.answer_shown,
        )
        self.refresh_bindings()  # h offers no more hints once all were taken
        return True
