"""``nn-tutor`` with no subcommand, and ``lesson``, ``review``, ``sandbox``: start the TUI."""

from __future__ import annotations

import argparse
import sys

from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.python_source import UNREADABLE_SOURCE, read_source, source_error_line


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
            try:
                read_source(start_arg)  # as the sandbox will read it (a coding line, a BOM)
            except UNREADABLE_SOURCE as exc:
                reason = source_error_line(exc, start_arg, config.lang)
                said = tr("sandbox.file_missing", config.lang, path=start_arg, reason=reason)
                print(said, file=sys.stderr)
                return 2

    from tutor.app import TutorApp

    app = TutorApp(config, start=start, start_arg=start_arg)
    app.run()
    return int(app.return_code or 0)
