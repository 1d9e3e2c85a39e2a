"""Opening the learning store for a headless command, with its messages on stderr."""

from __future__ import annotations

import sqlite3
import sys

from tutor.commands.error_line import error_line
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.learning import Learning, NewerSchemaError, StoreError


def open_learning(config: TutorConfig) -> Learning | None:
    """Open the store, or say in one line why it cannot be opened and return ``None``.

    A file SQLite cannot open (a folder in its place, a lock another nn-tutor holds past the busy
    timeout, a read-only or full disk) and a data folder that cannot be made are said with the
    database's path. A notice (such as a corrupt database moved aside) is printed but does not
    stop the command.
    """
    try:
        learning = Learning.from_config(config)
    except NewerSchemaError as error:
        path = config.paths.database
        said = tr(
            "learning.newer_schema", config.lang, path=path, found=error.found, known=error.known
        )
        print(said, file=sys.stderr)
        return None
    except StoreError as error:
        print(error, file=sys.stderr)
        return None
    except (sqlite3.Error, OSError) as error:
        path = config.paths.database
        said = tr(
            "learning.open_failed",
            config.lang,
            path=path,
            error=error_line(error, path, config.lang),
        )
        print(said, file=sys.stderr)
        return None
    if learning.notice:
        print(learning.notice, file=sys.stderr)
    return learning
