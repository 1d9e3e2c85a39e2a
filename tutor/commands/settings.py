"""``nn-tutor settings``: show or change how reviews are scheduled (FSRS settings), and the
theme the TUI starts in (kept with its UI state, :mod:`tutor.ui_state`); show the language
nn-tutor speaks and where it came from (chosen with f2 and kept there too, the locale, --lang)."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from dataclasses import asdict, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from textual.theme import BUILTIN_THEMES

from tutor.commands.learning_cli import open_learning
from tutor.config import TutorConfig
from tutor.error_line import error_line
from tutor.i18n import Lang, detect_lang, tr
from tutor.learning import Access, Learning, StoreError
from tutor.learning.scheduler import SchedulerSettings, SettingsError
from tutor.theme_styles import THEMES
from tutor.ui_state import THEME_VARIABLE, UiState, kept_lang, starting_theme


def parse_steps(text: str, option: str) -> tuple[float, ...]:
    """``"1,10"`` → ``(1.0, 10.0)``, the value of ``option`` (``--learning-steps``). A blank
    value means no steps, which FSRS takes: a card is then scheduled in days at once (a new one,
    or one forgotten). An empty item (``1,,2``, ``1,``) is refused, not dropped: it is a slip, and
    "1, 2" kept in its place was not what was typed. The range is checked by
    :class:`SchedulerSettings`."""
    if not text.strip():
        return ()
    parts = [part.strip() for part in text.split(",")]
    if "" in parts:
        raise SettingsError(
            f"{option} {text!r} has an empty step (a comma with no minutes on one side)",
            "steps_empty",
            option=option,
            text=text,
        )
    try:
        return tuple(float(part) for part in parts)
    except ValueError:
        raise SettingsError(
            f"{option}: steps must be minutes separated by commas, not {text!r}",
            "steps_text",
            option=option,
            text=text,
        ) from None


ERROR_KEYS = {
    "retention": "settings.error.retention",
    "new_per_day": "settings.error.new_per_day",
    "max_interval": "settings.error.max_interval",
    "steps": "settings.error.steps",
    "steps_text": "settings.error.steps_text",
    "steps_empty": "settings.error.steps_empty",
}
"""A :class:`SettingsError`'s key -> the catalog line that says it in the learner's language."""


def settings_error(error: ValueError, lang: Lang) -> str:
    """The line for a setting out of range, in the learner's language."""
    if isinstance(error, SettingsError) and error.key in ERROR_KEYS:
        text = tr(ERROR_KEYS[error.key], lang, **error.values)
    else:
        text = str(error)
    return tr("settings.error", lang, error=text)


def changes_from(args: argparse.Namespace) -> dict[str, Any]:
    """The settings fields named on the command line, converted to their types."""
    changes: dict[str, Any] = {}
    if args.retention is not None:
        changes["desired_retention"] = args.retention
    if args.learning_steps is not None:
        changes["learning_steps_min"] = parse_steps(args.learning_steps, "--learning-steps")
    if args.relearning_steps is not None:
        changes["relearning_steps_min"] = parse_steps(args.relearning_steps, "--relearning-steps")
    if args.max_interval is not None:
        changes["maximum_interval_days"] = args.max_interval
    if args.new_per_day is not None:
        changes["new_per_day"] = args.new_per_day
    if args.fuzz is not None:
        changes["enable_fuzzing"] = args.fuzz
    return changes


def retention_text(retention: float) -> str:
    """The desired retention as it is stored and scheduled with: two decimals as the limits are
    written (0.90), more only where two would round it (0.875, not 0.88)."""
    two_places = f"{retention:.2f}"
    return two_places if float(two_places) == retention else repr(retention)


def render_text(settings: SchedulerSettings, lang: Lang) -> str:
    steps = ", ".join(f"{m:g}" for m in settings.learning_steps_min) or "-"
    relearn = ", ".join(f"{m:g}" for m in settings.relearning_steps_min) or "-"
    return tr(
        "settings.show",
        lang,
        retention=retention_text(settings.desired_retention),
        steps=steps,
        relearn=relearn,
        max_interval=settings.maximum_interval_days,
        new_per_day=settings.new_per_day,
        fuzz=tr("settings.on" if settings.enable_fuzzing else "settings.off", lang),
        parameters=tr("settings.fitted" if settings.parameters else "settings.defaults", lang),
    )


def save_settings(learning: Learning, lang: Lang, **changes: Any) -> SchedulerSettings | None:
    """Change the named settings (``Learning.change_settings``) and return the settings kept;
    ``None``, said in one line, when the store will not take them (a file SQLite could open only
    read-only, a lock another nn-tutor took since it was opened, a full disk, the file replaced)
    rather than a traceback. ``nn-tutor optimize`` keeps its parameters through it too."""
    try:
        return learning.change_settings(**changes)
    except (sqlite3.Error, StoreError) as error:
        path = learning.store.path
        said = tr("settings.save_failed", lang, path=path, error=error_line(error, path, lang))
        print(said, file=sys.stderr)
        return None


def checked_changes(args: argparse.Namespace) -> dict[str, Any]:
    """The changes named on the command line, each checked against its range before the store
    is opened: a refused value changes nothing, not even a damaged database (which opening for
    writing moves aside). Every limit is a field's own, so the defaults check them as well as
    the stored settings would. Raises ``ValueError`` (a :class:`SettingsError`)."""
    changes = changes_from(args)
    replace(SchedulerSettings(), **changes)
    return changes


def unknown_theme(name: str, lang: Lang) -> str:
    """The line for a ``--theme`` the palette does not offer: the choices, and the one meant
    where one is close (``nord`` for ``Nord``)."""
    guess = get_close_matches(name.lower(), THEMES, n=1)
    hint = tr("settings.theme_guess", lang, guess=guess[0]) if guess else ""
    error = tr("settings.error.theme", lang, name=name, hint=hint, choices=", ".join(THEMES))
    return tr("settings.error", lang, error=error)


def textual_has(name: str) -> bool:
    """Whether Textual has a theme ``name`` (the app knows no others)."""
    return name in BUILTIN_THEMES


def theme_text(saved: object, lang: Lang) -> str:
    """The theme line: the one the TUI starts in with ``saved`` kept, saying so where
    ``TEXTUAL_THEME`` overrides it (``--theme`` then changes the next start without it only)."""
    starting = starting_theme(saved, textual_has)
    kept = starting_theme(saved, textual_has, environment=False)
    if starting != kept:
        return tr(
            "settings.theme_overridden", lang, theme=starting, variable=THEME_VARIABLE, kept=kept
        )
    return tr("settings.theme", lang, theme=starting)


def lang_from(given: str | None, kept: Lang | None) -> str:
    """Where the language a command speaks came from, as
    :func:`tutor.ui_state.with_kept_lang` picks it: ``"--lang"`` where one was ``given``,
    ``"f2"`` where the UI state keeps a language chosen with f2 (``kept``), else ``"locale"``."""
    if given:
        return "--lang"
    return "f2" if kept is not None else "locale"


def language_name(lang: Lang) -> str:
    """A language in its own name ("中文", "English"), as a language is offered to choose."""
    return tr(f"deck.language.{lang.value}", lang)


def lang_text(lang: Lang, source: str, kept: Lang | None) -> str:
    """The language line: ``lang``, spoken from ``source`` (:func:`lang_from`); a ``--lang``
    is for its command only, so the line says the language kept without it (f2's or the
    locale's)."""
    if source == "--lang":
        without = kept or detect_lang()
        return tr(
            "settings.lang_overridden", lang, lang=language_name(lang), kept=language_name(without)
        )
    key = "settings.lang_chosen" if source == "f2" else "settings.lang_locale"
    return tr(key, lang, lang=language_name(lang))


def save_theme(data_dir: Path, name: str, lang: Lang) -> bool:
    """Keep ``name`` as the theme the TUI starts in, as its palette does; whether it was kept
    (why not, said in one line)."""
    state = UiState(data_dir)
    try:
        state.write("theme", name)
    except OSError as error:
        said = error_line(error, state.path, lang)
        print(tr("settings.theme_save_failed", lang, path=state.path, error=said), file=sys.stderr)
        return False
    return True


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    try:
        changes = checked_changes(args)
    except ValueError as error:
        print(settings_error(error, config.lang), file=sys.stderr)
        return 2
    if args.theme is not None and args.theme not in THEMES:
        print(unknown_theme(args.theme, config.lang), file=sys.stderr)
        return 2
    # all checked: a refused value changes nothing. The theme is kept last, once the store
    # has opened and taken its changes: a command that fails leaves the theme as it was.
    # showing them only reads: a lock another nn-tutor holds or a read-only store cannot stop it
    learning = open_learning(config, Access.WRITE if changes else Access.READ)
    if learning is None:
        return 1
    with learning:
        settings = learning.settings
        if changes:
            saved = save_settings(learning, config.lang, **changes)
            if saved is None:
                return 1
            settings = saved  # with what another nn-tutor changed meanwhile
    # any values: each checked where it is used. Read by the command line already, unless
    # --lang spared it the read
    given = getattr(args, "ui_state", None)  # a caller of main other than the command line: none
    kept = given if given is not None else UiState(config.data_dir).read()
    kept_theme = kept.get("theme")
    if args.theme is not None:
        if not save_theme(config.data_dir, args.theme, config.lang):
            return 1
        kept_theme = args.theme  # what the file now keeps: no need to read it back
    kept_language = kept_lang(kept)
    source = lang_from(args.lang, kept_language)
    if args.json:
        theme = starting_theme(kept_theme, textual_has)
        shown = {"lang": config.lang.value, "lang_from": source, "theme": theme}
        print(json.dumps({**asdict(settings), **shown}, indent=2))
    else:
        print(render_text(settings, config.lang))
        print(lang_text(config.lang, source, kept_language))
        print(theme_text(kept_theme, config.lang))
    return 0
