"""Texts YAML cut short at `` #``: in an unquoted (plain) value, `` #`` starts a comment, so
``body: use x  # not a comment`` gives the learner "use x" and drops the rest without a word.

PyYAML drops comments, so they are found in the source: a plain scalar of a text field whose
line goes on, after blanks, with ``#``. A comment on a line of its own, or after a quoted or
block (``|``, ``>``) text, cuts nothing and is not flagged. This is advice, not an error: the deck
is valid YAML and loads, and an author may mean the comment; validate says what YAML made of it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml

from tutor.decks import model
from tutor.decks.binder import hints, public_fields
from tutor.decks.errors import DeckError, Message
from tutor.decks.walk import is_text
from tutor.decks.yaml_events import events
from tutor.i18n import LANGS

_COMMENT_AFTER = re.compile(r"[ \t]+#")


@cache
def text_field_names() -> frozenset[str]:
    """The names of every field that holds learner-facing text (``title``, ``body``, ``why``…),
    read from the model's type hints; no name is text in one place and something else in another."""
    names: set[str] = set()
    for value in vars(model).values():
        if isinstance(value, type) and dataclasses.is_dataclass(value):
            type_hints = hints(value)
            names.update(f.name for f in public_fields(value) if is_text(type_hints[f.name]))
    return frozenset(names)


@dataclasses.dataclass
class _Frame:
    """An open mapping or list while the events are walked: where the next value goes."""

    is_map: bool
    key: str | None = None  # a mapping's key whose value comes next
    awaiting_key: bool = True
    index: int = -1  # a list's index of the current item
    is_key: bool = False  # a mapping or list written as a key (`? [a, b]`): no value of its own


def _path(frames: list[_Frame]) -> tuple[str, str | None]:
    """The field path of the value about to be read (``steps[2].title.en``) and the name of
    the field it is a text of (``title``: a language key or list index is passed over)."""
    path = ""
    for frame in frames:
        if frame.is_map:
            path = f"{path}.{frame.key}" if path else str(frame.key)
        else:
            path = f"{path}[{frame.index}]"
    field_name = next(
        (f.key for f in reversed(frames) if f.is_map and f.key not in LANGS),
        None,
    )
    return path, field_name


def cut_texts(file: Path, source: str) -> Iterator[DeckError]:
    """Advice at the ``#`` of every comment that cut a plain text of a deck file short."""
    lines = source.splitlines()
    frames: list[_Frame] = []
    names = text_field_names()
    try:
        for event in events(source):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                if not frames.pop().is_key:
                    _value_done(frames)
                continue
            if not isinstance(
                event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)
            ):
                continue
            top = frames[-1] if frames else None
            if top is not None and top.is_map and top.awaiting_key:
                # a key: remember it; a key is never a learner's text
                top.key = str(event.value) if isinstance(event, yaml.ScalarEvent) else "?"
                top.awaiting_key = False
                if isinstance(event, yaml.CollectionStartEvent):
                    frames.append(_Frame(isinstance(event, yaml.MappingStartEvent), is_key=True))
                continue
            if top is not None and not top.is_map:
                top.index += 1
            if isinstance(event, yaml.CollectionStartEvent):
                frames.append(_Frame(isinstance(event, yaml.MappingStartEvent)))
                continue
            if isinstance(event, yaml.ScalarEvent) and not event.style:
                path, field_name = _path(frames)
                end = event.end_mark
                rest = lines[end.line][end.column :] if end.line < len(lines) else ""
                cut = _COMMENT_AFTER.match(rest)
                inside_key = any(frame.is_key for frame in frames)
                if field_name in names and cut and not inside_key:
                    said = Message.of("deck.advice.comment_cut")
                    yield DeckError(file, end.line + 1, end.column + len(cut.group()), path, said)
            _value_done(frames)
    except yaml.YAMLError:
        return  # a file YAML cannot read has its own error; there is no text to advise on


def _value_done(frames: list[_Frame]) -> None:
    """A value was read: a mapping that held it waits for its next key."""
    if frames and frames[-1].is_map:
        frames[-1].awaiting_key = True
