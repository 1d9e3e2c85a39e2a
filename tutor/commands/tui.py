"""``nn-tutor`` with no subcommand, and ``lesson``, ``review``, ``sandbox``: start the TUI."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.python_source import UNREADABLE_SOURCE, read_source, unreadable_source_line


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    command = getattr(args, "command", None)
    start, start_arg = "home", None
    if command == "lesson":
        start, start_arg = "lesson", args.lesson_id
    elif command == "review":
        start, start_arg = "review", getattr(args, "deck", None)
    elif command == "sandbox":
        start, start_arg = "sandbox", getattr(args, "file", None)
        if start_arg is not None:
            refused = _refuse_sandbox_file(start_arg, config.lang)
            if refused is not None:
                print(refused, file=sys.stderr)
                return 2

    from tutor.app import TutorApp

    # COLUMNS and LINES exported by a shell's dotfiles or a Jupyter terminal win over the
    # terminal's real size in Textual's driver (shutil.get_terminal_size): the app drew at the
    # size they said and never followed a resize. The terminal itself is asked instead.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    app = TutorApp(config, start=start, start_arg=start_arg)
    app.run()
    return int(app.return_code or 0)


def _refuse_sandbox_file(path: str, lang: str) -> str | None:
    """Why the sandbox cannot open ``path``, in one line, or ``None`` when it can: a file it can
    read (as the sandbox will read it: a coding line, a BOM), or a new one in a folder that
    exists, which the sandbox screen offers to create on ctrl+s, as an editor does. A new file
    in a folder that does not exist is a slip in the folder's name, said now; so is a path
    ending in a separator, which names a folder, not a file to create."""
    try:
        read_source(path)
    except FileNotFoundError as exc:
        # ``Path("new/").parent`` is ".": a path ending in a separator names a folder, and
        # ctrl+s would write a file named "new"
        if not path.endswith(("/", os.sep)):
            folder = Path(path).parent
            if folder.is_dir():
                return None  # a new file: the sandbox screen creates it on ctrl+s
            return tr("sandbox.no_folder", lang, path=path, folder=folder)
        error: BaseException = exc
    except UNREADABLE_SOURCE as exc:
        error = exc
    else:
        return None
    return unreadable_source_line(error, path, lang)
