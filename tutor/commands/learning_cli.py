"""Opening the learning store for a headless command, with its messages on stderr, and saying
which decks failed to load."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from tutor.config import DATA_DIR_OPTION, TutorConfig
from tutor.decks import DeckLibrary
from tutor.error_line import error_line
from tutor.i18n import Lang, tr
from tutor.learning import (
    Access,
    Learning,
    NewerSchemaError,
    OlderSchemaError,
    SchemaVersionError,
    StoreError,
)
from tutor.learning.store import (
    SCHEMA_VERSION,
    MissingSchemaError,
    UnmergedWritesError,
    UnversionedSchemaError,
    is_corruption,
)

SCHEMA_KEYS: dict[type[SchemaVersionError], str] = {
    NewerSchemaError: "learning.newer_schema",
    OlderSchemaError: "learning.older_schema",
}
"""A schema the store left as it is -> the catalog line that says so in the learner's language."""


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
    except SchemaVersionError as error:
        path = config.paths.database
        key = SCHEMA_KEYS[type(error)]
        said = tr(key, config.lang, path=path, found=error.found, known=error.known)
        print(said, file=sys.stderr)
        return None
    except UnmergedWritesError:
        path = config.paths.database
        print(tr("learning.unmerged_writes", config.lang, path=path), file=sys.stderr)
        return None
    except MissingSchemaError as error:  # a table dropped by hand: a traceback halfway through
        path = config.paths.database
        missing = ", ".join(error.missing)
        said = tr(
            "learning.schema_missing", config.lang, path=path, found=error.version, missing=missing
        )
        print(said, file=sys.stderr)
        return None
    except UnversionedSchemaError:
        path = config.paths.database
        said = tr("learning.schema_unversioned", config.lang, path=path, known=SCHEMA_VERSION)
        print(said, file=sys.stderr)
        return None
    except StoreError as error:
        print(error, file=sys.stderr)
        return None
    except (sqlite3.Error, OSError) as error:
        path = config.paths.database
        reason = error_line(error, path, config.lang)
        if isinstance(error, sqlite3.DatabaseError) and is_corruption(error):
            # a command that only reads leaves a damaged file where it is: say what mends it
            said = tr("learning.damaged", config.lang, path=path, error=reason)
        else:
            folder = data_folder_problem(
                path.parent,
                config.lang,
                writing=access is Access.WRITE,
                source=config.data_dir_source,
            )
            said = tr("learning.open_failed", config.lang, path=path, error=folder or reason)
        print(said, file=sys.stderr)
        return None
    if learning.notice:
        print(learning.notice, file=sys.stderr)
    return learning


def data_folder_problem(
    folder: Path, lang: Lang, *, writing: bool, source: str | None = DATA_DIR_OPTION
) -> str | None:
    """Why the data folder ``folder`` cannot hold the progress database, in one line naming the
    folder at fault, when the cause is a folder's: a file in its place or in a folder's above it,
    or (for a command that writes) a folder that cannot be written, on a read-only file system
    or for want of permission. ``None`` when it is none of these.

    SQLite says "unable to open database file", in English, for all of them, and making the
    folder where a file is says "File exists". A file in the way is said with ``source``, what
    named the folder (``TutorConfig.data_dir_source``: an option, a variable, or ``None`` for
    the platform's own)."""
    nearest = next((place for place in (folder, *folder.parents) if place.exists()), None)
    if nearest is None:
        return None
    if not nearest.is_dir():
        if source is None:
            return tr("cli.data_dir.is_file_default", lang, folder=nearest)
        return tr("cli.data_dir.is_file", lang, folder=nearest, source=source)
    if not writing:
        return None  # a command that only reads opens the store read-only, wherever it is
    try:
        read_only = bool(os.statvfs(nearest).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): the permission check says it
        read_only = False
    if read_only:
        return tr("cli.data_dir.read_only", lang, folder=nearest)
    if not os.access(nearest, os.W_OK | os.X_OK):
        return tr("cli.data_dir.not_writable", lang, folder=nearest)
    return None


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
