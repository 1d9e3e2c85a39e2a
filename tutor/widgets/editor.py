"""The code editor: a TextArea with Python highlighting when tree-sitter is there, plain otherwise,
that can keep its text in a :class:`~tutor.scratch.ScratchFile` (:class:`KeptEditor`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache, partial
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea
from textual.widgets.text_area import Location, Selection, TextAreaTheme

from tutor.i18n import tr
from tutor.scratch import ChangedOnDiskError, ScratchFile
from tutor.theme_styles import DARK, READABLE_LIGHT_EDITOR, app_styles


@cache
def python_highlighting() -> bool:
    """Whether tree-sitter and its Python grammar are installed (``textual[syntax]``)."""
    try:
        from textual._tree_sitter import TREE_SITTER, get_language

        return bool(TREE_SITTER) and get_language("python") is not None
    except Exception:
        return False


def code_before_comment(line: str) -> str:
    """``line`` up to its ``#`` comment, if it has one outside a string (``x = 1  # note:``
    ends in no colon of code)."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#":
            return line[:index]
    return line


def leading_space(line: str) -> str:
    """The spaces and tabs ``line`` starts with: its indentation."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def one_stop_less(indent: str, width: int) -> str:
    """``indent`` one level less: less its last tab (a tab is a level), or less the spaces back
    to the indent stop before it (a multiple of ``width`` columns), as a code editor dedents:
    seven spaces go back to four, eight to four, two to none."""
    if indent.endswith("\t"):
        return indent[:-1]
    spaces = len(indent) - len(indent.rstrip(" "))
    columns = len(indent.expandtabs(width))
    stop_before = (columns - 1) // width * width if columns else 0
    return indent[: len(indent) - min(spaces, columns - stop_before)]


def selected_rows(selection: Selection) -> range:
    """The lines a selection covers, as a code editor's tab and shift+tab take them: where it
    ends at a line's very start, that line is not in it (three whole lines selected with
    shift+down end on the fourth)."""
    top, bottom = sorted(selection)
    last = bottom[0] - 1 if bottom[0] > top[0] and bottom[1] == 0 else bottom[0]
    return range(top[0], last + 1)


class KeptEditor(TextArea):
    """A code editor that keeps its text in a :class:`ScratchFile` once :meth:`keep_in` names one:
    saved ``SAVE_DELAY`` seconds after typing stops, and when the editor is removed (the learner
    leaves the screen, or quits).

    Where the file was changed elsewhere (another nn-tutor open on the same sandbox or exercise)
    the editor stops saving and says so: ``ctrl+s`` then writes the learner's code over that
    change, ``ctrl+l`` loads the file's code instead (one edit: ``ctrl+z`` brings theirs back).
    """

    # Only while saving is held for a change on disk (check_action): otherwise ctrl+s is the
    # screen's (the sandbox's), and the footer shows neither.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep", "k.save"),
        Binding("ctrl+l", "reload", "k.reload"),
        # Not the screen's focus_previous (esc leaves the editor); Help names it (editor_rows)
        Binding("shift+tab", "dedent", "Dedent", show=False),
    ]

    SAVE_DELAY = 1.0

    class SaveFailed(Message):
        """The text could not be saved; posted once, until a save works again."""

        def __init__(self, error: OSError) -> None:
            super().__init__()
            self.error = error

    scratch: ScratchFile | None = None
    _save_timer: Timer | None = None
    _failing = False  # the last save failed (a full disk, a read-only folder)
    _held = False  # not saved by itself: its file was changed elsewhere

    def _recompute_cursor_offset(self) -> None:
        """Where the cursor is drawn, for a cursor clamped into the document (the fix of
        Textual's PR #6687 for textual#6686, not yet released in 8.2.8).

        Undo and redo put the text back before they put the selection back; a scrollbar that
        comes or goes in between scrolls to the cursor, which may still sit on a line the text
        no longer has: Textual raised ``ValueError`` and the app exited. Only the drawn offset
        uses the clamped place; the selection is left to the undo, which sets it right after.
        """
        self._cursor_offset = self.wrapped_document.location_to_offset(
            self.clamp_visitable(self.cursor_location)
        )

    async def _on_key(self, event: events.Key) -> None:
        """Enter starts the new line at the current line's indentation, one level deeper after
        a line ending in ``:`` (a ``for``, a ``def``), as a code editor does; Textual's own
        Enter starts it at column 0. Tab with a selection over several lines indents them, where
        Textual's would replace them with spaces. Other keys are Textual's."""
        if self.read_only:
            return
        start, end = self.selection
        if event.key == "enter":
            indent = self.indent_after(min(start, end))  # a selection replaced: where it begins
            self.replace("\n" + indent, start, end, maintain_selection_offset=False)
        elif event.key == "tab" and self.tab_behavior == "indent" and start[0] != end[0]:
            self.reindent(self.one_stop_more)
        else:
            return
        event.stop()
        event.prevent_default()  # Textual's TextArea would put in a newline or spaces as well

    def indent_after(self, location: tuple[int, int]) -> str:
        """The indentation a line broken at ``location`` goes on with: that of the line's text
        before it, one level more where that text ends in ``:``."""
        row, column = location
        before = self.document[row][:column]
        indent = leading_space(before)
        if code_before_comment(before).rstrip().endswith(":"):
            indent += self.tab_level(indent) or " " * self.indent_width
        return indent

    def tab_level(self, indent: str) -> str:
        """A tab where a level of ``indent`` is a tab (a tab-indented file's own, or an
        editor set to indent with tabs: four spaces there would be a TabError), else nothing."""
        return "\t" if "\t" in indent or self.indent_type == "tabs" else ""

    def one_stop_more(self, indent: str) -> str:
        """``indent`` one level more: a tab more, or spaces on to the next indent stop."""
        columns = len(indent.expandtabs(self.indent_width))
        return indent + (
            self.tab_level(indent) or " " * (self.indent_width - columns % self.indent_width)
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("keep", "reload"):
            return self._held
        if action == "dedent":  # elsewhere shift+tab moves the focus back, as Textual's does
            return not self.read_only and self.tab_behavior == "indent"
        return super().check_action(action, parameters)

    def action_dedent(self) -> None:
        """shift+tab: the cursor's line, or every line of the selection, one level less."""
        self.reindent(partial(one_stop_less, width=self.indent_width))

    def action_delete_left(self) -> None:
        """Backspace with only spaces and tabs before the cursor (no selection) goes back a
        level, to the indent stop before it, as a code editor's does: one space at a time, the
        line after an auto-indented one needed four presses to end a block, and three left it
        a space off (an ``IndentationError``). Elsewhere it is Textual's."""
        row, column = self.cursor_location
        before = self.document[row][:column]
        if self.read_only or not self.selection.is_empty or not before or before.strip():
            super().action_delete_left()
            return
        kept = len(one_stop_less(before, self.indent_width))
        self.replace_alone("", (row, kept), (row, column))
        self.selection = Selection.cursor((row, kept))

    def replace_alone(self, text: str, start: Location, end: Location) -> None:
        """Replace as an undo step of its own, not one with the typing around it: one ``ctrl+z``
        takes back a dedent or an indent, and nothing more."""
        self.history.checkpoint()
        self.replace(text, start, end, maintain_selection_offset=False)
        self.history.checkpoint()

    def reindent(self, change: Callable[[str], str]) -> None:
        """Give each line of the selection (the cursor's line, without one) the indentation
        ``change`` makes of its own, empty lines left empty, as one edit: one ``ctrl+z`` takes
        it back. The selection (or cursor) stays on the text it was on."""
        if self.read_only:
            return
        rows = selected_rows(self.selection)
        lines = [self.document[row] for row in rows]
        changed = [
            change(leading_space(line)) + line.lstrip(" \t") if line else line for line in lines
        ]
        if changed == lines:
            return
        start, end = self.selection
        shift = {
            row: len(new) - len(old) for row, old, new in zip(rows, lines, changed, strict=True)
        }

        def moved(location: Location) -> Location:
            """``location`` on its line's text as re-indented; the line's start stays put."""
            row, column = location
            return (row, column and max(0, column + shift.get(row, 0)))

        self.replace_alone("\n".join(changed), (rows[0], 0), (rows[-1], len(lines[-1])))
        self.selection = Selection(moved(start), moved(end))

    def on_mount(self) -> None:
        self.theme_changed()

    def theme_changed(self) -> None:
        """A code editor's highlighting follows the app's theme, as the code views' does; an
        editor made with another theme keeps it."""
        if self.has_class("code-editor"):
            self.theme = app_styles(self.app).editor

    def keep_in(self, scratch: ScratchFile) -> KeptEditor:
        """Keep the text in ``scratch``, which holds it already: read from it, or kept earlier in
        this session (an exercise shown again) when ``scratch`` did not read its file."""
        if not scratch.known:
            scratch.assume_saved(self.text)
        self.scratch = scratch
        return self

    @property
    def held(self) -> bool:
        """Whether saving stopped for a change made to its file elsewhere: leaving the screen
        would lose the text (the screen asks first, as for an unsaved file)."""
        return self.scratch is not None and self._held

    @property
    def unkept(self) -> bool:
        """Whether the text here is not in its file: the last save failed, or saving stopped for
        a change made elsewhere. Quitting then would lose it."""
        return self.scratch is not None and (self._failing or self._held)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.scratch is None:
            return
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(self.SAVE_DELAY, self._autosave)

    def on_unmount(self) -> None:
        if self._save_timer is not None or self._failing:  # typed lately, or not kept yet
            self._autosave()

    def save(self) -> None:
        """Keep the text now (nothing happens without a scratch file); raises ``OSError``, and
        :class:`~tutor.scratch.ChangedOnDiskError` once for a change made elsewhere: the next
        save writes over it."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.scratch is None:
            return
        try:
            self.scratch.save(self.text)
        except ChangedOnDiskError:
            self._hold(True)
            raise
        except OSError:
            self._failing = True
            raise
        self._failing = False
        self._hold(False)

    def _hold(self, held: bool) -> None:
        """Stop (or go on) saving by itself; the footer shows ctrl+s and ctrl+l while stopped."""
        if held != self._held:
            self._held = held
            self.refresh_bindings()

    def _autosave(self) -> None:
        if self._held:  # the learner decides: ctrl+s or ctrl+l
            return
        was_failing = self._failing
        try:
            self.save()
        except ChangedOnDiskError:
            self._say("editor.changed_on_disk")
        except OSError as error:
            if not was_failing:
                self.post_message(self.SaveFailed(error))

    def _say(self, key: str, *, warning: bool = True) -> None:
        """Tell the learner ``key`` (naming the file) in their language: a warning, or news."""
        assert self.scratch is not None
        said = tr(key, self.app.lang, file=self.scratch.path.name)  # type: ignore[attr-defined]
        if warning:
            self.notify(said, severity="warning", timeout=10)
        else:
            self.notify(said)

    def action_keep(self) -> None:
        """ctrl+s while saving is held: write the learner's code over the change made elsewhere
        (warned of once more if the file changed again since)."""
        try:
            self.save()
        except ChangedOnDiskError:
            self._say("sb.changed_on_disk")
            return
        except OSError as error:
            self.post_message(self.SaveFailed(error))
            return
        self._say("editor.saved_over", warning=False)

    def action_reload(self) -> None:
        """ctrl+l while saving is held: the file's code in place of the learner's, as one edit
        that ctrl+z undoes; saving goes on from there."""
        if self.scratch is None:
            return
        text = self.scratch.load(self.app.lang)  # type: ignore[attr-defined]
        self._failing = False
        self._hold(False)
        put_back(self, text)


@cache
def readable_light_editor() -> TextAreaTheme:
    """Textual's github_light with line numbers that read (5:1): its gutter's #BBBBBB read 1.7:1
    on its #F0F0F0 (2.1:1 on the cursor's line), and an error names the line it failed at."""
    theme = TextAreaTheme.get_builtin_theme("github_light")
    assert theme is not None
    return replace(
        theme,
        name=READABLE_LIGHT_EDITOR,
        gutter_style=Style(color="#666666", bgcolor="#f0f0f0"),
        cursor_line_gutter_style=Style(color="#444444", bgcolor="#ebebeb"),
    )


def code_editor(
    text: str, *, id: str | None = None, keep_in: ScratchFile | None = None
) -> KeptEditor:
    """The editor for Python code; with ``keep_in``, one that keeps its text there."""
    editor = KeptEditor.code_editor(
        text,
        language="python" if python_highlighting() else None,
        theme=DARK.editor,  # until mounted, where it follows the app's theme
        id=id,
        soft_wrap=False,
    )
    editor.add_class("code-editor")
    editor.register_theme(readable_light_editor())  # the light themes' (see Styles.editor)
    if keep_in is not None:
        editor.keep_in(keep_in)
    return editor


def put_back(editor: TextArea, text: str) -> bool:
    """Replace all of ``editor``'s text with ``text`` (starter code) as one edit, so ``ctrl+z``
    brings the learner's code back; ``load_text`` would clear the undo history. A kept editor
    saves the result as it saves typing. Returns whether the text changed."""
    if editor.text == text:
        return False
    editor.replace(text, editor.document.start, editor.document.end)
    return True


def put_in_whole_last(editor: TextArea) -> bool:
    """Whether the editor's last undoable edit put in all the text it holds now, in one piece
    (``ctrl+n``'s starter, a paste over everything), and nothing was typed since."""
    batches = editor.history.undo_stack
    if not batches or len(batches[-1]) != 1:
        return False
    edit = batches[-1][0]
    return edit.top == (0, 0) and edit.text == editor.text


def translate_starter(editor: TextArea, text: str) -> bool:
    """Show the starter in another language (``text``) as :func:`put_back` does, so that one
    ``ctrl+z`` still brings back what was there before it: where ``ctrl+n`` put the starter in
    (the last edit), the translation takes that edit's place in the undo history, rather than
    becoming a step that would undo to the starter in the other language. Returns whether the
    text changed."""
    if editor.text == text:
        return False
    if put_in_whole_last(editor):
        editor.undo()  # the learner's code, whose undo step the translated starter replaces
    put_back(editor, text)
    return True


def mark_line(editor: TextArea, line: int | None, ran: str) -> None:
    """Select the learner's failing line (1-based) of the code that ran (``ran``) so it stands
    out, and scroll to it. Not in code edited since: its number may name another line now, and
    selecting under the learner's cursor would let their next key replace it."""
    if editor.text != ran or line is None or line < 1 or line > editor.document.line_count:
        return
    editor.select_line(line - 1)
    editor.scroll_cursor_visible(center=True)
