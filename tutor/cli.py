"""The ``nn-tutor`` command line.

Global options come before the subcommand. Each subcommand lives in its own module under
``tutor.commands`` and is imported only when it runs, so ``nn-tutor validate`` never pays for
Textual and nothing here imports torch.
"""

from __future__ import annotations

import argparse
import importlib
import math
import sys
from collections.abc import Sequence

from tutor import __version__
from tutor.config import TutorConfig
from tutor.line_breaks import install as install_line_breaks


def seconds(text: str) -> float:
    """An argparse type: a finite number of seconds above zero (``--timeout 0`` stops nothing)."""
    from sandbox.limits import is_seconds

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not is_seconds(value):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nn-tutor",
        description="Learn PyTorch's torch.nn from the inside, live on real torch.",
    )
    parser.add_argument("--version", action="version", version=f"nn-tutor {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where progress is kept (default: the platform's user data dir, or $NN_TUTOR_HOME)",
    )
    parser.add_argument(
        "--decks",
        metavar="PATH",
        action="append",
        help="a deck file or a folder searched recursively; repeatable; replaces the default decks",
    )
    parser.add_argument(
        "--lang", choices=["en", "zh"], help="language of the UI and lessons (default: locale)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lesson = sub.add_parser("lesson", help="open a lesson in the tutor, where you left it")
    lesson.add_argument("lesson_id", metavar="ID")

    review = sub.add_parser("review", help="review due flashcards")
    review.add_argument("--deck", metavar="ID", help="only cards of this lesson or card deck")

    sandbox = sub.add_parser("sandbox", help="open the sandbox editor")
    sandbox.add_argument("file", nargs="?", metavar="FILE", help="a Python file to load")

    run = sub.add_parser("run", help="run a snippet in the sandbox without the TUI")
    run.add_argument("file", metavar="FILE|-", help="a Python file, or - for standard input")
    run.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    run.add_argument(
        "--timeout",
        type=seconds,
        metavar="S",
        help="seconds before the run is stopped (default 30)",
    )
    run.add_argument("--trace", action="store_true", help="record a hook trace of module calls")
    run.add_argument("--json", action="store_true", help="print the RunResult as JSON")

    check = sub.add_parser(
        "check", help="validate decks and run every snippet, verify block and exercise"
    )
    check.add_argument("paths", nargs="*", metavar="PATH")
    check.add_argument("--json", action="store_true", help="print a machine-readable report")

    validate = sub.add_parser("validate", help="check decks for errors without running code")
    validate.add_argument("paths", nargs="*", metavar="PATH")
    validate.add_argument("--json", action="store_true", help="print counts and errors as JSON")

    stats = sub.add_parser("stats", help="review statistics")
    stats.add_argument("--json", action="store_true")

    export = sub.add_parser("export-anki", help="export flashcards as an Anki package")
    export.add_argument("out", metavar="OUT.apkg")
    export.add_argument("--deck", metavar="ID", help="only cards of this lesson or card deck")

    sub.add_parser("optimize", help="fit FSRS parameters to your own review history")

    settings = sub.add_parser("settings", help="show or change review scheduling (FSRS) settings")
    settings.add_argument(
        "--retention", type=float, metavar="R", help="desired retention, 0.7-0.99"
    )
    settings.add_argument(
        "--learning-steps", metavar="MIN,...", help="learning steps in minutes, e.g. 1,10"
    )
    settings.add_argument(
        "--relearning-steps", metavar="MIN,...", help="relearning steps in minutes, e.g. 10"
    )
    settings.add_argument("--max-interval", type=int, metavar="DAYS", help="longest interval")
    settings.add_argument("--new-per-day", type=int, metavar="N", help="new cards a day")
    settings.add_argument(
        "--fuzz", action=argparse.BooleanOptionalAction, help="spread due dates a little"
    )
    settings.add_argument("--json", action="store_true", help="print the settings as JSON")
    return parser


# subcommand -> module under tutor.commands exposing ``main(args, config) -> int``
COMMAND_MODULES = {
    None: "tui",
    "lesson": "tui",
    "review": "tui",
    "sandbox": "tui",
    "run": "run",
    "check": "check",
    "validate": "validate",
    "stats": "stats",
    "export-anki": "export_anki",
    "optimize": "optimize",
    "settings": "settings",
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    install_line_breaks()  # Chinese output wraps between characters, not only at spaces
    config = TutorConfig.resolve(data_dir=args.data_dir, decks=args.decks, lang=args.lang)
    module = importlib.import_module(f"tutor.commands.{COMMAND_MODULES[args.command]}")
    try:
        return int(module.main(args, config) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 1
