"""argparse in the learner's language: its help, its layout in terminal cells, its errors.

argparse writes "usage:", its headings, the help of ``-h`` and its error messages in English,
and lays help out counting characters, where a Chinese one takes two terminal cells. Its help
and errors are its own text, not a catalogue this module could hand over, so the known messages
are matched (:data:`ERROR_PATTERNS`) and one it does not know is shown as argparse wrote it.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from typing import Any, NoReturn

from rich.cells import cell_len

from sandbox.limits import SECONDS_WORDS
from tutor.i18n import tr
from tutor.line_breaks import CJK_WORD

USAGE_MARK = "\x01"
"""Stands in for "usage: " while argparse lays the usage out (see :class:`LocalFormatter`)."""


def wrap_cells(text: str, width: int) -> list[str]:
    """``text``'s words in lines of at most ``width`` cells, breaking Chinese between characters
    as :mod:`tutor.line_breaks` does for Rich (never before a closing mark such as ，or ）)."""
    lines: list[str] = []
    line = ""
    for word in CJK_WORD.findall(" ".join(text.split())):
        if line and cell_len((line + word).rstrip()) > width:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


class LocalFormatter(argparse.HelpFormatter):
    """argparse's help layout in the learner's language, measured in terminal cells.

    argparse counts characters: a Chinese one takes two cells, so its help lines ran past the
    terminal's edge and the usage's second line stood left of the first one's arguments. Here
    the usage is laid out behind ASCII marks as wide as "用法：", then given its words; lines
    with Chinese wrap by cells; a heading ends in the language's own colon."""

    def __init__(self, prog: str, lang: str = "en", **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        self.lang = lang

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:
            prefix = USAGE_MARK * cell_len(tr("cli.usage", self.lang))
        super().add_usage(usage, actions, groups, prefix)

    def format_help(self) -> str:
        text = super().format_help()
        prefix = tr("cli.usage", self.lang)
        text = text.replace(USAGE_MARK * cell_len(prefix), prefix, 1)
        if self.lang != "en":  # "选项:" -> "选项："
            text = re.sub(r"^(\S[^\n]*[^\x00-\x7f]):$", "\\1：", text, flags=re.MULTILINE)
        return text

    def _split_lines(self, text: str, width: int) -> list[str]:
        if cell_len(text) == len(text):
            return super()._split_lines(text, width)
        return wrap_cells(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if cell_len(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap_cells(text, width - len(indent)))


ERROR_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"the following arguments are required: (?P<names>.+)", re.DOTALL),
        "cli.error.required",
    ),
    (re.compile(r"unrecognized arguments: (?P<names>.+)", re.DOTALL), "cli.error.unrecognized"),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", re.DOTALL),
        "cli.error.ambiguous",
    ),
    (
        re.compile(r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)", re.DOTALL),
        "cli.error.choice",
    ),
    (re.compile(r"expected one argument", re.DOTALL), "cli.error.one_argument"),
    (re.compile(r"ignored explicit argument (?P<value>.+)", re.DOTALL), "cli.error.explicit"),
    (
        re.compile(r"invalid (?P<type>\w+) value: (?P<value>.+)", re.DOTALL),
        "cli.error.invalid_value",
    ),
    (
        re.compile(rf"expected {re.escape(SECONDS_WORDS)}, got (?P<value>.+)", re.DOTALL),
        "cli.error.seconds",
    ),
)
"""argparse's error messages (and this parser's own) -> the catalog line for each: argparse says
them in English whatever the learner's language."""

ARGUMENT_ERROR = re.compile(r"argument (?P<name>\S+?): (?P<message>.+)", re.DOTALL)


def translate_error(message: str, lang: str) -> str:
    """One of argparse's error messages in ``lang`` (as it is, when no pattern knows it)."""
    if lang == "en":
        return message
    argument = ARGUMENT_ERROR.fullmatch(message)
    if argument is not None:
        inner = translate_error(argument["message"], lang)
        return tr("cli.error.argument", lang, name=argument["name"], message=inner)
    for pattern, key in ERROR_PATTERNS:
        found = pattern.fullmatch(message)
        if found is not None:
            return tr(key, lang, **found.groupdict())
    return message


class LocalParser(argparse.ArgumentParser):
    """An argument parser whose errors are in the learner's language (``lang``, set by
    :func:`localize_parser`); argparse writes them in English."""

    lang = "en"

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = tr(
            "cli.error", self.lang, prog=self.prog, message=translate_error(message, self.lang)
        )
        self.exit(2, said + "\n")


def localize_parser(parser: argparse.ArgumentParser, lang: str) -> None:
    """``parser`` and its subcommands' parsers in ``lang``: headings, the help of -h and
    --version, "usage:" and the errors."""
    if isinstance(parser, LocalParser):
        parser.lang = lang
    parser.formatter_class = functools.partial(LocalFormatter, lang=lang)  # type: ignore[assignment]
    parser._positionals.title = tr("cli.positionals", lang)
    parser._optionals.title = tr("cli.options", lang)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = tr("cli.help.help", lang)
        elif isinstance(action, argparse._VersionAction):
            action.help = tr("cli.help.version", lang)
        elif isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                localize_parser(child, lang)
