"""Deck problems: which deck files were skipped, and every error with its location."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.screens.base import TutorModal


class ProblemsScreen(TutorModal):
    CSS_PATH = "problems.tcss"
    BINDINGS: ClassVar = [Binding("escape,q", "close", "k.close", key_display="esc")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-box"):
            yield Static(id="problems-text")

    def on_mount(self) -> None:
        self.on_lang()

    def on_lang(self) -> None:
        library = self.tutor.library
        text = Text()
        text.append(f"⚠ {self.t('problems.title')}\n\n", style="bold")
        if library is None or not (library.skipped or library.errors):
            text.append(self.t("problems.none"))
        else:
            skipped = {s.file for s in library.skipped}
            if skipped:
                text.append(f"{self.t('problems.skipped')}\n", style="bold")
                for file in sorted(skipped):
                    text.append(f"  ✗ {file.name}\n", style="red")
                text.append("\n")
            text.append(f"{self.t('problems.errors')}\n", style="bold")
            for error in library.errors:
                where = f"{error.file.name}:{error.line}:{error.column}"
                field = f" {error.path}:" if error.path else ""
                text.append(f"  {where}:", style="bold")
                text.append(f"{field} {error.message}\n")
        text.append(f"\n{self.t('help.foot')}", style="dim")
        self.query_one("#problems-text", Static).update(text)

    def action_close(self) -> None:
        self.dismiss()
