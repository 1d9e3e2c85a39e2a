"""Deck problems: which deck files were skipped, and every error with its location."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.screens.base import TutorModal
from tutor.theme_styles import app_styles
from tutor.widgets.hanging import hanging


def display_names(files: Iterable[Path]) -> dict[Path, str]:
    """Each file as short as tells it from the others: its path below the folder they all share
    (``one/bad.yaml``, ``two/bad.yaml``), or its name when it is the only one."""
    unique = sorted(set(files))
    if len(unique) < 2:
        return {file: file.name for file in unique}
    try:
        common = Path(os.path.commonpath([file.resolve().parent for file in unique]))
    except ValueError:  # no folder in common (another drive)
        return {file: str(file) for file in unique}
    if common == Path(common.anchor):  # only the root: below it reads as a relative path
        return {file: str(file) for file in unique}
    return {file: str(file.resolve().relative_to(common)) for file in unique}


class ProblemsScreen(TutorModal):
    CSS_PATH = "problems.tcss"
    BINDINGS: ClassVar = [
        Binding("escape,q", "close", "k.close", key_display="esc"),
        # a modal stops keys at itself: the app's ? (Help, as on every other screen) is named here
        Binding("question_mark", "app.help", "k.help", key_display="?", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="problems-box"):
            yield Static(id="problems-text")
            yield from self.compose_close()

    def on_mount(self) -> None:
        self.on_lang()

    def theme_changed(self) -> None:
        """The ✗ of a skipped file follows a theme change (its red is the theme's)."""
        self.on_lang()

    def on_lang(self) -> None:
        library = self.tutor.library
        parts: list[RenderableType] = [Text(f"⚠ {self.t('problems.title')}\n", style="bold")]
        if library is None or not (library.skipped or library.errors):
            parts.append(Text(self.t("problems.none")))
        else:
            skipped = {s.file for s in library.skipped}
            names = display_names([*skipped, *(error.file for error in library.errors)])
            if skipped:
                # the theme's own red: the terminal's read 2.1-4.1:1 on the box's old ground ($panel)
                wrong = app_styles(self.app).wrong
                parts.append(Text(self.t("problems.skipped"), style="bold"))
                for file in sorted(skipped):
                    parts.append(hanging(Text("  ✗", style=wrong), Text(names[file]), width=3))
                parts.append(Text())
            parts.append(Text(self.t("problems.errors"), style="bold"))
            for error in library.errors:
                # one entry per problem: its wrapped lines stay under its first
                body = Text(f"{names[error.file]}:{error.line}:{error.column}:", style="bold")
                body.append(f" {error.path}:" if error.path else "")
                # worded now, in the language shown: F2 re-renders, the decks are not reloaded
                body.append(f" {error.message_in(self.tutor.lang)}")
                parts.append(hanging("  •", body, width=3))
        self.query_one("#problems-text", Static).update(Group(*parts))
