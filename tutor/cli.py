"""The ``nn-tutor`` command line.

Global options come before the subcommand. Each subcommand lives in its own module under
``tutor.commands`` and is imported only when it runs, so ``nn-tutor validate`` never pays for
Textual and nothing here imports torch.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import math
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from difflib import get_close_matches
from typing import NoReturn

from tutor import __version__
from tutor.config import ConfigError, TutorConfig
from tutor.error_line import error_line
from tutor.i18n import detect_lang, tr
from tutor.line_breaks import install as install_line_breaks
from tutor.localized_argparse import LocalParser, localize_parser
from tutor.output_encoding import escape_what_output_cannot_encode
from tutor.ui_state import with_kept_lang_and_state


def seconds(text: str) -> float:
    """An argparse type: a number of seconds above zero (``--timeout 0`` stops nothing), up to
    the sandbox's ceiling."""
    from sandbox.limits import SECONDS_WORDS, is_seconds

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not is_seconds(value):
        raise argparse.ArgumentTypeError(f"expected {SECONDS_WORDS}, got {text!r}")
    return value


def add_global_options(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    """The options that come before the subcommand."""
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=tr("cli.help.data_dir", lang),
    )
    parser.add_argument(
        "--decks",
        metavar="PATH",
        action="append",
        help=tr("cli.help.decks", lang),
    )
    add_lang_option(parser, lang)


def add_lang_option(parser: argparse.ArgumentParser, lang: str = "en") -> None:
    """``--lang``: apart from the other global options, as :func:`scan_lang` reads it alone."""
    parser.add_argument("--lang", choices=["en", "zh"], help=tr("cli.help.lang", lang))


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The command line's parser, its help and its errors in ``lang``."""
    parser = LocalParser(
        prog="nn-tutor",
        description=tr("cli.help.description", lang),
    )
    parser.add_argument("--version", action="version", version=f"nn-tutor {__version__}")
    add_global_options(parser, lang)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lesson = sub.add_parser("lesson", help=tr("cli.help.lesson", lang))
    lesson.add_argument("lesson_id", metavar="ID", help=tr("cli.help.lesson_id", lang))

    review = sub.add_parser("review", help=tr("cli.help.review", lang))
    review.add_argument("--deck", metavar="ID", help=tr("cli.help.deck", lang))

    sandbox = sub.add_parser("sandbox", help=tr("cli.help.sandbox", lang))
    sandbox.add_argument("file", nargs="?", metavar="FILE", help=tr("cli.help.sandbox_file", lang))

    run = sub.add_parser(
        "run", help=tr("cli.help.run", lang), epilog=tr("cli.help.run_exit_codes", lang)
    )
    run.add_argument("file", metavar="FILE|-", help=tr("cli.help.run_file", lang))
    run.add_argument(
        "--device",
        choices=["auto", "cpu", "cuda"],
        default="auto",
        help=tr("cli.help.device", lang),
    )
    run.add_argument(
        "--timeout",
        type=seconds,
        metavar="S",
        help=tr("cli.help.timeout", lang),
    )
    run.add_argument("--trace", action="store_true", help=tr("cli.help.trace", lang))
    run.add_argument("--json", action="store_true", help=tr("cli.help.run_json", lang))

    check = sub.add_parser("check", help=tr("cli.help.check", lang))
    check.add_argument("paths", nargs="*", metavar="PATH", help=tr("cli.help.deck_paths", lang))
    check.add_argument("--json", action="store_true", help=tr("cli.help.check_json", lang))

    validate = sub.add_parser(
        "validate", help=tr("cli.help.validate", lang), epilog=tr("cli.help.validate_epilog", lang)
    )
    validate.add_argument(
        "paths", nargs="*", metavar="PATH", help=tr("cli.help.validate_paths", lang)
    )
    validate.add_argument("--json", action="store_true", help=tr("cli.help.validate_json", lang))

    stats = sub.add_parser("stats", help=tr("cli.help.stats", lang))
    stats.add_argument("--json", action="store_true", help=tr("cli.help.stats_json", lang))

    export = sub.add_parser("export-anki", help=tr("cli.help.export", lang))
    export.add_argument("out", metavar="OUT.apkg", help=tr("cli.help.export_out", lang))
    export.add_argument("--deck", metavar="ID", help=tr("cli.help.deck", lang))

    sub.add_parser("optimize", help=tr("cli.help.optimize", lang))

    settings = sub.add_parser("settings", help=tr("cli.help.settings", lang))
    settings.add_argument(
        "--retention", type=float, metavar="R", help=tr("cli.help.retention", lang)
    )
    settings.add_argument(
        "--learning-steps", metavar="MIN,...", help=tr("cli.help.learning_steps", lang)
    )
    settings.add_argument(
        "--relearning-steps", metavar="MIN,...", help=tr("cli.help.relearning_steps", lang)
    )
    settings.add_argument(
        "--max-interval", type=int, metavar="DAYS", help=tr("cli.help.max_interval", lang)
    )
    settings.add_argument(
        "--new-per-day", type=int, metavar="N", help=tr("cli.help.new_per_day", lang)
    )
    settings.add_argument(
        "--fuzz", action=argparse.BooleanOptionalAction, help=tr("cli.help.fuzz", lang)
    )
    # its choices are named by the command (the list lives with Textual's themes, which every
    # other command is spared importing)
    settings.add_argument("--theme", metavar="NAME", help=tr("cli.help.theme", lang))
    settings.add_argument("--json", action="store_true", help=tr("cli.help.settings_json", lang))
    localize_parser(parser, lang)
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


SCREEN_STREAMS = {"stdin": "cli.stream.stdin", "stderr": "cli.stream.stderr"}
"""The streams the tutor's screens need at a terminal, and their names' catalog keys: Textual
reads keys from standard input and draws on standard error (standard output is free to go
elsewhere)."""


def is_terminal(stream: object) -> bool:
    """Whether ``stream`` is a terminal; a closed or missing one is not."""
    with contextlib.suppress(AttributeError, ValueError, OSError):
        return bool(stream.isatty())  # type: ignore[attr-defined]
    return False


def missing_terminal(args: argparse.Namespace) -> str | None:
    """The stream (``"stdin"``, ``"stderr"``) that ``args``' command needs at a terminal and
    that is not one; ``None`` when the command is no screen, or its streams are terminals.

    Without a terminal (CI, cron, ``echo | nn-tutor``) the full-screen app started anyway,
    wrote its escape codes into a log and never exited. ``TEXTUAL_DRIVER`` names another way to
    draw it (``textual serve``'s web driver), which needs no terminal."""
    if COMMAND_MODULES[args.command] != "tui" or os.environ.get("TEXTUAL_DRIVER"):
        return None
    # the streams Textual's driver uses: the process's own, whatever ``sys.stdin`` is now
    streams = {"stdin": sys.__stdin__, "stderr": sys.__stderr__}
    return next((name for name, stream in streams.items() if not is_terminal(stream)), None)


def closed_stream_message(args: argparse.Namespace, stream: str, lang: str) -> str:
    if stream == "stdin" and args.command == "run":
        return tr("cli.closed_stdin_run", lang)
    return tr("cli.closed_stream", lang, stream=tr(STREAM_NAMES[stream], lang))


PATH_ARGUMENTS = (
    ("data_dir", "--data-dir"),
    ("decks", "--decks"),
    ("file", "FILE"),
    ("out", "OUT.apkg"),
    ("paths", "PATH"),
)
"""The arguments that name a path (their ``args`` name, and how the help writes them)."""


def empty_path_argument(args: argparse.Namespace) -> str | None:
    """The path argument given as ``""``, as an unset shell variable gives it (``--data-dir
    "$DIR"``); ``None`` when there is none. ``Path("")`` is the current folder: ``--decks ""``
    loaded every YAML file below it, ``--data-dir ""`` fell back to the learner's own data."""
    for name, shown in PATH_ARGUMENTS:
        value = getattr(args, name, None)
        if "" in (value if isinstance(value, list) else [value]):
            return shown
    return None


class QuietParser(argparse.ArgumentParser):
    """A parser that raises its error instead of printing it and exiting."""

    def error(self, message: str) -> NoReturn:
        raise argparse.ArgumentError(None, message)


def _scan_before_command(
    argv: Sequence[str] | None, add_options: Callable[[argparse.ArgumentParser], None]
) -> argparse.Namespace | None:
    """The options ``add_options`` adds, and the command's name, read from ``argv`` up to the
    command (what follows it is the command's); ``None`` when one of them is wrong."""
    scan = QuietParser(add_help=False)
    add_options(scan)
    scan.add_argument("command", nargs="?")
    scan.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        known, _ = scan.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return known


def scan_globals(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The global options and the command's name in ``argv``, read before the real parse, which
    needs the language for its help and errors; ``None`` when a global option is wrong (the real
    parser says so, in :func:`scan_lang`'s language). What follows the command is not read: its
    options are the command's."""
    return _scan_before_command(argv, add_global_options)


def scan_lang(argv: Sequence[str] | None) -> str | None:
    """The ``--lang`` among the global options when another of them is wrong (``--data-dir``
    with no value), for the real parser to say that in the learner's language, not the
    locale's; ``None`` without one, or when ``--lang`` itself is wrong (the real parser says
    so, in the locale's language: the learner gave none it has)."""
    known = _scan_before_command(argv, add_lang_option)
    return known.lang if known is not None else None


GLOBAL_OPTIONS = {"--data-dir": "DIR", "--decks": "PATH", "--lang": "LANG"}
"""The global options, which take a value each and come before the command, with the word a
command line written for the learner puts where they gave no value."""


def command_index(argv: Sequence[str], command: str) -> int | None:
    """Where ``command`` stands in ``argv``: the first word that is no option nor a global
    option's value; ``None`` when that is not ``command`` (an option abbreviated, ``--data``)."""
    index = 0
    while index < len(argv) and argv[index].startswith("-") and argv[index] not in ("-", "--"):
        index += 2 if argv[index] in GLOBAL_OPTIONS else 1
    return index if index < len(argv) and argv[index] == command else None


def global_options_after(rest: Sequence[str]) -> list[list[str]]:
    """The global options in ``rest`` (what follows the command), each with its value; what
    follows ``--`` is the command's own (a deck path may start with "-")."""
    found: list[list[str]] = []
    index = 0
    while index < len(rest) and rest[index] != "--":
        option = rest[index].split("=", 1)[0]
        width = 1
        if option in GLOBAL_OPTIONS:
            width = 1 if "=" in rest[index] or index + 1 == len(rest) else 2
            found.append(list(rest[index : index + width]))
        index += width
    return found


def _with_value(option: list[str]) -> list[str]:
    """``option`` as a command line written for the learner has it: with its value, or the word
    for one where none was given (``stats --data-dir`` moved alone would make "stats" it)."""
    if len(option) == 2 or "=" in option[0]:
        return option
    return [option[0], GLOBAL_OPTIONS[option[0]]]


def global_order_hint(
    argv: Sequence[str], known: argparse.Namespace | None, lang: str, *, lang_given: bool = True
) -> str | None:
    """The line that says global options written after the command (``nn-tutor stats
    --data-dir X``) go before it, with the command line written that way; ``None`` when there
    are none. The command's parser does not know them: argparse said only "unrecognized
    arguments", and read ``validate --lang zh decks`` as "--lang" unknown and a deck "zh".
    Said in ``lang``, or (unless ``lang_given``) in a ``--lang`` among them."""
    if known is None or known.command is None:
        return None
    at = command_index(argv, known.command)
    if at is None:
        return None
    moved = global_options_after(argv[at + 1 :])
    if not moved:
        return None
    after = list(argv[at + 1 :])
    for option in moved:  # each taken out where it stands, its value with it
        start = next(i for i in range(len(after)) if after[i : i + len(option)] == option)
        del after[start : start + len(option)]
    options = [word for option in moved for word in _with_value(option)]
    words = [*argv[:at], *options, argv[at], *after]
    names = list(dict.fromkeys(option[0].split("=", 1)[0] for option in moved))
    if not lang_given:
        lang = next((lang for lang in _langs_among(moved) if lang in ("en", "zh")), lang)
    return tr(
        "cli.global_after_command",
        lang,
        options=", ".join(names),
        count=len(names),
        fixed=shlex.join(["nn-tutor", *words]),
    )


def _langs_among(options: list[list[str]]) -> list[str]:
    """The values of the ``--lang`` options among ``options`` (``--lang zh``, ``--lang=zh``)."""
    words = ("=".join(option) for option in options)  # ["--lang", "zh"] as "--lang=zh"
    return [word.split("=", 1)[1] for word in words if word.startswith("--lang=")]


def unknown_command(known: argparse.Namespace | None, lang: str) -> str | None:
    """The learner's line for a command that does not exist (a typo: ``nn-tutor lesonn``), in
    their language, naming the likely one; ``None`` when the command is known or absent.

    argparse said it in English, after three lines of usage, listing every command."""
    command = known.command if known is not None else None
    if command is None or command in COMMAND_MODULES:
        return None
    commands = [name for name in COMMAND_MODULES if name is not None]
    guess = get_close_matches(command.lower(), commands, n=1)
    if guess:
        return tr("cli.unknown_command", lang, command=command, guess=guess[0])
    return tr("cli.no_such_command", lang, command=command)


def main(argv: Sequence[str] | None = None) -> int:
    escape_what_output_cannot_encode()  # a GBK or Latin-1 terminal: no traceback for a 🔒
    known = scan_globals(argv)
    given = known.lang if known is not None else scan_lang(argv)
    lang = given or detect_lang().value
    said = unknown_command(known, lang)
    if said is None:
        words = sys.argv[1:] if argv is None else argv
        said = global_order_hint(words, known, lang, lang_given=given is not None)
    if said is not None:
        print(said, file=sys.stderr)
        return 2
    args = build_parser(lang).parse_args(argv)
    empty = empty_path_argument(args)
    if empty is not None:
        print(tr("cli.empty_path", args.lang or lang, argument=empty), file=sys.stderr)
        return 2
    install_line_breaks()  # Chinese output wraps between characters, not only at spaces
    try:
        config = TutorConfig.resolve(data_dir=args.data_dir, decks=args.decks, lang=args.lang)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    # the language chosen with F2, unless --lang gave one; the data dir is known only now, so
    # what came before (the parser's help and errors, a ConfigError) spoke the locale's. The
    # UI state read for it (None after --lang) goes to the command: settings shows it too
    config, args.ui_state = with_kept_lang_and_state(config, args.lang)
    stream = closed_stream(args)
    if stream is not None:
        print(closed_stream_message(args, stream, config.lang.value), file=sys.stderr)
        return 2
    stream = missing_terminal(args)
    if stream is not None:
        name = tr(SCREEN_STREAMS[stream], config.lang)
        # said where it can be read: on stdout when stderr is the stream sent elsewhere
        said_on = sys.stdout if stream == "stderr" else sys.stderr
        print(tr("cli.needs_terminal", config.lang, stream=name), file=said_on)
        return 2
    module = importlib.import_module(f"tutor.commands.{COMMAND_MODULES[args.command]}")
    try:
        code = int(module.main(args, config) or 0)
        sys.stdout.flush()  # output still buffered fails here, not unsaid at exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except OSError as exc:  # the output could not be written (a full disk), or another file
        _drop_unwritten_output()
        print(
            tr("cli.os_error", config.lang, reason=error_line(exc, None, config.lang)),
            file=sys.stderr,
        )
        return 1


def _drop_unwritten_output() -> None:
    """Let what stdout could not write go nowhere: Python writes it again as it exits, and
    would print a second error ("Exception ignored ...") after ours."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
