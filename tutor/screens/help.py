"""Help (``?``): the keys of the screen underneath, in the current language."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tutor.screens.base import TutorModal, TutorScreenMixin, localize_bindings
from tutor.widgets.editor import KeptEditor
from tutor.widgets.step_exercise import ExerciseStepView


def key_shown(binding: Binding) -> str | None:
    """How Help names ``binding``'s key: a letter as itself, though the binding shows another
    key's symbol in the footer (the lesson's ``n`` bound with → as "→": Help never named n, and
    on a wide diagram, whose → scrolls it, said → went on); else the binding's own display."""
    if len(binding.key) == 1 and binding.key.isalpha():
        return binding.key
    return binding.key_display


class HelpScreen(TutorModal):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar = [
        Binding("escape,q,question_mark,f1", "close", "k.close", key_display="esc"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__(id="help")
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(id="help-title")
            yield Static(id="help-keys")
            yield Static(id="help-notes")  # what the screen underneath's marks mean, if any
            yield Static(id="help-more")  # "↓ more below", while there is (see _show_more)
            yield from self.compose_close()

    def on_mount(self) -> None:
        self.on_lang()
        # The keys follow the screen underneath as its bindings change while Help is open: after
        # F2 a lesson rebuilds its step, and the step's keys are back only once it is mounted
        # and focused, after this screen's own on_lang has read them.
        self.under.bindings_updated_signal.subscribe(self, self._under_changed)
        box = self.query_one("#help-box", VerticalScroll)
        for reactive_name in ("scroll_y", "virtual_size", "show_vertical_scrollbar"):
            self.watch(box, reactive_name, self._show_more)

    def on_resize(self) -> None:
        # a taller terminal can bring the end into view without moving the box's scroll
        self.call_after_refresh(self._show_more)

    def _show_more(self) -> None:
        """Say "↓ more below" in the blank row over the Close row while the box holds rows below
        its fold: at 80×24 the box ended at a wrapped row with that blank row under it, which
        read as the end of the keys. Where everything fits, or once scrolled to the end, the
        row is blank again."""
        box = self.query_one("#help-box", VerticalScroll)
        box.set_class(box.scroll_y < box.max_scroll_y, "-more")

    def on_unmount(self) -> None:
        # (Textual calls the base class's on_unmount as well: it stops watching the language)
        self.under.bindings_updated_signal.unsubscribe(self)

    def _under_changed(self, _under: Screen) -> None:
        self._show_keys()

    def _under_bindings(self) -> dict[str, ActiveBinding]:
        under = self.under
        if isinstance(under, TutorScreenMixin):
            return under.tutor_bindings()
        return localize_bindings(under.active_bindings, self.tutor.lang, only_tutor=True)

    def key_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the screen underneath; keys doing the same share a row.
        Letters that an exercise step underneath types into its editor (see
        :meth:`typed_into_editor`) share a row that says so, last."""
        rows: dict[str, list[str]] = {}
        typed: list[str] = []
        for active in self._under_bindings().values():
            binding = active.binding
            if self.typed_into_editor(binding.key):
                typed.append(binding.key)
                continue
            if binding.action.endswith("command_palette"):
                description = self.t("help.palette")
            else:
                description = binding.description
            shown = key_shown(binding) or self.app.get_key_display(binding)
            keys = rows.setdefault(description, [])
            if shown not in keys:
                keys.append(shown)
        if typed:
            rows[self.t("help.typed_into_editor")] = sorted(set(typed))
        return [(" ".join(keys), description) for description, keys in rows.items()]

    def typed_into_editor(self, key: str) -> bool:
        """Whether ``key`` (a letter, say) goes into the code editor of an exercise step
        underneath, with the focus where it is there, rather than to what it is bound to: a
        learner typing their fix off the editor hit ``n``, ``p`` and ``q``, which left the step
        (see :meth:`ExerciseStepView.types_key`)."""
        if len(key) != 1:  # a named key ("question_mark", "space") is never one of them here
            return False
        steps = [step for step in self.under.query(ExerciseStepView) if step.is_attached]
        return any(step.types_key(key, key) for step in steps)

    def on_lang(self) -> None:
        self.query_one("#help-title", Static).update(
            Text(f"⌨ {self.t('help.title')}", style="bold")
        )
        self.query_one("#help-more", Static).update(self.t("help.more"))
        self._show_keys()
        self._show_notes()

    def _show_notes(self) -> None:
        """What the screen underneath says besides its keys (the course map: its marks)."""
        notes = self.query_one("#help-notes", Static)
        help_notes = getattr(self.under, "help_notes", None)
        notes.display = help_notes is not None
        if help_notes is not None:
            notes.update(help_notes())

    def theme_changed(self) -> None:
        """The keys' colour is the theme's accent, given to the table as drawn: drawn again in
        the new theme's (see :meth:`_show_keys` for where it is read)."""
        self._show_keys()

    def _show_keys(self) -> None:
        """The table of the keys of the screen underneath, as they are now."""
        table = Table.grid(padding=(0, 2))
        # A Rich table knows no Textual variables ("$accent"): give it the theme's colour, worked
        # out from the theme now. ``App.theme_variables`` keeps the last theme's until the app
        # gets to its CSS refresh (queued on the app as the theme changes), and a redraw
        # waiting for Help's own refresh could run first: the keys kept dracula's accent on
        # textual-light (1.55:1).
        accent = self.app.get_css_variables().get("accent", "cyan")
        table.add_column(style=f"bold {accent}", no_wrap=True)
        table.add_column(overflow="fold")
        for keys, description in self.key_rows():
            table.add_row(keys, description)
        editor_rows = self.editor_rows()
        if editor_rows:
            table.add_row("", "")
            table.add_row(Text(self.t("help.editor"), style="bold"), "")
            for keys, description in editor_rows:
                table.add_row(keys, description)
        self.query_one("#help-keys", Static).update(table)

    def editor_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) of the code editor, where the screen underneath has one that
        takes typing (the sandbox, an exercise): Textual's TextArea binds them, not the screen,
        so its bindings never name them. Only those a learner reaches for; ^a and ^e move to
        the line's start and end there, F7 selects all."""
        if not any(not editor.read_only for editor in self.under.query(KeptEditor)):
            return []
        return [
            ("enter", self.t("help.editor.enter")),
            ("tab", self.t("help.editor.tab")),
            ("shift+tab", self.t("help.editor.dedent")),
            ("^z", self.t("help.editor.undo")),
            ("^y", self.t("help.editor.redo")),
            ("^x ^c ^v", self.t("help.editor.clipboard")),
            ("shift+← → ↑ ↓", self.t("help.editor.select")),
            ("f7", self.t("help.editor.select_all")),
        ]
