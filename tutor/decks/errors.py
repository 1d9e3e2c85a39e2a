"""The one error type every deck problem becomes: one line, naming file, line, column and field.

A problem is worded from the string catalog (``tutor/strings/decks.yaml``) when it is shown, not
when it is found: decks load once, perhaps in a worker thread, and the learner may switch the
language (F2) afterwards. So an error carries its :class:`Message` (a catalog key and the values
that fill it) and is said in a language by :meth:`DeckError.message_in`; its ``message`` is the
English wording, which ``str()``, ``to_json()`` and sorting use, so scripts read one stable text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from tutor.i18n import Lang, tr

Value = Union[str, int, "Message"]
"""What fills a message's placeholder: text shown as it is (a field path, a file, an id, the
words of PyYAML or Python), a number, or a nested message said in the same language."""


@dataclass(frozen=True)
class Message:
    """A catalog string and its values, kept apart until a language is chosen."""

    key: str
    values: tuple[tuple[str, Value], ...] = ()

    @classmethod
    def of(cls, key: str, /, **values: Value) -> Message:
        """``Message.of("deck.unknown_lesson", id=ref)``: the values by name, as the catalog
        string names its placeholders (a tuple, so an error stays hashable)."""
        return cls(key, tuple(values.items()))

    def text(self, lang: Lang | str) -> str:
        """The message in ``lang``; a nested message is said in ``lang`` too."""
        filled = {
            name: value.text(lang) if isinstance(value, Message) else value
            for name, value in self.values
        }
        return tr(self.key, lang, **filled)


def joined(items: list[Value], key: str) -> Value:
    """``items`` joined by the catalog's two-place ``key`` ("{left} or {right}"), left to right:
    ``a or b or c``, in the words of whatever language it is said in."""
    result = items[0]
    for item in items[1:]:
        result = Message.of(key, left=result, right=item)
    return result


@dataclass(frozen=True, order=True)
class DeckError:
    file: Path
    line: int  # 1-based
    column: int  # 1-based
    path: str  # the field path, e.g. ``steps[3].options[1].why``; "" for the whole file
    said: Message = field(compare=False)  # what is wrong, to be worded in a language
    # English, worded once: errors compare, sort and print as they always did
    message: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", self.said.text(Lang.EN))

    def message_in(self, lang: Lang | str) -> str:
        """The message in ``lang`` (field paths, files and ids inside it stay as written)."""
        return self.message if lang == Lang.EN else self.said.text(lang)

    def line_in(self, lang: Lang | str) -> str:
        """The one-line form ``file:line:col: field: message``, its message in ``lang``."""
        where = f"{self.file}:{self.line}:{self.column}"
        path, message = one_line(self.path), one_line(self.message_in(lang))
        return f"{where}: {path}: {message}" if path else f"{where}: {message}"

    def __str__(self) -> str:
        return self.line_in(Lang.EN)

    def to_json(self) -> dict[str, str | int]:
        """The error's parts, for ``--json`` reports: a script should not split the one line
        again (a path may hold ``:``, a message ``: ``). Always English, whatever the learner's
        language: a script matches these words."""
        return {
            "file": str(self.file),
            "line": self.line,
            "column": self.column,
            "field": self.path,
            "message": self.message,
        }


def one_line(text: str) -> str:
    """``text`` with characters that would break or hide in a one-line message (a newline in a
    key the author typed, a tab) written as escapes: ``"a\\nb"``."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
