"""The lesson player: one step at a time, with a progress bar."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingsMap
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.reactive import reactive
from textual.widget import AwaitMount
from textual.widgets import Header, Input, ProgressBar, Static, TextArea
from textual.worker import Worker

from tutor.decks.model import step_item
from tutor.i18n import localize
from tutor.screens.base import TutorScreen
from tutor.torch_version import too_old_for
from tutor.widgets.fitting_footer import FittingFooter
from tutor.widgets.progress import attr
from tutor.widgets.prose import WideFence
from tutor.widgets.quiz_base import QuizView
from tutor.widgets.run_panel import CANCEL_RUN, CancelsRun, RunPanel, wait_over
from tutor.widgets.step_base import StepView
from tutor.widgets.step_card import CardStepView
from tutor.widgets.step_exercise import ExerciseStepView
from tutor.widgets.steps import make_step_view, step_kind

MOVES = (("right", "ctrl+pagedown", "next"), ("left", "ctrl+pageup", "previous"))
"""The lesson's moves: (the arrow key, the ctrl key that works wherever the focus is, action)."""


def next_before_back(active: dict[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    """``active`` with the key shown for Back right after the one shown for Next: the footer
    shows the keys in this order, and the scroll around a step binds ctrl+pageup before
    ctrl+pagedown (it pages sideways with them)."""
    shown = {held.binding.action: key for key, held in active.items() if held.binding.show}
    forward, back = shown.get("next"), shown.get("previous")
    if forward is None or back is None:
        return active
    ordered: dict[str, ActiveBinding] = {}
    for key, held in active.items():
        if key != back:
            ordered[key] = held
        if key == forward:
            ordered[back] = active[back]
    return ordered


class LessonScreen(CancelsRun, TutorScreen):
    CSS_PATH = "lesson.tcss"
    BINDINGS: ClassVar = [
        # n, p and q are letters, too: on an exercise step, typed with the focus off its editor,
        # they go into the editor instead (see ExerciseStepView.type_into_editor, and on_key).
        Binding("right,n", "next", "k.next", key_display="→"),
        Binding("left,p", "previous", "k.previous", key_display="←"),
        # Work even while an editor or answer box has focus, which keeps ←/→ (and n, p) for
        # itself: the footer then shows these for Next and Back, for a click to move on with
        # (see active_bindings: → and ← where they work).
        Binding("ctrl+pagedown", "next", "k.next", priority=True),
        Binding("ctrl+pageup", "previous", "k.previous", priority=True),
        # A ctrl key, and priority: an exercise's editor or a predict box has focus on arrival.
        Binding("ctrl+o", "next_open", "k.next_open", priority=True),
        # esc cancels the shown step's run while it goes, whatever has focus in the lesson (a
        # click on the step's text gives it to the scroll around the step); idle, esc closes the
        # lesson, back to the screen it was opened from (Stats, the review: not always Home).
        CANCEL_RUN,
        Binding("escape", "leave", "k.close", key_display="esc"),
        # q leaves too, run or not; kept out of the footer, which shows one key per action, so
        # that a run's footer shows the esc that acts (q shown as "esc" said esc would leave).
        Binding("q", "leave", "k.close", show=False),
    ]
    # What a narrow footer leaves out first: "Still to pass" is a detour (a click on it, taken
    # for Next, skipped steps), the sandbox and the device have their buttons on the step.
    FOOTER_SPARE: ClassVar = ("next_open", "open_sandbox", "device")
    # What it leaves out last: Next and Back are the lesson's most basic moves, and the footer
    # is where a mouse reaches them (the navigation line under the step is text, not keys).
    FOOTER_KEEP: ClassVar = ("next", "previous")

    index: reactive[int] = reactive(0, init=False)

    def __init__(self, lesson_id: str, step: int | None = None, *, look: bool = False) -> None:
        super().__init__(id="lesson")
        self.lesson_id = lesson_id
        self.start_step = step or 0
        # esc pressed once with an exercise's code kept nowhere, since the focus was last in an
        # editor (see on_descendant_focus)
        self._leave_asked = False
        # Opened to look at one step (a review card's, ``e``): the saved position stays where
        # the learner had got to in the lesson until they move on from that step.
        self.look_at: int | None = self.start_step if look else None
        # Each step's state, which its view is built from (again after F2, or a step away and
        # back): the app's for this lesson once mounted, so it outlives this screen.
        self.states: dict[int, dict[str, Any]] = {}
        # Steps shown since this screen opened: a state they had from before is cut to its draft.
        self._shown_steps: set[int] = set()
        self._shown_view: StepView | None = None
        # Steps whose recorded attempt was shown: from then on ``states`` keeps what happens.
        self._restored: set[int] = set()
        # The index is being set by ^o (still to pass): the step it shows is shown with why.
        self._to_still_open = False

    @property
    def lesson(self) -> Any:
        return self.tutor.library.lesson(self.lesson_id)  # type: ignore[union-attr]

    def compose(self) -> ComposeResult:
        yield Header(icon="🧠")
        with Horizontal(id="lesson-top"):
            yield Static(id="step-label")
            yield ProgressBar(
                total=len(self.lesson.steps), show_eta=False, show_percentage=False, id="bar"
            )
        yield VerticalScroll(id="step-scroll")
        yield Static(id="nav-hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        # The states of the last time this lesson was open in this session, with any answer
        # begun there and not submitted (show_step keeps only that of them).
        self.states = self.tutor.lesson_states.setdefault(self.lesson_id, {})
        self.tutor.tell_if_narrow()
        # set_reactive: assigning would show the step from the watcher and again here, mounting
        # two views of it at once.
        self.set_reactive(
            LessonScreen.index, max(0, min(self.start_step, len(self.lesson.steps) - 1))
        )
        self.show_step()

    def on_unmount(self) -> None:
        # What the session keeps of a closed lesson is its drafts alone: a run's output (up to
        # the sandbox's megabyte), a trace, a grade (read back from the store) go with the screen.
        lesson = self.lesson
        for index, state in self.states.items():
            if 0 <= index < len(lesson.steps):
                make_step_view(lesson.steps[index], lesson.id, state).keep_draft()

    def on_lang(self) -> None:
        view = self._shown_view
        runs = [
            w for w in self.workers if w.node is view and w.group == "run" and not w.is_finished
        ]
        if view is None or not runs:
            self.show_step(keep_scroll=True)
            return
        # Rebuilding the step now would cancel its run (a view's workers end with it). The run's
        # status follows F2 at once, the rest of the step once the run is over.
        self._show_frame()
        for panel in view.query(RunPanel):
            panel.retranslate()
        self.run_worker(self._show_step_after(view, runs), group="relang", exclusive=True)

    async def _show_step_after(self, view: StepView, runs: list[Worker[Any]]) -> None:
        """Show the step again, in the app's language, once ``view``'s ``runs`` are over; not
        if another step (or this one, rebuilt) is shown by then."""
        # Shielded (wait_over): this wait replaced by the next F2's, or its screen gone, must
        # neither mark the run cancelled nor go on to rebuild the step at once.
        await wait_over(runs)
        if view is self._shown_view:
            # the end of a run just ended, to come into view (see RunPanel.reveal_ending), is
            # drawn in the rebuilt step's panel: the old one is gone before it is laid out
            ending = any(panel.ending_to_reveal for panel in view.query(RunPanel))
            self.show_step(keep_scroll=True, reveal_run=ending)

    def watch_index(self) -> None:
        self.tutor.withdraw_take_first()  # moved on
        still_open, self._to_still_open = self._to_still_open, False
        self.show_step(still_open=still_open)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_open":
            return bool(self.lesson.checks)  # a lesson without questions has none open
        return super().check_action(action, parameters)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys, with one key shown in the footer for Next and one for Back: → and ← where
        they reach the lesson, else (an answer box, an editor, a wide diagram holds them)
        ctrl+pagedown and ctrl+pageup, which always do. A footer key is clicked by pressing
        its key, so the one shown must be one that works."""
        active = super().active_bindings
        effective = self.tutor_bindings()  # what each key does, scroll keys passed on included
        for arrow, ctrl, action in MOVES:
            reached = effective.get(arrow)
            arrow_works = reached is not None and reached.binding.action == action
            for key, held in active.items():
                binding = held.binding
                if binding.action != action or not binding.show:
                    continue
                if (key == ctrl) == arrow_works:  # the ctrl key beside a working arrow, or
                    active[key] = held._replace(binding=replace(binding, show=False))  # → alone
        return next_before_back(active)

    @property
    def run_owner(self) -> StepView | None:
        """The step shown: its run is the one esc cancels (see :class:`CancelsRun`)."""
        return self._shown_view

    @property
    def _binding_chain(self) -> list[tuple[DOMNode, BindingsMap]]:
        """Textual's chain of bindings for a key (the focused widget, its ancestors, the screen,
        the app), with the shown step's own keys (Run, t/f, Hint) just above the screen's when
        the focus is outside the step: on the scroll around it (Tab reaches it, a click on the
        step's text moves it there), or nowhere. Textual reads the chain for the keys, the
        footer and Help alike, so all three keep the step's keys wherever the focus is."""
        chain = super()._binding_chain
        view = self._shown_view
        if view is None or not view.is_attached or any(node is view for node, _ in chain):
            return chain
        mine = view._bindings.copy()
        if self.app._keymap:  # the user's keymap, as Textual applies it to the rest
            mine.apply_keymap(self.app._keymap)
        # a key the focused widget types (an Input's letters) stays the widget's
        focused = self.focused
        if focused is not None:
            for key in list(mine.key_to_bindings):
                if focused.check_consume_key(key, key_to_character(key)):
                    del mine.key_to_bindings[key]
        at = next((i for i, (node, _) in enumerate(chain) if node is self), len(chain))
        return [*chain[:at], (view, mine), *chain[at:]]

    @property
    def step_view(self) -> StepView | None:
        views = self.query(StepView)
        return views.first() if views else None

    def show_step(
        self, keep_scroll: bool = False, reveal_run: bool = False, still_open: bool = False
    ) -> None:
        """Show the step at :attr:`index`, from its top; with ``keep_scroll`` (the same step
        again, in the other language) where the learner had scrolled to, so F2 in the middle
        of a long step does not send them back to its start; with ``reveal_run`` too, its run
        panel brought into view from there (a run that ended as F2 waited for it). With
        ``still_open`` (reached by ^o), with what says why it is still to pass in view."""
        lesson, index = self.lesson, self.index
        step = lesson.steps[index]
        self._show_frame()
        scroll = self.query_one("#step-scroll", VerticalScroll)
        was_at = scroll.scroll_y  # where the learner was, before the old step goes
        view = make_step_view(step, lesson.id, self.states.setdefault(index, {}))
        if not keep_scroll:
            view.forget_transient()
        if index not in self._shown_steps:  # its state may be from the lesson's last opening
            self._shown_steps.add(index)
            view.keep_draft()
        need = getattr(step_item(step), "torch_min", None)
        have = too_old_for(need)
        with self.app.batch_update():
            scroll.remove_children()
            if have is not None:
                note = self.t("lesson.torch_too_old", need=need, have=have)
                scroll.mount(Static(note, classes="torch-note"))
            mounted = scroll.mount(view)
        scroll.scroll_home(animate=False)
        self._shown_view = view
        self.run_worker(self._focus_step(view, mounted, still_open), group="focus", exclusive=True)
        if keep_scroll and (was_at > 0 or reveal_run):
            self.run_worker(
                self._scroll_back(view, mounted, was_at, reveal_run),
                group="keep-scroll",
                exclusive=True,
            )
        item_id = dict(lesson.checks).get(index)
        if item_id is not None and index not in self._restored:
            self.run_worker(
                self._restore_step(view, mounted, index, item_id),
                group="restore",
                exclusive=True,
                exit_on_error=False,  # a step shown fresh beats a closed app
            )
        self.tutor.learning_fire("mark_step_seen", lesson.id, index)
        if index != self.look_at:
            self.look_at = None
            self.tutor.learning_fire("save_position", lesson.id, index)

    def _show_frame(self) -> None:
        """What surrounds the step: the lesson's title, the step's number and kind. The keys
        (the footer, the nav hint) are drawn by :meth:`refresh_bindings`: as the step's focus is
        set (:meth:`_focus_step`), and as F2 changes the language."""
        lesson, index = self.lesson, self.index
        self.title = localize(lesson.title, self.tutor.lang)
        self.sub_title = ""  # the lesson's title needs the header's whole width
        self.query_one("#bar", ProgressBar).update(progress=index + 1)
        kind = self.t(f"kind.{step_kind(lesson.steps[index])}")
        self.query_one("#step-label", Static).update(
            f"{self.t('lesson.step', step=index + 1, total=len(lesson.steps))} · {kind}"
        )

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Back in an editor (a click, shift+tab, a letter typed from the step), the learner goes
        on with their code: an esc asked about before (see :meth:`action_leave`) asks again, or
        esc, a click into the code, more typed, and esc from Check lost it all unasked."""
        if isinstance(event.widget, TextArea):
            self._leave_asked = False

    def on_key(self, event: events.Key) -> None:
        """A letter typed with the focus on the scroll around an exercise (a click on its text
        puts it there) goes into the exercise's editor, not to n, p or q, which would leave the
        step; from the step's own buttons the step sends it there itself."""
        view = self._shown_view
        if not isinstance(view, ExerciseStepView) or not view.is_attached:
            return
        if self.focused is self.query_one("#step-scroll") and view.type_into_editor(event):
            event.stop()
            event.prevent_default()

    def _show_nav_hint(self) -> None:
        """The keys that move on from here: an editor, an answer box or a wide diagram keeps
        the arrows (and esc, in the editor) for itself, so while one has focus the hint names
        the keys that work."""
        if not self.is_mounted:
            return
        last = self.index == len(self.lesson.steps) - 1
        focused = self.focused
        if isinstance(focused, TextArea):
            hint = self.t("lesson.nav_editor_last" if last else "lesson.nav_editor")
        elif isinstance(focused, Input):
            hint = self.t("lesson.nav_input_last" if last else "lesson.nav_input")
        elif isinstance(focused, WideFence):  # a diagram wider than the screen: ←/→ scroll it
            hint = self.t("lesson.nav_diagram_last" if last else "lesson.nav_diagram")
        else:
            hint = self.t("lesson.nav_last" if last else "lesson.nav")
            if self._diagram_cut():  # nothing else says there is more of it, and how to see it
                hint = f"{hint} · {self.t('lesson.diagram_cut')}"
        self.query_one("#nav-hint", Static).update(hint)

    def _diagram_cut(self) -> bool:
        """Whether the step shows a diagram wider than its room, cut at the terminal's width
        (a :class:`WideFence` takes the focus only then)."""
        return any(fence.can_focus for fence in self.query_one("#step-scroll").query(WideFence))

    def refresh_bindings(self) -> None:
        """The keys change, and the nav hint with them: the one path that draws the hint. Textual
        calls it as the focus moves and the language changes; a diagram's ←/→ come and go as it
        is laid out cut or whole (see :meth:`WideFence.on_resize`), after the step is shown."""
        super().refresh_bindings()
        with contextlib.suppress(NoMatches):  # called as the screen closes too, its parts gone
            self._show_nav_hint()
        if self.run_in_progress:  # a run begun (the step's FollowsRuns calls this as it starts)
            self.tutor.withdraw_take_first()

    async def _focus_step(
        self, view: StepView, mounted: AwaitMount, still_open: bool = False
    ) -> None:
        """Focus what the step starts with, once it is mounted with its children. Waiting for
        the mount, not for the next frame: a step shown while the last one is being removed
        (F2 right after →) mounts a frame or more later, and its Run button is not there yet.
        With ``still_open``, then bring into view why the step is still to pass."""
        await mounted
        if view is not self._shown_view or not view.is_attached:
            return  # already replaced by the next step
        # A step with nothing to answer (text, card, recap) gives the focus to the scroll
        # around it: ↑↓, PgUp/PgDn, Home/End read a step taller than the terminal, and ←/→ fall
        # through to the lesson (it scrolls only up and down).
        scroll = self.query_one("#step-scroll", VerticalScroll)
        initial = view.initial_focus()
        # Beside a step's controls the scroll is one Tab stop among others: it shows when it has
        # the focus (see lesson.tcss). Alone, it always has it, and needs no mark.
        scroll.set_class(initial is not None, "-beside-controls")
        (initial or scroll).focus()
        # The keys (the footer, the nav hint) depend on the focus and the step: shown here as
        # well, as the focus may not change (the screen's auto-focus picked the scroll already,
        # before the screen was mounted), and a step shown with the focus staying on the scroll
        # kept the last step's ("^r Check" on a card: its own keys are in the footer, see
        # _binding_chain).
        self.refresh_bindings()
        if still_open:
            view.show_why_open()

    async def _scroll_back(
        self, view: StepView, mounted: AwaitMount, y: float, reveal_run: bool = False
    ) -> None:
        """Scroll the step rebuilt as ``view`` back to ``y``, once it is mounted and laid out
        (its height is known only then); no further than the new text reaches, which may be
        shorter in the other language. With ``reveal_run``, then its run panel into view."""
        await mounted
        if view is not self._shown_view or not view.is_attached:
            return  # another step shown meanwhile: it starts at its top
        scroll = self.query_one("#step-scroll", VerticalScroll)

        def scroll_back() -> None:
            if view is self._shown_view:
                scroll.scroll_to(y=min(y, scroll.max_scroll_y), animate=False, immediate=True)
                if reveal_run:
                    for panel in view.query(RunPanel):
                        panel.scroll_visible(animate=False, immediate=True)

        self.call_after_refresh(scroll_back)

    async def _restore_step(
        self, view: StepView, mounted: AwaitMount, index: int, item_id: str
    ) -> None:
        """Show the step's check as the learner last left it (in an earlier visit to the lesson,
        or an earlier session): its last recorded attempt, read from the learning thread."""
        await mounted
        lesson_id = self.lesson_id
        attempt = await self.tutor.learning_call(
            lambda learning: learning.last_attempt(lesson_id, item_id)
        )
        if view is not self._shown_view or not view.is_attached:
            return  # another step shown meanwhile: this one is looked up when shown again
        self._restored.add(index)
        if attempt is not None and view.restore(attempt):
            # at its question, as the step opened: what was answered is below it
            self.query_one("#step-scroll", VerticalScroll).scroll_home(animate=False)

    def action_next(self) -> None:
        if self.index < len(self.lesson.steps) - 1:
            self.index += 1
            return
        # The app runs the worker: this screen's own workers stop when it is dismissed.
        self.app.run_worker(self._say_finished(), group="lesson-finished", exit_on_error=False)
        self.dismiss()

    async def _say_finished(self) -> None:
        """Toast the end of the lesson and what became of its flashcards. Asked of the learning
        thread, after the step just shown was recorded there: a learner who resumed mid-lesson
        may still have unseen steps, and the cards wait for those."""
        lesson_id = self.lesson_id
        cards = self._deck_card_count()

        def look(learning: Any) -> tuple[Any, list[str]]:
            return learning.lesson_progress(lesson_id), learning.open_checks(lesson_id)

        progress, still_open = await self.tutor.learning_call(look, (None, []))
        unseen = (
            attr(progress, "total_steps", 0) - attr(progress, "seen_steps", 0)
            if progress is not None
            else None
        )
        # "Finished" is every step seen: a learner who skipped ahead has reached the end only
        if unseen is not None and unseen > 0:
            message = f"🏁 {self.t('lesson.end_unseen', unseen=unseen)}"
        else:
            message = f"🏁 {self.t('lesson.finished')}"
        if still_open:
            message += f"\n🎯 {self.t('lesson.open_items', count=len(still_open))}"
        if cards and unseen is not None:
            if unseen <= 0:
                message += f"\n🔓 {self.t('lesson.cards_unlocked', count=cards)}"
            else:
                message += f"\n🔒 {self.t('lesson.cards_waiting', count=cards)}"
        following = self._following_lesson()
        if following is not None and (unseen is None or unseen <= 0):
            title = localize(following.title, self.tutor.lang)
            message += f"\n➡ {self.t('lesson.next_up', title=title)}"
            # what "c on the home screen" continues: Continue went to the first lesson not
            # finished (a skipped Welcome), not to the one named here
            self.tutor.remember_last_lesson(following.id)
        self.app.notify(message, timeout=6)

    def _following_lesson(self) -> Any:
        """The lesson after this one in the course, or ``None`` after the last."""
        lessons = self.tutor.library.lessons  # type: ignore[union-attr]
        ids = [lesson.id for lesson in lessons]
        position = ids.index(self.lesson_id) if self.lesson_id in ids else len(ids)
        return lessons[position + 1] if position + 1 < len(lessons) else None

    def _deck_card_count(self) -> int:
        """Cards in the card decks written for this lesson: finishing it adds them to the review."""
        library = self.tutor.library
        if library is None:
            return 0
        return sum(len(deck.cards) for deck in library.card_decks if deck.lesson == self.lesson_id)

    async def action_next_open(self) -> None:
        """Go to the next question or exercise not passed yet (never answered, or wrong the last
        time), after this step and then from the top: the way back to what a learner skipped."""
        lesson_id = self.lesson_id
        still_open = await self.tutor.learning_call(
            lambda learning: learning.open_checks(lesson_id)
        )
        checks = self.lesson.checks
        if still_open is None:  # progress is not kept: every question is one to go to
            still_open = [item_id for _, item_id in checks]
        open_ids = set(still_open)
        steps = [index for index, item_id in checks if item_id in open_ids]
        if not steps:
            self.notify(self.t("lesson.all_passed"), timeout=3)
        elif steps == [self.index]:
            self.notify(self.t("lesson.only_open"), timeout=3)
        else:
            # watch_index shows the step, with why it is still open in view
            self._to_still_open = True
            self.index = next((index for index in steps if index > self.index), steps[0])
            self._to_still_open = False  # taken by watch_index, as the index changed

    def action_previous(self) -> None:
        if self.index > 0:
            self.index -= 1

    @property
    def unsaved_file(self) -> str | None:
        """An exercise's draft whose saving stopped for a change made elsewhere: leaving would
        lose the learner's code, so the app asks first, as for a sandbox's unsaved file."""
        return self.held_file

    def action_leave(self) -> None:
        """Close the lesson; with an exercise's code kept nowhere (:attr:`unsaved_file`), only
        at a second esc; right after an exercise's hint, only at the esc after this one (see
        :meth:`ExerciseStepView.asks_before_closing`). One ask covers both."""
        view = self._shown_view
        exercise = view if isinstance(view, ExerciseStepView) and view.is_attached else None
        unsaved = self.unsaved_file
        if unsaved and not self._leave_asked:
            self._leave_asked = True
            self.notify(self.t("sb.unsaved", file=unsaved), severity="warning")
            if exercise is not None:  # this ask is the hint's too: the next esc closes
                exercise.closing_asked()
            return
        if exercise is not None and exercise.asks_before_closing():
            return
        self.dismiss()

    # ------------------------------------------------------------------ record what happened

    def on_quiz_view_answered(self, event: QuizView.Answered) -> None:
        self.tutor.withdraw_take_first()
        self.tutor.learning_fire(
            "record_quiz",
            event.quiz_id,
            self.lesson_id,
            event.correct,
            event.answer,
            event.answer_shown,
        )

    def on_exercise_step_view_checked(self, event: ExerciseStepView.Checked) -> None:
        self.tutor.learning_fire(
            "record_exercise",
            event.exercise_id,
            self.lesson_id,
            event.passed,
            event.hints_used,
            event.failure,
            event.answer_shown,
        )

    def on_exercise_step_view_hint_taken(self, event: ExerciseStepView.HintTaken) -> None:
        self.tutor.withdraw_take_first()
        self.tutor.learning_fire(
            "record_hints_taken", self.lesson_id, event.exercise_id, event.hints
        )

    def on_step_view_learner_acted(self, event: StepView.LearnerActed) -> None:
        self.tutor.withdraw_take_first()

    def on_card_step_view_introduced(self, event: CardStepView.Introduced) -> None:
        self.tutor.learning_fire("introduce_card", event.card_id)
