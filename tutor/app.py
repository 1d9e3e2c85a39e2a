"""The Textual app: ``TutorApp``, where learners live.

Startup is kept light: the first frame shows the home screen's skeleton; decks load in a worker
thread, the learning store opens on its own thread and the sandbox's torch worker starts in the
background, all after that first frame. The UI process never imports torch.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Final

from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.notifications import Notification, Notify, SeverityLevel
from textual.reactive import reactive, var
from textual.screen import ModalScreen, Screen

from tutor.config import TutorConfig
from tutor.i18n import Lang, localize, quoted_list, tr
from tutor.line_breaks import install as install_line_breaks
from tutor.no_color import readable_in_grey
from tutor.theme_styles import THEMES, readable_theme
from tutor.torch_version import installed_torch
from tutor.ui_state import LANG_KEY, UiState, starting_theme, with_kept_lang

if TYPE_CHECKING:
    from textual.command import Provider

    from tutor.decks.loader import DeckLibrary
    from tutor.widgets.editor import KeptEditor


class SandboxUnavailable(RuntimeError):
    """The sandbox could not be started (not installed, or its worker failed). ``reason`` is
    the sandbox's ``RunError`` when its worker failed (worded in the learner's language by
    :func:`tutor.sandbox_messages.error_message`), else a message."""

    def __init__(self, reason: Any) -> None:
        super().__init__(str(getattr(reason, "message", reason)))
        self.reason = reason


def _tutor_commands() -> type[Provider]:
    from tutor.palette import TutorCommands

    return TutorCommands


def _screen_class(module: str, name: str) -> type[Screen] | None:
    """A screen that another part of the project provides, or ``None`` while it does not exist."""
    import importlib

    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _same_kind(a: Screen, b: Screen) -> bool:
    """Whether two screens are of one kind: one class, or one id (which Textual keeps unique)."""
    return type(a) is type(b) or (a.id is not None and a.id == b.id)


def _tell_every_node(screens: list[Screen], method: str) -> None:
    """Call ``method`` (``lang_changed``, ``theme_changed``) on each screen of ``screens``, then
    each widget in it, where it has one: told, rather than watching the app, a node leaves
    nothing behind in the app once gone."""
    for screen in screens:
        for node in (screen, *screen.walk_children()):
            told = getattr(node, method, None)
            if callable(told):
                told()


class _Failed:
    """The type of :data:`FAILED`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "FAILED"


FAILED: Final = _Failed()
"""What :meth:`TutorApp.learning_call` answers for a write (``failed=``) the store failed to make;
the learner has been told. Compared with ``is``: ``None`` and ``False`` are answers too."""


@dataclass(frozen=True)
class ReadFailed:
    """What :meth:`TutorApp.learning_call` answers for a read (``failed_read=True``) the store
    failed to make: the caller's screen says so in place, with ``error``, why in one line as
    :func:`store_error_words` says it in the learner's language, rather than show a default as if
    it had been read."""

    error: str


def one_line(error: BaseException) -> str:
    """An error's message as one line of a notice ("database is locked"): its first line, less a
    closing full stop (the notice has its own); its type's name when it says nothing."""
    lines = str(error).strip().splitlines()
    first = lines[0].strip().rstrip(".") if lines else ""
    return first or type(error).__name__


def store_error_words(error: BaseException, lang: Lang) -> str:
    """Why the learning store failed, in one line for a sentence of ``lang`` around it (which has
    its own full stop): nn-tutor's own reason (an error's ``reason_key``) or a common OS error's
    in ``lang``, as :func:`~tutor.error_line.error_line` words them, else the error's own words,
    untranslated (SQLite's "database is locked": :func:`one_line`)."""
    if getattr(error, "reason_key", None) is None and not isinstance(error, OSError):
        return one_line(error)
    from tutor.error_line import error_line

    return error_line(error, lang=lang).rstrip("。.")


LESSON_WIDTH = 100
"""Columns the lessons are drawn for: at this width a fence shows ``DIAGRAM_WIDTH`` cells
(``tutor.decks.advice``), and ``nn-tutor validate`` advises on any diagram line wider."""


class TutorApp(App):
    """nn-tutor's terminal UI."""

    # Home's styles are read with the app's, so the first frame costs one stylesheet parse.
    CSS_PATH: ClassVar = ["app.tcss", "screens/home.tcss"]
    TITLE = "nn-tutor"
    # Only ours: Textual's system commands (Keys, Maximize, Screenshot...) speak English only.
    COMMANDS: ClassVar = {_tutor_commands}
    BINDINGS: ClassVar = [
        # These two show in the home footer only: other footers need the room at 80 columns.
        Binding("question_mark", "help", "k.help", key_display="?", show=False),
        # and from where ? is typed (a code editor): F1, as in most editors
        Binding("f1", "help", "k.help", key_display="F1", show=False),
        Binding("f2", "toggle_lang", "k.lang", show=False),
        Binding("ctrl+q", "quit", "k.quit", show=False, priority=True),
        # Textual's own palette binding would say "palette" in every language.
        Binding("ctrl+p", "command_palette", "k.palette", show=False, priority=True),
    ]

    lang: reactive[Lang] = reactive(Lang.EN)
    library: reactive[DeckLibrary | None] = reactive(None, always_update=True)
    learning: reactive[Any] = reactive(None, always_update=True)
    cuda: var[bool | None] = var(None)
    """Whether the sandbox can run on CUDA; ``None`` until it has said."""

    def __init__(
        self,
        config: TutorConfig | None = None,
        *,
        start: str = "home",
        start_arg: str | None = None,
        autostart_sandbox: bool = True,
        open_learning: bool = True,
    ) -> None:
        super().__init__()
        self._readable_without_colour()
        install_line_breaks()
        self.config = config or with_kept_lang(TutorConfig.default(), None)
        self.start = start
        self.start_arg = start_arg
        self.autostart_sandbox = autostart_sandbox
        self.open_learning = open_learning
        self.sandbox: Any = None
        self.sandbox_error: Any = None  # why the sandbox did not start: a RunError or a message
        self.learning_error: str | None = None
        self._sandbox_start: asyncio.Task[None] | None = None
        self._learning_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="learning")
        # Set once the store has opened, failed to, or is not wanted: a screen shown while it
        # opens (``nn-tutor lesson ID``) records into it after that, instead of into nothing.
        self._learning_settled = asyncio.Event()
        self._told_take_first: set[str] = set()  # locked lessons the learner has been told about
        # lessons whose notice waits for the store's answer: not said once the learner acts
        self._take_first_due: set[str] = set()
        # those notes still shown, until the learner acts on the lesson (withdraw_take_first)
        self._take_first_notes: list[Notification] = []
        self._said_once: dict[str, Notification] = {}  # notify_once's last note of its words
        # The identities of the notes posted whose Notify message is still to be handled, and of
        # those among them taken down before it is (on_notify does not show them).
        self._notes_queued: set[str] = set()
        self._taken_down_queued: set[str] = set()
        self._told_narrow = False  # the terminal's width, below the lessons' (tell_if_narrow)
        # Each lesson's step states (``LessonScreen.states``), kept for the session rather than
        # dropped with the screen: an answer begun and not submitted is there when the lesson is
        # opened again, as it is after F2 or a step away and back.
        self.lesson_states: dict[str, dict[int, dict[str, Any]]] = {}
        # Kinds of learning call ("read", "write") whose failure the learner has been told of,
        # and is not told of again until a call of that kind works (``learning_call``).
        self._store_failures_told: set[str] = set()
        self.set_reactive(TutorApp.lang, self.config.lang)
        # Set quietly (a theme change once running re-parses all the CSS); App.__init__ gave the
        # stylesheet the default theme's variables, so hand it ours before its first parse.
        # Each offered theme is made readable as it is first shown (validate_theme): the one it
        # starts in, here.
        self._unfinished_themes: set[str] = set(THEMES)
        self.set_reactive(App.theme, self.validate_theme(self._starting_theme()))
        self._light_or_dark()
        self.stylesheet.set_variables(self.get_css_variables())

    def _starting_theme(self) -> str:
        """The theme to start in: ``TEXTUAL_THEME`` where it names one (for this session), else
        the one the learner chose in the palette, else the tutor's. A name no theme has (a typo,
        a theme a newer Textual dropped) is passed over rather than crash."""
        saved = self.ui_state().get("theme")
        return starting_theme(saved, lambda name: self.get_theme(name) is not None)

    def _light_or_dark(self) -> None:
        """What Textual does as the theme changes, but the CSS: the app's ``-dark-mode`` or
        ``-light-mode`` class, and the ANSI colours Rich renderables name ("cyan") mapped for
        its background. Set quietly, a light theme chosen in an earlier session got neither."""
        dark = self.current_theme.dark
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)
        refresh = getattr(self, "_refresh_truecolor_filter", None)
        if refresh is not None:
            refresh(self.ansi_theme)

    def _readable_without_colour(self) -> None:
        """Under NO_COLOR, the terminal colours the tutor names stay readable as grey (see
        :mod:`tutor.no_color`): a wrong answer's red faded into the background. Textual keeps
        its colour filter private; a Textual without it draws the grey it always did."""
        refresh = getattr(self, "_refresh_truecolor_filter", None)
        if getattr(self, "no_color", False) and refresh is not None:
            readable = readable_in_grey(self.ansi_theme_dark)
            self.set_reactive(App.ansi_theme_dark, readable)
            refresh(readable)

    # ------------------------------------------------------------------------------ lifecycle

    def get_default_screen(self) -> Screen:
        from tutor.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.sub_title = tr("app.subtitle", self.lang)
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        self.run_worker(self._load_library, thread=True, group="library", exit_on_error=False)
        if self.autostart_sandbox:
            self.start_sandbox()

    def tell_if_narrow(self) -> None:
        """Say once a session, as the first lesson opens on a terminal narrower than the
        lessons are drawn for, how a diagram too wide scrolls. (Said at launch, the toast sat for
        eight seconds over whatever screen opened: a review card's ratings, a game's verdict.)"""
        if self.size.width < LESSON_WIDTH and not self._told_narrow:
            self._told_narrow = True
            self.notify(self.tr("app.narrow", width=self.size.width, wide=LESSON_WIDTH), timeout=8)

    def _load_library(self) -> None:
        from tutor.decks.loader import DeckLoader

        library = DeckLoader(self.config.deck_paths).load()
        # Lessons and review compare items' torch_min with the installed torch; reading its
        # version imports importlib.metadata (~50 ms), so it is done here, off the UI thread.
        installed_torch()
        self.call_from_thread(self._library_loaded, library)

    def _library_loaded(self, library: DeckLibrary) -> None:
        self.library = library
        if self.open_learning:
            self.run_worker(self._open_learning(), group="learning", exit_on_error=False)
        else:
            if self.learning is None:
                self.learning_error = "disabled"
                self.learning = None
            self._learning_settled.set()
        self._open_start_screen()

    def _open_start_screen(self) -> None:
        start, arg = self.start, self.start_arg
        if start == "lesson" and arg:
            self.resume_lesson_soon(arg)
        elif start == "review":
            self.action_review(arg)
        elif start == "sandbox":
            self.open_sandbox(file=arg)

    async def resume_lesson(self, lesson_id: str) -> None:
        """Open a lesson where the course map would (:meth:`Learning.resume_step`); one already
        open stays at the step it shows."""
        step = None
        if self._open_lesson_screen(lesson_id) is None:
            step = await self.learning_call(lambda learning: learning.resume_step(lesson_id), 0)
        self.open_lesson(lesson_id, step=step)

    def resume_lesson_soon(self, lesson_id: str) -> None:
        """:meth:`resume_lesson` in a worker: the learning store may take a moment to answer
        (or to open), and the app takes keys meanwhile."""
        self.run_worker(self.resume_lesson(lesson_id), group="resume", exit_on_error=False)

    async def on_unmount(self) -> None:
        await self.close_sandbox()
        learning = self.learning
        if learning is not None:
            with contextlib.suppress(Exception):
                await asyncio.get_running_loop().run_in_executor(
                    self._learning_pool, learning.close
                )
        self._learning_pool.shutdown(wait=False)

    QUIT_AGAIN_WITHIN = 5.0
    """Seconds in which a second ctrl+q quits despite unsaved changes."""
    _quit_asked_at = float("-inf")  # when ctrl+q last warned

    async def action_quit(self) -> None:
        """Quit; with a file's changes unsaved (``unsaved_file`` on a screen), or code an editor
        could not keep, only when ctrl+q comes again within :attr:`QUIT_AGAIN_WITHIN` seconds of
        the warning."""
        said = self._unsaved_words(
            self.screen_stack, "sb.unsaved_quit", "sb.snippet_quit"
        ) or self._unkept_code_words(self.screen_stack)
        now = time.monotonic()
        if said and now - self._quit_asked_at > self.QUIT_AGAIN_WITHIN:
            self._quit_asked_at = now
            self.notify(said, severity="warning")
            return
        await super().action_quit()

    def _unkept_code_words(self, screens: list[Screen]) -> str:
        """Code of a sandbox or an exercise whose editor could not keep it (its last save failed:
        a full disk) or stopped keeping it (its file changed elsewhere), in words; "" when none.
        Asked on quitting alone: a disk still full must not keep the learner on a screen."""
        unkept = [name for s in screens if (name := getattr(s, "unkept_file", None))]
        return self.tr("editor.unkept_quit", file=unkept[0]) if unkept else ""

    def _unsaved_words(self, screens: list[Screen], file_key: str, snippet_key: str) -> str:
        """What ``screens`` hold that leaving them would lose, in words: a file's unsaved
        changes (``file_key``, naming the first such file), else a lesson snippet's edits, kept
        nowhere (``snippet_key``); "" when nothing."""
        unsaved = [name for s in screens if (name := getattr(s, "unsaved_file", None))]
        if unsaved:
            return self.tr(file_key, file=unsaved[0])
        if any(getattr(s, "edited_snippet", False) for s in screens):
            return self.tr(snippet_key)
        return ""

    def on_kept_editor_save_failed(self, event: KeptEditor.SaveFailed) -> None:
        """A sandbox or exercise editor could not keep the learner's code (said once per run
        of failures, by the editor), in the words ``ctrl+s`` uses for the same failure."""
        from tutor.python_source import source_error_line

        error = source_error_line(event.error, None, self.lang)
        self.notify(self.tr("editor.save_failed", error=error), severity="error")

    # ------------------------------------------------------------------------------- strings

    def tr(self, key: str, **values: object) -> str:
        return tr(key, self.lang, **values)

    def watch_lang(self, lang: Lang) -> None:
        self.sub_title = tr("app.subtitle", lang)
        self.refresh_bindings()
        # Each screen in the stack, then each widget in it, says its words again (see LangMixin).
        _tell_every_node(list(self.screen_stack), "lang_changed")

    def validate_theme(self, name: str) -> str:
        """``name``, the theme about to be shown (Textual validates each theme set, however
        set), made readable first (:func:`readable_theme`) if it is one the tutor offers and was
        not shown yet: worked out for all seven offered themes at construction, they took most
        of the time building the app took (medians of 21 fresh processes on a loaded machine:
        15.4 ms against 1.2 ms for the one shown; a reviewer's cold runs 7.5-11.8 ms against
        2.2-7.5 ms)."""
        # by the name Textual finds it under: TEXTUAL_THEME may say " nord" or "nord,dracula"
        theme = self.get_theme(name)
        if theme is not None and theme.name in self._unfinished_themes:
            self._unfinished_themes.discard(theme.name)
            self.register_theme(readable_theme(theme))
        return name

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header's title and, after it, its sub-title (a game's score, the sandbox's
        "torch.nn from the inside") set apart in italic: Textual dims it, 2.7:1 on
        solarized-light and 3.1:1 on tokyo-night, where a game's score is read at 80x24."""
        if not sub_title:
            return Content(title)
        return Content.assemble(
            Content(title), (" — ", "italic"), Content(sub_title).stylize("italic")
        )

    def watch_theme(self) -> None:
        """Every widget drawing with colours of its own draws again in the new theme's
        (``theme_changed``: :mod:`tutor.theme_styles`). CSS follows by itself."""
        _tell_every_node(list(self.screen_stack), "theme_changed")

    def choose_theme(self, name: str) -> None:
        """Switch to the theme ``name`` (the palette's choice) and keep it for the next start."""
        self.theme = name
        UiState(self.config.data_dir).remember("theme", name)

    def action_choose_theme(self) -> None:
        """The palette of themes to choose from (:class:`tutor.palette.TutorThemes`)."""
        from tutor.palette import TutorPalette, TutorThemes

        if not TutorPalette.is_open(self):
            self.push_screen(
                TutorPalette(
                    providers=[TutorThemes],
                    placeholder=self.tr("palette.theme_search"),
                    id="--theme-palette",
                )
            )

    def action_command_palette(self) -> None:
        """Textual's palette, with its words in the learner's language."""
        from tutor.palette import TutorPalette

        if self.use_command_palette and not TutorPalette.is_open(self):
            self.push_screen(
                TutorPalette(placeholder=self.tr("palette.search"), id="--command-palette")
            )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's notification, always as plain text (``markup`` is ignored; widgets pass
        Textual's default, ``True``, on every call): the tutor's notes carry a deck's titles,
        lesson ids, file names and the learner's words, and a title holding ``[/]`` crashed
        the app as the note was drawn. No note of the tutor's uses markup."""
        self.post_note(message, title=title, severity=severity, timeout=timeout)

    def notify_once(self, message: str, *, timeout: float | None = None) -> None:
        """Say ``message``, taking down the note of the same words this said before if it is
        still up: a refusal a key pressed again repeats word for word (ctrl+o with no CUDA)
        replaces its toast, not stacks another over what the learner reads, held down too
        (its repeats come before the first note is shown)."""
        # words whose note has gone are forgotten: the notes said once stay few
        self._said_once = {
            said: note for said, note in self._said_once.items() if not note.has_expired
        }
        if (said := self._said_once.get(message)) is not None:
            self.take_down(said)
        self._said_once[message] = self.post_note(message, timeout=timeout)

    def post_note(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
    ) -> Notification:
        """Post a note as Textual's ``App.notify`` does, as plain text (see :meth:`notify`), and
        return it, for :meth:`take_down` to take down later."""
        if timeout is None:
            timeout = self.NOTIFICATION_TIMEOUT
        note = Notification(message, title, severity, timeout, markup=False)
        if self.post_message(Notify(note)):
            self._notes_queued.add(note.identity)
        return note

    def take_down(self, note: Notification) -> None:
        """Take down one note of :meth:`post_note`'s, as a click on its toast does; one still
        to be shown (its Notify message not handled yet: a key's repeats, a screen left at
        once) is never shown (:meth:`on_notify`), one gone already stays gone. Textual's public
        way, ``clear_notifications``, takes down every note, those not read yet too."""
        if note.identity in self._notes_queued:
            self._taken_down_queued.add(note.identity)
        elif note in self._notifications:
            self._unnotify(note)

    def action_help_quit(self) -> None:
        """ctrl+c, which Textual binds to say how to quit (it copies in an editor): in the
        learner's language, naming the app's quit key (ctrl+q, on every screen) as the footer
        would draw it."""
        quits = next(b for b in TutorApp.BINDINGS if b.action == "quit")
        key = self.get_key_display(quits)
        self.notify(self.tr("app.quit_how", keys=key), title=self.tr("app.quit_title"))

    def action_toggle_lang(self) -> None:
        """Switch to the other language and keep it for the next start (as the theme is kept),
        over a ``--lang`` given for this session too: F2 is the learner's own choice."""
        self.lang = self.lang.other
        UiState(self.config.data_dir).remember(LANG_KEY, self.lang.value)
        self.notify(self.tr("app.lang_switched"), timeout=2)

    # ------------------------------------------------------------------------------ learning

    async def _open_learning(self) -> None:
        try:
            await self._open_store()
        finally:
            self._learning_settled.set()

    async def _open_store(self) -> None:
        def open_it() -> Any:
            from tutor.learning import Learning

            return Learning.open(self.config, self.library)

        try:
            learning = await asyncio.get_running_loop().run_in_executor(
                self._learning_pool, open_it
            )
        except ImportError:
            self.learning_error = "not installed"
            self.learning = None  # tells the screens that no store is coming
            return
        except Exception as exc:
            self.learning_error = self._open_failure(exc)
            said = self.tr("app.learning_failed", error=self.learning_error.rstrip(".。"))
            self.notify(said, severity="error", timeout=15)
            self.learning = None
            return
        self.learning = learning
        if learning.notice:  # a corrupt database was moved aside: say where, as progress is gone
            self.notify(learning.notice, severity="warning", timeout=15)

    def _open_failure(self, error: Exception) -> str:
        """Why the store did not open, as the CLI says it: the database and the data folder
        named, the common causes in the learner's language (SQLite's English for most)."""
        import sqlite3

        from tutor.learning import Access, StoreError
        from tutor.learning.open_failure import open_failure_line

        if isinstance(error, (StoreError, sqlite3.Error, OSError)):
            return open_failure_line(error, self.config, Access.WRITE)
        return f"{type(error).__name__}: {error}"

    async def learning_call(
        self,
        fn: Callable[[Any], Any],
        default: Any = None,
        *,
        failed: str | None = None,
        once: bool = False,
        failed_read: bool = False,
    ) -> Any:
        """``fn(learning)`` on the learning thread; ``default`` when there is no store. While the
        store is still opening, the call waits for it.

        When ``fn`` raises (the store locked past its busy timeout by another nn-tutor, a full
        disk, a read-only file), the learner is told, in a notice :meth:`_say_store_failed` makes:

        * A write names what could not be done in ``failed``: a catalogue key whose text takes
          the error's one line as ``{error}`` (``"review.rate_failed"``). The answer is then
          :data:`FAILED`, for the caller to leave the screen as it was. It is said every time
          (it answers what the learner just did), or with ``once`` only until a write works
          again (background writes: a locked store fails every step's, and one notice says so).
        * A read (no ``failed``) answers ``default``, and that progress could not be read is said
          once, until a read works again: what the screen shows may be incomplete.
        * A read with ``failed_read`` answers :class:`ReadFailed` instead, and nothing is said:
          its screen says in place that its data could not be read (the default would pass for
          the truth there: "Nothing due" for a queue that could not be read), and how to retry.
        """
        if self.learning is None:
            await self._learning_settled.wait()
        learning = self.learning
        if learning is None:
            return default
        kind = "read" if failed is None else "write"
        try:
            answer = await asyncio.get_running_loop().run_in_executor(
                self._learning_pool, fn, learning
            )
        except Exception as exc:
            self.log.error(f"learning call failed: {exc!r}")
            if failed is None:
                if failed_read:
                    return ReadFailed(store_error_words(exc, self.lang))
                self._say_store_failed("app.progress_not_read", exc, once_as=kind)
                return default
            self._say_store_failed(failed, exc, once_as=kind if once else None)
            return FAILED
        self._store_failures_told.discard(kind)  # the store works: its next failure is news
        return answer

    def _say_store_failed(self, key: str, error: Exception, *, once_as: str | None) -> None:
        """Tell the learner that the learning store failed: ``key``'s text around why, in one
        line as :func:`store_error_words` says it in the learner's language. ``once_as`` names a
        kind of call ("read", "write") whose failures are said once, until a call of that kind
        works; but a file moved aside is always news (the progress read until then is not in the
        new one)."""
        from tutor.learning.store import MovedAsideError  # loaded by then: a store failed

        moved = isinstance(error, MovedAsideError)  # always news: what was read is not there
        if once_as is not None and not moved:
            if once_as in self._store_failures_told:
                return
            self._store_failures_told.add(once_as)
        words = store_error_words(error, self.lang)
        self.notify(self.tr(key, error=words), severity="error", timeout=12 if moved else 8)

    def learning_fire(self, method: str, *args: Any) -> None:
        """Record something in the background (``learning.method(*args)``); a failure is said
        once, until a write works again (:meth:`learning_call`)."""
        if self.learning is None and self._learning_settled.is_set():
            return

        def call(learning: Any) -> Any:
            return getattr(learning, method)(*args)

        self.run_worker(
            self.learning_call(call, failed="app.progress_not_saved", once=True),
            group="learning-write",
            exit_on_error=False,
        )

    # ------------------------------------------------------------------------------- sandbox

    def start_sandbox(self) -> asyncio.Task[None]:
        """Start the sandbox, or the start under way. One that failed is tried again: what
        stopped it may be gone (torch slower to import than the start allows on a busy machine),
        and the learner who runs again asks for that."""
        task = self._sandbox_start
        if task is None or (task.done() and self.sandbox is None):
            self._sandbox_start = asyncio.create_task(self._start_sandbox())
        return self._sandbox_start

    async def _start_sandbox(self) -> None:
        self.sandbox_error = None
        try:
            from sandbox import AsyncSandbox, SandboxStartError
        except ImportError as exc:
            self.sandbox_error = f"sandbox package missing ({exc})"
            return
        box = AsyncSandbox()
        try:
            await box.start()
        except asyncio.CancelledError:  # the app is closing: the worker it was starting goes too
            with contextlib.suppress(Exception):
                await box.close()
            raise
        except SandboxStartError as exc:
            self.sandbox_error = exc.error
            return
        except Exception as exc:
            self.sandbox_error = f"{type(exc).__name__}: {exc}"
            return
        self.sandbox = box
        try:
            self.cuda = bool(await box.cuda_available())
        except Exception:
            self.cuda = False

    async def get_sandbox(self) -> Any:
        """The running sandbox, starting it (or waiting for its start) when needed."""
        if self.sandbox is not None:
            return self.sandbox
        await asyncio.shield(self.start_sandbox())
        if self.sandbox is None:
            raise SandboxUnavailable(self.sandbox_error or "unknown error")
        return self.sandbox

    async def close_sandbox(self) -> None:
        task, self._sandbox_start = self._sandbox_start, None
        if task is not None and not task.done():
            task.cancel()
        box, self.sandbox = self.sandbox, None
        if box is not None:
            with contextlib.suppress(Exception):
                await box.close()

    # ---------------------------------------------------------------------------- navigation

    def show_screen(self, screen: Screen, same: Callable[[Any], bool] = lambda _open: True) -> bool:
        """Show ``screen``, never stacking two screens of one kind; whether it is shown (or the
        one like it), ``False`` when something unsaved is in the way.

        Every way in (keys, the palette, a review card's lesson) comes here. Two screens of one
        kind cannot be open at once (their ids clash: ``DuplicateIds``), and esc would walk back
        through the repeat. So when one of ``screen``'s kind is open, the screens above it close:
        it stays when ``same(it)`` (the lesson asked for is the one open), and ``screen`` takes
        its place otherwise. Dialogs on top (help, deck problems) close before a full screen opens:
        they were about the screen underneath. Nothing closes while it holds a file's unsaved
        changes.
        """
        stack = self.screen_stack
        keep = len(stack)  # stack[:keep] stays open
        shown: Screen | None = screen
        open_at = next((i for i, s in enumerate(stack) if _same_kind(s, screen)), None)
        if open_at is not None:
            keep, shown = (open_at + 1, None) if same(stack[open_at]) else (open_at, screen)
        elif not isinstance(screen, ModalScreen):
            while keep > 1 and isinstance(stack[keep - 1], ModalScreen):
                keep -= 1
        closing = stack[keep:]
        if self._holds_unsaved(closing):
            return False
        if closing:
            self.run_worker(self._close_then_show(closing, shown), group="show-screen")
        elif shown is not None:
            self.push_screen(shown)
        return True

    def _holds_unsaved(self, closing: list[Screen]) -> bool:
        """Whether one of the ``closing`` screens holds a file's unsaved changes, or a lesson
        snippet's edits (kept nowhere); it is said to the learner, as nothing closes then."""
        said = self._unsaved_words(closing, "app.unsaved_first", "app.snippet_first")
        if said:
            self.notify(said, severity="warning")
        return bool(said)

    async def _close_then_show(self, closing: list[Screen], screen: Screen | None) -> None:
        """Pop the ``closing`` screens, then push ``screen``: only once the one it replaces is
        gone, or their ids would clash."""
        while len(self.screen_stack) > 1 and self.screen in closing:
            await self.pop_screen()
        if screen is not None:
            await self.push_screen(screen)

    def open_lesson(self, lesson_id: str, step: int | None = None, *, look: bool = False) -> None:
        """Open a lesson at ``step``; the one already open stays, where it is unless ``step``
        names another (a review card's lesson, opened over it). ``look``: to look at that step
        only (a review card's), leaving the saved position where the learner had got to."""
        lesson = self.library.lesson(lesson_id) if self.library is not None else None
        if lesson is None:
            self.notify(self.tr("app.no_such_lesson", id=lesson_id), severity="warning")
            return
        from tutor.screens.lesson import LessonScreen

        def is_this(screen: Any) -> bool:
            return isinstance(screen, LessonScreen) and screen.lesson_id == lesson_id

        already = self._open_lesson_screen(lesson_id)
        if not self.show_screen(LessonScreen(lesson_id, step=step, look=look), is_this):
            return
        if already is not None and step is not None:
            shown = max(0, min(step, len(lesson.steps) - 1))
            already.look_at = shown if look else None
            already.index = shown
        self.remember_last_lesson(lesson_id)
        if lesson.prerequisites and lesson_id not in self._told_take_first:
            self._take_first_due.add(lesson_id)
            self.run_worker(self._say_take_first(lesson), group="take-first", exit_on_error=False)

    def _open_lesson_screen(self, lesson_id: str) -> Any:
        """The screen showing ``lesson_id``, if that lesson is open."""
        from tutor.screens.lesson import LessonScreen

        return next(
            (
                s
                for s in self.screen_stack
                if isinstance(s, LessonScreen) and s.lesson_id == lesson_id
            ),
            None,
        )

    async def _say_take_first(self, lesson: Any) -> None:
        """Say once which lessons the course map would have a learner take before ``lesson``
        (its 🔒): lessons are never locked, only advised. Not said where the learner acted
        before the store answered (:meth:`withdraw_take_first`): it lay over what the act showed;
        never said, it is said as the lesson opens again."""
        from tutor.widgets.progress import waiting_prerequisites

        def waiting(learning: Any) -> list[str]:
            return waiting_prerequisites(lesson, learning.lesson_progress)

        first = await self.learning_call(waiting, list(lesson.prerequisites))
        due = lesson.id in self._take_first_due
        self._take_first_due.discard(lesson.id)
        if not first or not due:
            return
        self._told_take_first.add(lesson.id)
        said = self.tr(
            "app.take_first",
            title=self._lesson_title(lesson.id),
            lessons=quoted_list((self._lesson_title(p) for p in first), self.lang),
            count=len(first),
        )
        self._take_first_notes.append(self.post_note(said, timeout=8))

    def withdraw_take_first(self) -> None:
        """Take down the "best to take first" notes still shown: the learner acts on the lesson
        (runs or checks its step, answers, takes a hint, moves on), and the toast lay over
        what that shows for the rest of its 8 s (a check's verdict, a trace's first rows).
        A notice still waiting for the store's answer is not said."""
        self._take_first_due.clear()
        notes, self._take_first_notes = self._take_first_notes, []
        for note in notes:
            self.take_down(note)

    def on_notify(self, event: Notify) -> None:
        """A note taken down between its posting and this message, which Textual's own handler
        (after this one) shows it on, is not shown (:meth:`take_down`)."""
        identity = event.notification.identity
        self._notes_queued.discard(identity)
        if identity in self._taken_down_queued:
            self._taken_down_queued.discard(identity)
            event.prevent_default()

    def _lesson_title(self, lesson_id: str) -> str:
        """A lesson's title in the learner's language; its id when there is no such lesson."""
        lesson = self.library.lesson(lesson_id) if self.library is not None else None
        return localize(lesson.title, self.lang) if lesson is not None else lesson_id

    def open_sandbox(
        self, code: str | None = None, file: str | None = None, *, trace: bool = False
    ) -> None:
        """Open a sandbox, with the hook trace on where ``trace``; one open for the same code or
        file stays (see ``SandboxScreen.source``)."""
        from tutor.screens.sandbox_screen import SandboxScreen

        screen = SandboxScreen(code=code, file=file, trace=trace)
        self.show_screen(screen, lambda s: s.source == screen.source)

    def action_home(self) -> None:
        """Back to the course map, closing every screen above it; none closes while one holds a
        file's unsaved changes (as for any other screen shown: :meth:`show_screen`)."""
        closing = self.screen_stack[1:]
        if closing and not self._holds_unsaved(closing):
            self.run_worker(self._close_then_show(closing, None), group="show-screen")

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.show_screen(HelpScreen(self.screen))

    def action_review(self, deck_id: str | None = None) -> None:
        screen = _screen_class("tutor.screens.review", "ReviewScreen")
        if screen is None:
            self.notify(self.tr("app.not_yet", what=self.tr("screen.review")), severity="warning")
            return
        self.show_screen(screen(deck_id=deck_id), lambda s: s.deck_id == deck_id)

    def action_stats(self) -> None:
        screen = _screen_class("tutor.screens.stats", "StatsScreen")
        if screen is None:
            self.notify(self.tr("app.not_yet", what=self.tr("screen.stats")), severity="warning")
            return
        self.show_screen(screen())

    def action_sandbox(self) -> None:
        self.open_sandbox()

    def action_shape_game(self) -> None:
        from tutor.screens.shape_guesser import ShapeGuesserScreen

        self.show_screen(ShapeGuesserScreen())

    def action_bug_game(self) -> None:
        from tutor.screens.bug_hunt import BugHuntScreen

        self.show_screen(BugHuntScreen())

    def action_problems(self) -> None:
        from tutor.screens.problems import ProblemsScreen

        self.show_screen(ProblemsScreen())

    # ------------------------------------------------------------------------------ ui state

    def ui_state(self) -> dict[str, Any]:
        """What the app remembers between sessions (the last lesson, the theme, the language);
        nothing when the file is gone, damaged, or holds JSON of another shape (see
        :class:`UiState`)."""
        return UiState(self.config.data_dir).read()

    def remember_last_lesson(self, lesson_id: str) -> None:
        UiState(self.config.data_dir).remember("last_lesson", lesson_id)
