"""What every nn-tutor screen shares: localized key bindings and language switching."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from tutor.i18n import tr
from tutor.watchers import stop_watching

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from tutor.app import TutorApp
    from tutor.widgets.editor import KeptEditor

CATALOG_PREFIX = "k."
"""Descriptions of the tutor's own bindings are catalog keys (``k.next``)."""


def is_tutor_binding(active: ActiveBinding) -> bool:
    """Whether a binding is one of the tutor's own (not a Textual widget's built-in key)."""
    return active.binding.description.startswith(CATALOG_PREFIX)


def _passes_scroll_on(active: ActiveBinding) -> bool:
    """Whether ``active`` is a widget's scroll key that it cannot act on (nothing to scroll that
    way), so Textual hands the key on to the widget's parents."""
    action, node = active.binding.action, active.node
    if action in ("scroll_left", "scroll_right"):
        return not getattr(node, "allow_horizontal_scroll", False)
    if action in ("scroll_up", "scroll_down"):
        return not getattr(node, "allow_vertical_scroll", False)
    return False


def _editors(node: DOMNode, state: str) -> Iterator[KeptEditor]:
    """The editors in ``node`` whose ``state`` (a property of :class:`KeptEditor`) is true."""
    # imported here: the editor brings TextArea, ~40 ms a start spends on no screen of its own
    from tutor.widgets.editor import KeptEditor

    return (editor for editor in node.query(KeptEditor) if getattr(editor, state))


def held_editor(node: DOMNode) -> KeptEditor | None:
    """The first editor in ``node`` whose saving is held for a change made to its file
    elsewhere (:attr:`KeptEditor.held`); ``None`` where none is (or none is mounted yet)."""
    return next(_editors(node, "held"), None)


def localize_bindings(
    bindings: dict[str, ActiveBinding], lang: Any, *, only_tutor: bool = False
) -> dict[str, ActiveBinding]:
    """Show catalog descriptions in the current language; ``only_tutor`` drops Textual's own
    keys (scrolling, copy...), whose English descriptions have no translation."""
    out: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        if not is_tutor_binding(active):
            if not only_tutor:
                out[key] = active
            continue
        binding = replace(active.binding, description=tr(active.binding.description, lang))
        out[key] = active._replace(binding=binding)
    return out


class LangMixin:
    """Calls :meth:`on_lang` whenever the app's language changes, and refreshes the footer.

    The app calls :meth:`lang_changed` on each screen in its stack, and on each widget in them
    that has one (``TutorApp.watch_lang``): a screen watching the app's ``lang`` itself stayed in
    the app's list of watchers, and alive with every widget it held, until the language next
    changed (~40 MB a walk of the course)."""

    def lang_changed(self) -> None:
        self.refresh_bindings()  # type: ignore[attr-defined]
        self.on_lang()

    def on_lang(self) -> None:
        """Re-render every string; override."""

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.app.lang, **values)  # type: ignore[attr-defined]


class TutorScreenMixin(LangMixin):
    """The tutor's side of a screen or dialog; mixed in before Textual's screen class."""

    FOOTER_SPARE: ClassVar[tuple[str, ...]] = ()
    """Actions whose keys the footer leaves out first when they do not all fit
    (:class:`~tutor.widgets.fitting_footer.FittingFooter`)."""

    @property
    def tutor(self) -> TutorApp:
        return self.app  # type: ignore[attr-defined,no-any-return]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localize_bindings(super().active_bindings, self.app.lang)  # type: ignore[misc,attr-defined]

    def set_label(self, button_id: str, label: str) -> None:
        """Label a button and let it take the new label's width: Textual sizes an auto-width
        button once, so after F2 a longer label ("Cancel" after "取消") would be cut to the
        old one's width, and a shorter one would leave a gap."""
        button = self.query_one(f"#{button_id}", Button)  # type: ignore[attr-defined]
        button.label = label
        button.refresh(layout=True)

    def on_unmount(self) -> None:
        stop_watching(self.app, self)  # type: ignore[attr-defined]

    def lang_changed(self) -> None:
        super().lang_changed()
        self._word_header_icon()

    def on_screen_resume(self) -> None:
        # (Textual calls a subclass's on_screen_resume as well.) By now the Header's icon has
        # mounted, and set Textual's own English tooltip.
        self._word_header_icon()

    def _word_header_icon(self) -> None:
        """The 🧠 header icon's hover tooltip in the learner's language: Textual words it in
        English ("Open the command palette") whatever the language."""
        for icon in self.query("HeaderIcon"):  # type: ignore[attr-defined]
            if not icon.disabled:  # a disabled icon (no palette) has no tooltip
                icon.tooltip = self.t("app.palette_tooltip")

    @property
    def held_file(self) -> str | None:
        """The name of the file of an editor here that stopped saving for a change made to it
        elsewhere (:attr:`KeptEditor.held`): leaving would lose its code, as an unsaved file's."""
        return self._editor_file("held")

    @property
    def unkept_file(self) -> str | None:
        """The name of the file of an editor here whose code is not in it (:attr:`KeptEditor.
        unkept`: held, or its last save failed): quitting would lose it."""
        return self._editor_file("unkept")

    def _editor_file(self, state: str) -> str | None:
        """The file name of the first editor here whose ``state`` (a property) is true."""
        for editor in _editors(self, state):  # type: ignore[arg-type]
            if editor.scratch is not None:
                return editor.scratch.path.name
        return None

    def tutor_bindings(self) -> dict[str, ActiveBinding]:
        """Only the tutor's own keys, localized: what Help lists.

        A key that a focused widget holds to scroll with (an option list's ← →) goes on to the
        screen when the widget has nothing to scroll that way (Textual's scroll actions skip
        then): the screen's own binding of it is what the key does, and what Help names."""
        active = dict(super().active_bindings)  # type: ignore[misc]
        own = self._bindings.key_to_bindings  # type: ignore[attr-defined]
        for key, holder in active.items():
            mine = [b for b in own.get(key, []) if b.description.startswith(CATALOG_PREFIX)]
            if mine and not is_tutor_binding(holder) and _passes_scroll_on(holder):
                active[key] = ActiveBinding(self, mine[0], True, mine[0].tooltip)  # type: ignore[arg-type]
        return localize_bindings(active, self.app.lang, only_tutor=True)  # type: ignore[attr-defined]


class TutorScreen(TutorScreenMixin, Screen):
    """A full screen of the tutor."""


RELOAD = Binding("ctrl+l", "reload", "k.reload")
"""ctrl+l of a :class:`ReloadsHeldEditor`, in its ``BINDINGS``."""


class ReloadsHeldEditor:
    """ctrl+l (:data:`RELOAD`) from anywhere on a screen or a lesson's step that holds a
    :class:`KeptEditor`, not only in the editor (which has its own ctrl+l): while the editor's
    saving is held for a change made to its file elsewhere, that file's code in place of the
    learner's (:meth:`KeptEditor.action_reload`). Mixed in before the Textual class, whose
    ``check_action`` must end in ``super()``'s.

    Not on every :class:`TutorScreen`: a screen whose ``check_action`` allows what it does not
    name (Home's) would show the key with no editor; nor bound from a step as
    ``screen.reload``, which names the screen on top, Help's while it lists the step's keys."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reload":
            return held_editor(self) is not None  # type: ignore[arg-type]
        return super().check_action(action, parameters)  # type: ignore[misc,no-any-return]

    def action_reload(self) -> None:
        if (editor := held_editor(self)) is not None:  # type: ignore[arg-type]
            editor.action_reload()
            editor.focus()  # where the ^z the warning promised brings the learner's code back


class TutorModal(TutorScreenMixin, ModalScreen):
    """A dialog of the tutor. It closes with its keys (esc), with a click on its ✕ Close button
    (:meth:`compose_close`, which subclasses put in their box) and with a click outside its
    box, as Textual's command palette does: a learner with only a mouse is never shut in."""

    DEFAULT_CSS = """
    TutorModal .modal-foot {
        dock: bottom;  /* in sight below a box that scrolls (Help at 80×24) */
        height: 2;
        padding-top: 1;
        background: $panel;
    }
    TutorModal #modal-close {
        margin-right: 2;
    }
    TutorModal .modal-foot-hint {
        width: auto;
        text-style: italic;  /* set apart as the tutor's muted text is: $text-muted read 4.3:1 */
    }
    """

    # A modal screen stops the keys at itself: the app's own F2 and ctrl+c (which says how to
    # quit) would never be reached.
    BINDINGS: ClassVar = [
        Binding("f2", "app.toggle_lang", "k.lang", show=False),
        Binding("ctrl+c", "app.help_quit", show=False),
    ]

    def compose_close(self) -> ComposeResult:
        """The dialog's last row: a ✕ Close button, and the key that closes it too."""
        with Horizontal(classes="modal-foot"):
            close = Button(id="modal-close", compact=True)
            close.styles.height = 1  # over app.tcss's Button (3 rows, for a border it has not)
            yield close
            yield Static(classes="modal-foot-hint")

    def lang_changed(self) -> None:
        super().lang_changed()
        self._word_close()

    def on_mount(self) -> None:
        # (Textual calls a subclass's on_mount as well)
        self._word_close()

    def _word_close(self) -> None:
        if self.query("#modal-close"):
            self.set_label("modal-close", f"✕ {self.t('k.close')}")
            self.query_one(".modal-foot-hint", Static).update(self.t("help.foot"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "modal-close":
            event.stop()
            self.action_close()

    def on_click(self, event: events.Click) -> None:
        """A click outside the box (on the dimmed screen around it) closes the dialog."""
        if self.get_widget_at(event.screen_x, event.screen_y)[0] is self:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss()
