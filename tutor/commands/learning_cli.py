"""Opening the learning store for a headless command, with its messages on stderr, and saying
which decks failed to load."""

from __future__ import annotations

import sqlite3
import sys

from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.i18n import Lang, tr
from tutor.learning import Access, Learning, StoreError
from tutor.learning.open_failure import open_failure_line


def open_learning(config: TutorConfig, access: Access = Access.WRITE) -> Learning | None:
    """Open the store as the command will use it (``access``: a command that only reads says so,
    and is then never stopped by another nn-tutor's lock or a read-only file), or say in one line
    why it cannot be opened and return ``None``.

    A file SQLite cannot open (a folder in its place, a lock another nn-tutor holds past the busy
    timeout, a read-only or full disk) and a data folder that cannot be made are said with the
    database's path; so is a schema from a newer nn-tutor, or (for a command that only reads, and
    so cannot upgrade it) an older one. A notice (such as a corrupt database moved aside) is
    printed but does not stop the command.
    """
    try:
        learning = Learning.from_config(config, access=access)
    except (StoreError, sqlite3.Error, OSError) as error:
        print(open_failure_line(error, config, access), file=sys.stderr)
        return None
    if learning.notice:
        print(learning.notice, file=sys.stderr)
    return learning


# Deck errors that mean a path given is not there at all (a typo in ``--decks``), rather than a
# deck in it that is broken: nothing the command could report on was read.
PATH_MISSING = frozenset({"deck.no_such_path", "deck.no_deck_files"})


def say_deck_problems(library: DeckLibrary, lang: Lang) -> bool:
    """Print the decks that failed to load, on stderr in ``validate``'s one-line form, so a
    command never leaves their cards out in silence; ``True`` when a deck path given is not
    there at all, which the command fails on (its report would be about nothing)."""
    for error in library.errors:
        print(error.line_in(lang), file=sys.stderr)
    if any(error.said.key in PATH_MISSING for error in library.errors):
        print(tr("decks.path_missing", lang), file=sys.stderr)
        return True
    if library.skipped:  # (a problem such as an unknown ``related`` id leaves its deck in)
        print(tr("decks.left_out", lang, count=len(library.skipped)), file=sys.stderr)
    return False
