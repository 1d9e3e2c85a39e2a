"""``nn-tutor`` with no subcommand, and ``lesson``, ``review``, ``sandbox``: start the TUI."""

from __future__ import annotations

import argparse
import sys

from tutor.config import TutorConfig
from tutor.error_line import error_line
from tutor.i18n import tr


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
                with open(start_arg, encoding="utf-8") as handle:
                    handle.read(1)
            except OSError as exc:
                reason = error_line(exc, start_arg, config.lang)
                said = tr("sandbox.file_missing", config.lang, path=start_arg, reason=reason)
                print(said, file=sys.stderr)
                return 2

    from tutor.app import TutorApp

    app = TutorApp(config, start=start, start_arg=start_arg)
    app.run()
    return int(app.return_code or 0)
