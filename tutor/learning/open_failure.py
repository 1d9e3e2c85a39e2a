"""Why the learning store could not be opened, in one line naming the database: what the CLI
prints and the TUI shows alike (SQLite says "unable to open database file", in English, for most
of it)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tutor.config import DATA_DIR_OPTION, TutorConfig
from tutor.error_line import error_line
from tutor.i18n import Lang, tr
from tutor.learning.store import (
    SCHEMA_VERSION,
    Access,
    MissingSchemaError,
    NewerSchemaError,
    OlderSchemaError,
    SchemaVersionError,
    StoreError,
    UnmergedWritesError,
    UnversionedSchemaError,
    is_corruption,
)

SCHEMA_KEYS: dict[type[SchemaVersionError], str] = {
    NewerSchemaError: "learning.newer_schema",
    OlderSchemaError: "learning.older_schema",
}
"""A schema the store left as it is -> the catalog line that says so in the learner's language."""


def open_failure_line(
    error: StoreError | sqlite3.Error | OSError, config: TutorConfig, access: Access
) -> str:
    """Why the store could not be opened, in one line naming the database (the CLI prints it,
    the TUI shows it): a schema from a newer nn-tutor (or, for ``access`` that only reads, an
    older one), writes left unmerged, a schema damaged or unversioned, a damaged file, or what
    SQLite or the OS said, with the data folder's own problem where it has one."""
    path = config.paths.database
    lang = config.lang
    if isinstance(error, SchemaVersionError):
        key = SCHEMA_KEYS[type(error)]
        return tr(key, lang, path=path, found=error.found, known=error.known)
    if isinstance(error, UnmergedWritesError):
        return tr("learning.unmerged_writes", lang, path=path)
    if isinstance(error, MissingSchemaError):  # a table dropped by hand
        missing = ", ".join(error.missing)
        return tr("learning.schema_missing", lang, path=path, found=error.version, missing=missing)
    if isinstance(error, UnversionedSchemaError):
        return tr("learning.schema_unversioned", lang, path=path, known=SCHEMA_VERSION)
    if isinstance(error, StoreError):
        return str(error)
    reason = error_line(error, path, lang)
    if isinstance(error, sqlite3.DatabaseError) and is_corruption(error):
        # a command that only reads leaves a damaged file where it is: say what mends it
        return tr("learning.damaged", lang, path=path, error=reason)
    folder = data_folder_problem(
        path.parent, lang, writing=access is Access.WRITE, source=config.data_dir_source
    )
    return tr("learning.open_failed", lang, path=path, error=folder or reason)


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
