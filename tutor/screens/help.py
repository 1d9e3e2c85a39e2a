"""Help (``?``): the keys of the screen underneath, in the current language."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tutor.screens.base import TutorModal, localize_bindings


class HelpScreen(TutorModal):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar = [
        Binding("escape,q,question_mark", "close", "k.close", key_display="esc"),
    ]

    def __init__(self, under: Screen) -> None:
        super().__init__(id="help")
        self.under = under

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(id="help-title")
            yield Static(id="help-keys")
            yield Static(id="help-foot")

    def on_mount(self) -> None:
        self.on_lang()

    def on_lang(self) -> None:
        lang = self.tutor.lang
        self.query_one("#help-title", Static).update(
            Text(f"⌨️  {self.t('help.title')}", style="bold")
        )
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold $accent", no_wrap=True)
        table.add_column()
        seen: set[tuple[str, str]] = set()
        bindings = localize_bindings(self.under.active_bindings, lang)
        for key, active in bindings.items():
            binding = active.binding
            if not binding.description or binding.system:
                continue
            shown = binding.key_display or self.app.get_key_display(binding)
            if (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            table.add_row(shown or key, binding.description)
        table.add_row("ctrl+p", self.t("help.palette"))
        self.query_one("#help-keys", Static).update(table)
        self.query_one("#help-foot", Static).update(Text(self.t("help.foot"), style="dim"))

    def action_close(self) -> None:
        self.dismiss()
