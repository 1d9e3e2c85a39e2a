"""What the TUI remembers between sessions (the last lesson opened, the theme chosen in the
palette, the language chosen with F2): ``ui-state.json`` in the data dir, read and written by
the app and by ``nn-tutor settings`` alike; ``nn-tutor`` reads the language before every
command (:func:`with_kept_lang_and_state`, which hands what it read on to the command)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from tutor.atomic_write import write_text_atomic
from tutor.config import TutorConfig
from tutor.i18n import LANGS, Lang

FILE_NAME = "ui-state.json"

THEME_VARIABLE = "TEXTUAL_THEME"
"""Textual's own variable: a theme named there is the one for this session, whatever was kept."""

LANG_KEY = "lang"
"""Where the language last chosen with F2 is kept."""


class UiState:
    """The UI state kept in ``data_dir``: a JSON mapping of a few names to strings."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME

    def read(self) -> dict[str, Any]:
        """What the file keeps; nothing when it is gone, damaged, or holds JSON of another
        shape (``null``: the home screen read it as a mapping and the app never got to open the
        progress store)."""
        try:
            state = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def write(self, key: str, value: str) -> None:
        """Keep ``key``'s value with what else the file holds (written whole, atomically, so a
        crash leaves the old file or the new one). Raises ``OSError``."""
        state = self.read()
        state[key] = value
        write_text_atomic(self.path, json.dumps(state), make_folder=True)

    def remember(self, key: str, value: str) -> None:
        """:meth:`write`, for the app: a file that cannot be written loses only the memory of
        ``key``, never the session."""
        with contextlib.suppress(OSError):
            self.write(key, value)


def starting_theme(saved: object, known: Callable[[str], bool], *, environment: bool = True) -> str:
    """The theme the TUI starts in: :data:`THEME_VARIABLE`'s where it names a ``known`` one
    (for this session), else ``saved`` (the learner's choice in the palette), else the tutor's.
    A name no theme has (a typo, a theme a newer Textual dropped) is passed over rather than
    crash. Without ``environment``: the one it starts in where the variable is not set."""
    # here, not at the top: ``nn-tutor`` reads the kept language through this module before
    # every command, and ``nn-tutor validate`` never pays for Textual (:mod:`tutor.cli`)
    from tutor.theme_styles import DEFAULT_THEME

    chosen = (os.environ.get(THEME_VARIABLE) if environment else None, saved)
    return next(
        (name for name in chosen if isinstance(name, str) and name and known(name)),
        DEFAULT_THEME,
    )


def with_kept_lang(config: TutorConfig, given: str | None) -> TutorConfig:
    """``config`` speaking the language of this session: ``given`` (``--lang``) where there is
    one, else the one last chosen with F2 in the TUI (kept in ``config``'s data dir), else the
    locale's (which ``config`` holds when no ``--lang`` was given).

    ``--lang`` is for its session only: a one-off flag (``nn-tutor --lang en stats`` for a bug
    report) does not change the choice kept; F2 pressed in that session does. A kept value that
    names no language we speak (a hand edit) is passed over for the locale's."""
    return with_kept_lang_and_state(config, given)[0]


def with_kept_lang_and_state(
    config: TutorConfig, given: str | None
) -> tuple[TutorConfig, dict[str, Any] | None]:
    """:func:`with_kept_lang`, and the UI state it read to find the language kept: ``None``
    where ``given`` spared reading it. A command that shows the state too (``nn-tutor
    settings``) takes it from here rather than read the file a second time."""
    if given:
        return config, None
    state = UiState(config.data_dir).read()
    kept = kept_lang(state)
    return (config if kept is None else replace(config, lang=kept)), state


def kept_lang(state: dict[str, Any]) -> Lang | None:
    """The language chosen with F2 that the UI ``state`` keeps; ``None`` where it keeps none, or
    a value that names no language we speak (a hand edit)."""
    kept = state.get(LANG_KEY)
    return Lang(kept) if kept in LANGS else None
