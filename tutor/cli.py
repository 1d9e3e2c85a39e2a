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
from difflib import get_close_matches
from typing import NoReturn

from tutor import __version__
from tutor.config import TutorConfig
from tutor.i18n import detect_lang, tr
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


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """The options that come before the subcommand."""
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nn-tutor",
        description="Learn PyTorch's torch.nn from the inside, live on real torch.",
    )
    parser.add_argument("--version", action="version", version=f"nn-tutor {__version__}")
    add_global_options(parser)
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


STREAM_NAMES = {"stdin": "cli.stream.stdin", "stdout": "cli.stream.stdout"}
"""Catalog keys of the standard streams' names."""


def closed_stream(args: argparse.Namespace) -> str | None:
    """The standard stream (``"stdin"``, ``"stdout"``) that ``args``' command needs and the shell
    closed (``<&-``, ``>&-``): Python leaves it ``None``, and the tutor or ``run`` stopped on a
    traceback, or said nothing."""
    needs: tuple[str, ...] = ()
    if COMMAND_MODULES[args.command] == "tui":
        needs = ("stdin", "stdout")
    elif args.command == "run":
        needs = ("stdin", "stdout") if args.file == "-" else ("stdout",)
    return next((name for name in needs if getattr(sys, name) is None), None)


def closed_stream_message(args: argparse.Namespace, stream: str, lang: str) -> str:
    if stream == "stdin" and args.command == "run":
        return tr("cli.closed_stdin_run", lang)
    return tr("cli.closed_stream", lang, stream=tr(STREAM_NAMES[stream], lang))


class QuietParser(argparse.ArgumentParser):
    """A parser that raises its error instead of printing it and exiting."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def unknown_command(argv: Sequence[str] | None) -> str | None:
    """The learner's line for a command that does not exist (a typo: ``nn-tutor lesonn``), in
    their language, naming the likely one; ``None`` when the command is known or absent.

    argparse said it in English, after three lines of usage, listing every command."""
    scan = QuietParser(add_help=False)
    add_global_options(scan)
    scan.add_argument("command", nargs="?")
    scan.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        known, _ = scan.parse_known_args(argv)
    except argparse.ArgumentError:  # a bad global option: the real parser says so
        return None
    command = known.command
    if command is None or command in COMMAND_MODULES:
        return None
    lang = known.lang or detect_lang().value
    commands = [name for name in COMMAND_MODULES if name is not None]
    guess = get_close_matches(command.lower(), commands, n=1)
    if guess:
        return tr("cli.unknown_command", lang, command=command, guess=guess[0])
    return tr("cli.no_such_command", lang, command=command)


def main(argv: Sequence[str] | None = None) -> int:
    said = unknown_command(argv)
    if said is not None:
        print(said, file=sys.stderr)
        return 2
    args = build_parser().parse_args(argv)
    install_line_breaks()  # Chinese output wraps between characters, not only at spaces
    config = TutorConfig.resolve(data_dir=args.data_dir, decks=args.decks, lang=args.lang)
    stream = closed_stream(args)
    if stream is not None:
        print(closed_stream_message(args, stream, config.lang.value), file=sys.stderr)
        return 2
    module = importlib.import_module(f"tutor.commands.{COMMAND_MODULES[args.command]}")
    try:
        return int(module.main(args, config) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 1
