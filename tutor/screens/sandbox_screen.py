"""The sandbox: a free editor with Run / Cancel, a device toggle, output, value and trace.

It opens in one of three ways, and each keeps the learner's code differently:

* **your sandbox** (``s`` on the home screen): the code is kept in the data dir
  (:class:`~tutor.scratch.ScratchFile`), saved a second after typing stops and on leaving, and
  comes back next time; ``ctrl+n`` brings the starter back (``ctrl+z`` undoes that).
* **a file** (``nn-tutor sandbox FILE``): ``ctrl+s`` writes it back as it was stored (its
  encoding, BOM and line endings; through a symlink); leaving with unsaved changes asks for a
  second ``esc``, and writing over a file changed on disk since it was read asks for a second
  ``ctrl+s``.
* **a lesson snippet** (``e`` on a code step): a copy to play with, kept nowhere; once edited,
  leaving asks for a second ``esc``, as a file's unsaved changes do (the edits would be gone
  without a word: the lesson's code is what the step shows again).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.notifications import Notification, SeverityLevel
from textual.screen import ModalScreen
from textual.widgets import Button, Header, Static, TextArea

from tutor.atomic_write import write_bytes_atomic
from tutor.decks.code_comments import follow_language, localize_comments
from tutor.python_source import (
    UNREADABLE_SOURCE,
    SourceEncoding,
    decode_source,
    read_source_bytes,
    source_error_line,
)
from tutor.scratch import ScratchFile, disk_fingerprint, fingerprint
from tutor.screens.base import RELOAD, ReloadsHeldEditor, TutorScreen
from tutor.theme_styles import app_styles
from tutor.widgets.device_toggle import DeviceToggle
from tutor.widgets.editor import code_editor, mark_line, put_back, translate_starter
from tutor.widgets.fitting_footer import FittingFooter
from tutor.widgets.following_scroll import FollowingScroll
from tutor.widgets.run_panel import RunPanel, cancel_run, run_going, run_in_panel
from tutor.widgets.scrolling_ancestor import content_row

DEFAULT_SNIPPET = """\
# torch, nn, F and device are ready.  #zh: torch、nn、F 和 device 都已就绪。
# ^r runs; the value of the last line is shown.  #zh: ^r 运行；最后一行的值会显示出来。
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
x = torch.randn(3, 4)
model(x).shape
"""


def with_last_newline(text: str) -> str:
    """``text`` as a file keeps it: its last line ended by a newline, as every other line is
    (written without, ``git diff`` said "No newline at end of file"), as editors that insert a
    final newline do. Text that ends in one already gains none, so a file opened and saved
    comes back byte for byte; nothing stays nothing."""
    return text if not text or text.endswith("\n") else f"{text}\n"


class SandboxScreen(ReloadsHeldEditor, TutorScreen):
    CSS_PATH = "sandbox_screen.tcss"
    BINDINGS: ClassVar = [
        Binding("ctrl+r", "run", "k.run"),
        # While a run is in progress esc cancels it, whatever has focus: the editor keeps esc
        # for itself otherwise (it moves focus on).
        Binding("escape", "cancel", "k.cancel", priority=True),
        # From the editor esc moves the focus on, and the footer says so (as an exercise's);
        # from anywhere else it leaves.
        Binding("escape", "leave_editor", "k.leave_editor", key_display="esc"),
        Binding("escape", "escape", "k.leave"),
        Binding("ctrl+o", "device", "k.device"),
        Binding("ctrl+t", "trace", "k.trace"),
        Binding("ctrl+s", "save", "k.save"),
        # While your sandbox's saving is held for a change on disk: the file's code, from
        # anywhere on the screen as ctrl+s (the editor's own ctrl+l works only in it).
        RELOAD,
        Binding("ctrl+n", "starter", "k.starter"),
        # The output area scrolled from anywhere, the editor included (where Tab indents and
        # PgDn moves the cursor): said by the "more below" line when the run does not fit.
        Binding("ctrl+pagedown", "scroll_output('page_down')", "k.output_down", show=False),
        Binding("ctrl+pageup", "scroll_output('page_up')", "k.output_up", show=False),
    ]

    def __init__(
        self, code: str | None = None, file: str | None = None, *, trace: bool = False
    ) -> None:
        """``trace``: the hook trace on from the start (a lesson's traced step opened here with
        ``e``: off, its run showed no trace where the step's did)."""
        super().__init__(id="sandbox")
        self.file = file
        self.load_error: Exception | None = None  # why the file could not be read
        self.new_file = False
        self._saved_text: str | None = None  # the file's text as last read or written
        # How the file's bytes were encoded (a BOM, a coding line, CRLF): ctrl+s keeps it so.
        self._stored_as = SourceEncoding()
        # The file on disk as last read or written (see disk_fingerprint): ctrl+s over a file
        # changed since asks first.
        self._on_disk: str | None = None
        # What the file held on disk when ctrl+s warned of it: a second ctrl+s writes over that
        # change, and only that one (another since is warned of again).
        self._warned_of: str | None = None
        if code is None and file is not None:
            try:
                stored = read_source_bytes(file)
                code, self._stored_as = decode_source(stored)
                self._saved_text = code
                self._on_disk = fingerprint(stored)
            except FileNotFoundError:
                code = self._saved_text = ""
                self.new_file = True
            except UNREADABLE_SOURCE as exc:  # never written over
                self.load_error = exc
        self.initial_code = code
        self.trace = trace
        self.scratch: ScratchFile | None = None  # set when this is your sandbox
        # esc pressed once with unsaved changes; an edit, or the focus back in the editor (see
        # on_descendant_focus), and the next esc asks again
        self._leave_unsaved = False
        self._notes: list[Notification] = []  # this screen's notes, taken down as it is left

    def compose(self) -> ComposeResult:
        yield Header(icon="🧠")
        with Horizontal(id="sb-top"):
            yield Static(id="sb-title")
            yield DeviceToggle("cuda" if self.tutor.cuda else "cpu", id="device")
            yield Static(id="sb-trace")
        code = self.initial_code
        if code is None and self.file is None:
            self.scratch = ScratchFile(self.tutor.config.paths.scratch, DEFAULT_SNIPPET)
            code = self.scratch.load(self.tutor.lang)
        # kept, not queried: its text is still read while the screen unmounts
        self._editor = code_editor(code or "", id="sb-editor", keep_in=self.scratch)
        self._opened_with = code or ""  # a snippet's code as shown: edits to it are kept nowhere
        # a file that could not be read: nothing typed here could be kept
        self._editor.read_only = self.load_error is not None
        yield self._editor
        with Horizontal(id="sb-buttons"):
            yield Button(id="run", variant="primary")
            yield Button(id="cancel", variant="error", disabled=True)
            yield Button(id="trace")
        with FollowingScroll(id="sb-output"):
            # a training loop's latest lines in view as they come, and how a run ended
            yield RunPanel(id="sb-run", follow=True)
            # docked at the area's foot: how many rows are below, and the key to them
            yield Static(id="sb-more", classes="-empty")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.on_lang()
        area = self.query_one("#sb-output", FollowingScroll)
        for changes in ("scroll_y", "virtual_size"):  # measured once laid out again
            self.watch(area, changes, self._more_below_changed, init=False)
        self._editor.focus()
        # A lesson's "best to take first" note, said as it opened, lay over this screen's output
        # (`e` on its code step at once): opening the step's code here acts on the lesson, as
        # running it there does.
        self.tutor.withdraw_take_first()
        if self.load_error is not None:  # the OS's words in the learner's language
            said = source_error_line(self.load_error, self.file, self.tutor.lang)
            self._note(f"{self.file}: {said}", severity="error")
        elif self.new_file:
            self._note(self.t("sb.new_file", file=self.file_name), timeout=5)

    def _note(
        self, message: str, *, severity: SeverityLevel = "information", timeout: float | None = None
    ) -> None:
        """Say ``message`` as this screen's own note, taken down as the learner leaves
        (:meth:`_take_down_notes`)."""
        self._notes = [note for note in self._notes if not note.has_expired]
        self._notes.append(self.tutor.post_note(message, severity=severity, timeout=timeout))

    def _take_down_notes(self) -> None:
        """Take down the notes this screen said (:meth:`_note`): about its code, file and keys
        (ctrl+z brings your code back), they mean nothing on the screen the learner goes to."""
        notes, self._notes = self._notes, []
        for note in notes:
            self.tutor.take_down(note)

    def on_screen_suspend(self) -> None:
        # Left for another screen (the palette's Home, a lesson); a dialog over it (help, the
        # palette) leaves it in sight, and its notes with it.
        if not isinstance(self.app.screen, ModalScreen):
            self._take_down_notes()

    def on_unmount(self) -> None:
        self._take_down_notes()
        # Closed while its run goes (the palette's Home, say: esc would cancel it first), the
        # screen's workers end with it, the run too, as a lesson step's run ends when the lesson
        # closes. Said, or the learner would come back to find the run and its output gone.
        if self.running:
            self.app.notify(self.t("sb.run_stopped_leaving"), severity="warning")

    def on_lang(self) -> None:
        editor = self._editor
        if self.file is None:
            # An edit, not load_text (which clears the undo history): after ctrl+n, ctrl+z still
            # brings the learner's code back.
            translate_starter(
                editor, follow_language(editor.text, DEFAULT_SNIPPET, self.tutor.lang)
            )
        self._show_title()
        self.query_one("#sb-title", Static).update(f"🧪 {self.t('sb.title')}")
        self.set_label("run", f"▶ {self.t('code.run')}")
        self.set_label("cancel", f"⏹ {self.t('sb.cancel')}")
        self._show_trace_state()
        self._show_more_below()
        self.query_one("#sb-run", RunPanel).retranslate()

    def _show_title(self) -> None:
        name = ""
        if self.file is not None:
            name = f" · {self.file_name}" + (" ●" if self.unsaved else "")
        self.title = self.t("screen.sandbox") + name

    def _show_more_below(self) -> None:
        """Say how many rows of the output area are below its foot, and which key scrolls to
        them, once a run has ended (at 80x24 a traced run's table showed one row, with no word
        that there was more). Nothing while the run streams (the area follows its end) or where
        all of it shows."""
        area = self.query_one("#sb-output", FollowingScroll)
        more = self.query_one("#sb-more", Static)
        rows = round(area.max_scroll_y - area.scroll_y)
        hidden = area.following or rows <= 0
        if not hidden:
            # a trace's warnings, drawn last, are what a short terminal hides: said as well
            warnings = self._warnings_below(area)
            said = (
                self.t("sb.more_below_warnings", rows=rows, warnings=warnings)
                if warnings
                else self.t("sb.more_below", rows=rows)
            )
            more.update(Text(said, style=app_styles(self.app).muted))
        more.set_class(hidden, "-empty")

    def _warnings_below(self, area: FollowingScroll) -> int:
        """How many of the run's trace warnings begin below ``area``'s fold: each is a line of the
        trace's warnings, wrapped to their width. Told by their rows in the area's scrolled
        content against its ``scroll_y``, not by where they are on the screen: called as the
        scroll changes, that is where the last frame drew them, a row or more behind."""
        foot = area.scroll_y + area.scrollable_content_region.height
        below = 0
        for said in self.query(".trace-warnings").results(Static):
            width, lines = said.content_region.width, said.content
            if not isinstance(lines, Text) or not width:
                continue
            row = content_row(said, area)
            for warning in lines.split("\n"):
                below += row >= foot
                row += len(warning.wrap(self.app.console, width))
        return below

    def _more_below_changed(self) -> None:
        self.call_after_refresh(self._show_more_below)

    def on_resize(self) -> None:
        # a resize can change how many rows are below without changing the output's size (a
        # widget's size is no reactive to watch)
        self._more_below_changed()

    def action_scroll_output(self, action: str) -> None:
        """Scroll the output area by ``action`` (``page_down``, ``page_up``), wherever the focus
        is."""
        getattr(self.query_one("#sb-output", FollowingScroll), f"action_{action}")()

    def _show_trace_state(self) -> None:
        state = self.t("sb.on") if self.trace else self.t("sb.off")
        self.query_one("#sb-trace", Static).update(f"🔬 {self.t('sb.trace', state=state)}")
        self.set_label("trace", f"🔬 {self.t('k.trace')}")

    @property
    def running(self) -> bool:
        """Whether this one's own run is going (see :func:`run_going`)."""
        return run_going(self)

    @property
    def source(self) -> tuple[str, str | None]:
        """What this sandbox was opened on: your sandbox, a file, or a snippet (and its code).
        Asked for the same again, the app goes back to this one instead of opening another."""
        if self.file is not None:
            return ("file", str(Path(self.file).resolve()))
        if self.initial_code is not None:
            return ("snippet", self.initial_code)
        return ("yours", None)

    @property
    def file_name(self) -> str:
        """The edited file's name; empty when this is not a file."""
        return Path(self.file).name if self.file is not None else ""

    @property
    def unsaved(self) -> bool:
        """Whether the file being edited has changes ``ctrl+s`` has not written."""
        return self._saved_text is not None and self._editor.text != self._saved_text

    @property
    def edited_snippet(self) -> bool:
        """Whether this is a lesson snippet whose code the learner changed: kept nowhere."""
        return self.source[0] == "snippet" and self._editor.text != self._opened_with

    @property
    def unsaved_file(self) -> str | None:
        """The name of the file with unsaved changes, if any: the app asks before quitting. Your
        sandbox's file, when its saving stopped for a change made elsewhere."""
        return self.file_name if self.unsaved else self.held_file

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.scratch is not None or self._saved_text is not None
        if action == "starter":
            return self.scratch is not None
        if action == "cancel":
            return self.running
        if action in ("leave_editor", "escape"):
            return isinstance(self.focused, TextArea) == (action == "leave_editor")
        return super().check_action(action, parameters)  # reload: ReloadsHeldEditor's

    # -- keeping the code -------------------------------------------------------------------------
    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Back in the editor (a click, shift+tab), the learner goes on with their code: an esc
        asked about before (see :meth:`action_escape`) asks again, as the lesson's does, or esc,
        a click into the code, esc and esc dropped it unasked."""
        if event.widget is self._editor:
            self._leave_unsaved = False

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._leave_unsaved = False
        self._show_title()

    @staticmethod
    def _on_disk_now(path: Path) -> str | None:
        """What the file holds now (:func:`disk_fingerprint`; ``None`` for a file gone since),
        read once per ctrl+s; ``None`` too for one that cannot be read now, left to the write,
        which says why it failed."""
        try:
            return disk_fingerprint(path)
        except OSError:
            return None

    def _unseen_change(self, now: str | None) -> str | None:
        """``now`` (:meth:`_on_disk_now`) where that is neither what this sandbox last read or
        wrote nor a change the learner was warned of (another editor saved it, a ``git
        checkout``); ``None`` otherwise. A file gone since holds nothing to lose."""
        return now if now not in (None, self._on_disk, self._warned_of) else None

    def _untouched(self, now: str | None, text: str) -> bool:
        """Whether the editor shows ``text`` as it was opened or last saved and the file still
        holds that (``now``): ctrl+s then writes nothing, so a file opened and saved keeps its
        bytes (a last newline is added only to text the learner changed)."""
        return text == self._saved_text and now is not None and now == self._on_disk

    def action_save(self) -> None:
        try:
            if self.scratch is not None and self._editor.held:
                # writing over a change made elsewhere: said as the editor's own ctrl+s says it
                self._editor.action_keep()
                return
            if self.scratch is not None:
                self._editor.save()
                done = self.t("sb.kept", path=self.scratch.path)
            elif self.file is not None and self._saved_text is not None:
                now = self._on_disk_now(Path(self.file))
                changed = self._unseen_change(now)
                if changed is not None:
                    self._warned_of = changed  # a second ctrl+s writes over this change
                    self._note(
                        self.t("sb.changed_on_disk", file=self.file_name), severity="warning"
                    )
                    return
                text = self._editor.text
                if not self._untouched(now, text):
                    stored = self._stored_as.encode(with_last_newline(text))
                    write_bytes_atomic(Path(self.file), stored)
                    self._on_disk = fingerprint(stored)
                self._saved_text, self._warned_of = text, None
                self._show_title()
                done = self.t("sb.saved", file=self.file_name)
            else:
                return
        # UnicodeEncodeError: a character the file's own encoding (latin-1) cannot hold
        except (OSError, UnicodeEncodeError) as exc:
            error = source_error_line(exc, self.file, self.tutor.lang)
            self._note(self.t("editor.save_failed", error=error), severity="error")
            self._leave_unsaved = False  # unsaved still: esc warns again before leaving
            return
        self._note(done, timeout=4)

    def action_starter(self) -> None:
        """Put the starter code back as one edit, so ``ctrl+z`` brings the learner's back."""
        starter = localize_comments(DEFAULT_SNIPPET, self.tutor.lang)
        if put_back(self._editor, starter):
            self._note(self.t("sb.starter"), timeout=4)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"run": self.action_run, "cancel": self.action_cancel, "trace": self.action_trace}[
            event.button.id or ""
        ]()

    def action_device(self) -> None:
        self.query_one(DeviceToggle).action_toggle()

    def action_trace(self) -> None:
        self.trace = not self.trace
        self._show_trace_state()

    def on_click(self, event: events.Click) -> None:
        """A click on the "🔬 trace off" label beside the device toggle switches the trace, as
        its key and button do."""
        if self.get_widget_at(event.screen_x, event.screen_y)[0].id == "sb-trace":
            self.action_trace()

    def action_leave_editor(self) -> None:
        self.query_one("#run", Button).focus()

    def action_escape(self) -> None:
        """esc while idle, out of the editor (a run in progress is cancelled by ``cancel``)."""
        if (unsaved := self.unsaved_file) and not self._leave_unsaved:
            self._leave_unsaved = True
            self._note(self.t("sb.unsaved", file=unsaved), severity="warning")
        elif self.edited_snippet and not self._leave_unsaved:
            self._leave_unsaved = True
            self._note(self.t("sb.snippet_edited"), severity="warning")
        else:
            self.dismiss()

    def action_cancel(self) -> None:
        if self.running:
            cancel_run(self)

    def action_run(self) -> None:
        if self.running:
            self.tutor.notify_once(self.t("sb.busy"), timeout=2)
            return
        self.run_worker(self._run(), group="run", exclusive=True, exit_on_error=False)

    def _set_running(self, running: bool) -> None:
        self.query_one("#run", Button).disabled = running
        self.query_one("#cancel", Button).disabled = not running
        self.refresh_bindings()

    def _as_run(self, code: str) -> str:
        """``code`` as the sandbox should run it: a file's as ``python FILE`` runs it (its
        folder, ``__file__``, tracebacks naming it), even while unsaved; a snippet as it is."""
        if self.file is None:
            return code
        from sandbox.protocol import FileSource  # no torch: the sandbox's wire format

        return FileSource(code, os.path.abspath(self.file))

    async def _run(self) -> None:
        editor = self._editor
        run = self.query_one("#run", Button)
        # Run is disabled while the code runs, which moves the focus on (to the Trace toggle,
        # where Enter would switch the trace). Pressed, it gets the focus back when the run is
        # over: where the learner left it, and Enter runs again (as on a lesson's code step).
        # From the editor (ctrl+r), the focus never left.
        from_run = self.focused is run
        code = editor.text
        self._set_running(True)
        # The output area follows the run's output as it grows (the panel's own view follows its
        # end), until the learner scrolls it up.
        self.query_one("#sb-output", FollowingScroll).follow()
        try:
            result = await run_in_panel(
                self,
                self.query_one(RunPanel),
                self._as_run(code),
                device=self.query_one(DeviceToggle).device,
                trace=self.trace,
                timeout=30,
            )
        finally:
            self._set_running(False)
            if from_run and self.focused is not editor:  # not if they went on editing
                run.focus()
        if result is not None and result.error is not None:
            mark_line(editor, result.error.line, code)
