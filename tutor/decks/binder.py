"""Bind a :class:`YNode` tree to the dataclasses of ``model.py``, collecting every error.

The binder is generic: it reads each dataclass's type hints and field metadata, so adding a field
to the model is the only change needed to accept, validate and document it. Unions of dataclasses
are chosen by a discriminator key (``type`` for steps, ``kind`` for quizzes and decks).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import types
import typing
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import yaml

from tutor.decks import model
from tutor.decks.errors import DeckError, Message, Value, joined
from tutor.decks.yaml_source import DeckSourceError, YNode, decode_source
from tutor.decks.yaml_syntax import ODD_SPACES
from tutor.i18n import LANGS
from tutor.torch_version import VERSION_PATTERN

_ID_RE = re.compile(model.ID_PATTERN)
_TORCH_VERSION_RE = re.compile(VERSION_PATTERN)
_MISSING = object()

# union type -> (discriminator key, {value: class}); flattened wrappers bind the whole mapping
DISCRIMINATORS: dict[Any, tuple[str, dict[str, type]]] = {
    model.Step: ("type", model.STEP_TYPES),
    model.QuizItem: ("kind", model.QUIZ_KINDS),
    model.Deck: ("kind", model.DECK_KINDS),
}
FLATTENED: dict[type, str] = {model.QuizStep: "quiz", model.CardStep: "card"}


@cache
def hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


@cache
def _shape(tp: Any) -> tuple[str, Any]:
    """Classify a type once: the binder asks for every value, so this is its hot path."""
    if get_origin(tp) is typing.Annotated:
        return "annotated", get_args(tp)[1]
    if tp in DISCRIMINATORS:
        return "union", None
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return "optional", next(a for a in get_args(tp) if a is not type(None))
    if origin is list:
        return "list", get_args(tp)[0]
    if origin is Literal:
        return "literal", get_args(tp)
    if dataclasses.is_dataclass(tp):
        return "dataclass", None
    return "scalar", None


@cache
def public_fields(cls: type) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(cls) if not f.metadata.get("internal")]


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in public_fields(cls))


def is_required(f: dataclasses.Field[Any]) -> bool:
    if f.metadata.get("required"):
        return True
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


_ANNOTATED_NAMES: dict[str, Message] = {
    "text": Message.of("deck.type.text", form="{en: ..., zh: ...}"),
    "code": Message.of("deck.type.code"),
    "id": Message.of("deck.type.id"),
    "torch_version": Message.of("deck.type.torch_version"),
}
_SCALAR_NAMES: dict[Any, Message] = {
    str: Message.of("deck.type.str"),
    int: Message.of("deck.type.int"),
    bool: Message.of("deck.type.bool"),
}


@cache
def describe(tp: Any) -> Value:
    """A short, author-facing name for a type, used in 'expected ...' messages (a message, so
    it is said in the learner's language; cached: the binder asks for the same few types)."""
    if get_origin(tp) is typing.Annotated:
        return _ANNOTATED_NAMES[get_args(tp)[1]]
    if tp in DISCRIMINATORS:
        key, choices = DISCRIMINATORS[tp]
        return Message.of("deck.type.tagged", key=key, choices="|".join(choices))
    origin = get_origin(tp)
    if origin is list:
        return Message.of("deck.type.list_of", items=_describe_many(get_args(tp)[0]))
    if origin is Literal:
        return joined([repr(a) for a in get_args(tp)], "deck.join.or")
    if origin in (Union, types.UnionType):
        return joined([describe(a) for a in get_args(tp) if a is not type(None)], "deck.join.or")
    if dataclasses.is_dataclass(tp):
        return Message.of("deck.type.mapping")
    return _SCALAR_NAMES.get(tp, getattr(tp, "__name__", str(tp)))


_ANNOTATED_PLURALS: dict[str, Message] = {
    "text": Message.of("deck.types.text", form="{en: ..., zh: ...}"),
    "id": Message.of("deck.types.id"),
}


def _describe_many(tp: Any) -> Value:
    """What each item of a list is, named in the plural ("a list of ids", not "a list of an
    id"): the kinds of item the model's lists hold; another is named as :func:`describe` does."""
    if get_origin(tp) is typing.Annotated and get_args(tp)[1] in _ANNOTATED_PLURALS:
        return _ANNOTATED_PLURALS[get_args(tp)[1]]
    if tp in DISCRIMINATORS:
        key, choices = DISCRIMINATORS[tp]
        return Message.of("deck.types.tagged", key=key, choices="|".join(choices))
    if dataclasses.is_dataclass(tp):
        return Message.of("deck.types.mapping")
    if tp is str:
        return Message.of("deck.types.str")
    return describe(tp)


def _yaml_name(value: Any) -> Value:
    """What YAML made of a value, named for an author: ``got a list``, ``got float 2.1``."""
    if isinstance(value, dict):
        return Message.of("deck.type.mapping")
    if isinstance(value, list):
        return Message.of("deck.type.list")
    if value is None:
        return Message.of("deck.type.null")
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, str):
        return Message.of("deck.type.str")
    return f"{type(value).__name__} {value!r}"


UNKNOWN_FIELD = "deck.unknown_field"
"""The one error that leaves what is bound whole: the field is not read, nothing else is lost."""


def _as_written(node: YNode) -> Value:
    """A value for a message as an author wrote it: ``'vidoe'``, and a list or mapping of a few
    plain values in flow style, ``[text]``, ``{quiz: 1}`` (not the loader's own objects); a
    bigger one as what it is, ``a list``."""
    if not (node.is_seq or node.is_map):
        return repr(node.value)
    children = list(node.value.values() if node.is_map else node.value)
    if len(children) > 3 or any(child.is_seq or child.is_map for child in children):
        return _yaml_name(node.value)

    def plain(child: YNode) -> str:
        return child.written or ("" if child.value is None else str(child.value))

    if node.is_map:
        return "{" + ", ".join(f"{k}: {plain(v)}" for k, v in node.value.items()) + "}"
    return "[" + ", ".join(plain(child) for child in children) + "]"


def _expected(expected: Value, got: Value) -> Message:
    """The message every type mismatch says: ``expected an integer, got text``."""
    return Message.of("deck.expected", expected=expected, got=got)


def _flow_written(lines: list[str], node: YNode) -> str | None:
    """A list or mapping of plain values the way the author wrote it in flow style
    (``[1.0, 1.0, 1.0]``, ``{a: 1}``, ``['a', 'b']`` with the author's own quotes), or ``None``
    where it cannot be written back for sure.

    It is the file's own text from the node's mark: the values YAML read lose their quotes,
    and ``['a', 'b']`` (what ``print(['a', 'b'])`` prints) is not ``[a, b]``. The text is
    taken only where YAML reads it, on its own, as the very same list or mapping (``lines``
    are the file's; none where it could not be read again)."""
    children = node.value.values() if node.is_map else node.value
    if any(child.is_seq or child.is_map for child in children):
        return None
    if not 0 < node.line <= len(lines):
        return None
    rest = lines[node.line - 1][node.column - 1 :]
    close = "}" if node.is_map else "]"
    if not rest.startswith("{" if node.is_map else "["):
        return None
    # the shortest text up to a closing bracket that YAML reads as this node's value
    for end, char in enumerate(rest):
        if char != close:
            continue
        try:
            read = yaml.safe_load(rest[: end + 1])
        except yaml.YAMLError:
            continue
        if read == node.plain():
            return rest[: end + 1]
    return None


def _flow_not_text(lines: list[str], node: YNode, expected: Value) -> Message:
    """``expect: [1.0, 1.0, 1.0]`` where a text is wanted: YAML read the brackets as a list (or
    ``{a: 1}`` as a mapping); the author meant the words, so the fix is quotes, shown where
    the value can be written back."""
    written = _flow_written(lines, node)
    shown = _yaml_name(node.value)
    if written is None:
        return Message.of("deck.flow_not_text", expected=expected, got=shown)
    quoted = json.dumps(written, ensure_ascii=False)  # a JSON string is a YAML "…" text
    return Message.of(
        "deck.flow_not_text_as", expected=expected, got=written, shown=shown, quoted=quoted
    )


def closest(word: str, choices: list[str]) -> str | None:
    """The one of ``choices`` ``word`` is a slip of (``txet``: ``text``), if any."""
    hint = difflib.get_close_matches(word, choices, n=1)
    return hint[0] if hint else None


def did_you_mean(word: str, choices: list[str]) -> Value:
    """``; did you mean 'trace'?`` when ``word`` is close to one of ``choices``, else ""."""
    hint = closest(word, choices)
    return Message.of("deck.did_you_mean", name=hint) if hint else ""


def _unknown_field(
    key: str, names: frozenset[str], at: tuple[int, int], line: str
) -> tuple[Message, tuple[int, int]]:
    """What to say of a key no field has, and where: a key holding a no-break or full-width
    space (``raises\\u00a0: x``, YAML reads it as a letter) is told so at that character on
    ``line`` (the key's file line), the field it spells without it suggested; else the fields
    allowed, and the nearest."""
    odd = next((index for index, char in enumerate(key) if char in ODD_SPACES), None)
    if odd is not None:
        meant = "".join(char for char in key if char not in ODD_SPACES).strip()
        said = Message.of(
            "deck.odd_space_in_key",
            space=ODD_SPACES[key[odd]],
            hint=did_you_mean(meant, sorted(names)),
        )
        return said, (at[0], _column_of(key[odd], line, at[1], len(key)))
    said = Message.of(
        UNKNOWN_FIELD, hint=did_you_mean(key, sorted(names)), allowed=", ".join(sorted(names))
    )
    return said, at


def _column_of(char: str, line: str, start: int, width: int) -> int:
    """The 1-based column of ``char`` in the key written from column ``start`` of ``line``: a
    quoted key's text begins a column after its quote, and one that spells the character as an
    escape (``"raises\\u00a0"``) does not hold it, so it is named at the key's start."""
    written = line[start - 1 : start - 1 + width + 2]  # the key, and a quote either side
    found = written.find(char)
    return start + found if found >= 0 else start


def _positions(node: YNode) -> dict[str, tuple[int, int]]:
    """Where each field of a mapping starts, and each item of a list field under
    ``name[index]``: the places the loader's later checks (an unknown reference, a cycle) name,
    taken from the tree the binder already holds, so the file is never walked again."""
    positions: dict[str, tuple[int, int]] = {}
    for key, child in node.value.items():
        positions[key] = (child.line, child.column)
        if child.is_seq:
            for index, item in enumerate(child.value):
                positions[f"{key}[{index}]"] = (item.line, item.column)
    return positions


class Binder:
    """Binds one file's tree; ``errors`` collects everything wrong with it."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.errors: list[DeckError] = []
        # the deck's own fields as far as they were read, where some were not: see deck_as_read
        self.unread_deck: (
            tuple[type, dict[str, Any], dict[str, tuple[int, ...]], frozenset[str]] | None
        ) = None

    @cached_property
    def _lines(self) -> list[str]:
        """The file's text lines, for an error that quotes the author's own text
        (:func:`_flow_written`): read once, and only for such an error (the tree keeps no text);
        none where the file can no longer be read."""
        try:
            return decode_source(self.file, self.file.read_bytes()).splitlines()
        except (OSError, DeckSourceError):
            return []

    def error(
        self, node: YNode, path: str, said: Message, at: tuple[int, int] | None = None
    ) -> None:
        line, column = at or (node.line, node.column)
        self.errors.append(DeckError(self.file, line, column, path, said))

    def bind(self, node: YNode, tp: Any, path: str) -> Any:
        """The value of ``node`` as ``tp``, or ``_MISSING`` after recording an error."""
        shape, arg = _shape(tp)
        if shape == "scalar":
            return self._scalar(node, tp, path)
        if shape == "dataclass":
            return self._dataclass(node, tp, path)
        if shape == "annotated":
            return self._annotated(node, tp, path)
        if shape == "optional":
            return None if node.value is None else self.bind(node, arg, path)
        if shape == "list":
            return self._list(node, tp, path)[0]
        if shape == "literal":
            if node.value not in arg or isinstance(node.value, bool):
                self.error(node, path, _expected(describe(tp), repr(node.value)))
                return _MISSING
            return node.value
        return self._union(node, tp, path)

    def _list(self, node: YNode, tp: Any, path: str) -> tuple[Any, tuple[int, ...] | None]:
        """The items of a list that could be read, and, where some could not (their errors are
        said), the file index of each item kept: the rules then run on the rest."""
        if not isinstance(node.value, list):
            self.error(node, path, _expected(describe(tp), _yaml_name(node.value)))
            return _MISSING, None
        arg = _shape(tp)[1]
        out = [self.bind(child, arg, f"{path}[{i}]") for i, child in enumerate(node.value)]
        kept = tuple(i for i, value in enumerate(out) if value is not _MISSING)
        return [out[i] for i in kept], (None if len(kept) == len(out) else kept)

    def _scalar(self, node: YNode, tp: type, path: str) -> Any:
        value = node.value
        if tp is bool:
            ok = isinstance(value, bool)
        elif tp is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif tp is str:
            # Authors write `expect: 3`, `expect: True` or `tags: [2d]`: text, as written.
            if node.written is not None:
                return node.written
            ok = isinstance(value, str)
        else:  # pragma: no cover - the model uses no other scalar types
            ok = isinstance(value, tp)
        if not ok:
            said = (
                _flow_not_text(self._lines, node, describe(tp))
                if tp is str and (node.is_seq or node.is_map)
                else _expected(describe(tp), _yaml_name(value))
            )
            self.error(node, path, said)
            return _MISSING
        return value

    def _annotated(self, node: YNode, tp: Any, path: str) -> Any:
        kind = get_args(tp)[1]
        value = node.value
        if kind in ("text", "code") and node.written is not None:
            value = node.written  # `text: Yes`, `back: 0`: the words, not YAML's true or 0
        if kind == "text":
            if isinstance(value, str):
                if not value.strip():
                    self.error(node, path, Message.of("deck.text_empty"))
                    return _MISSING
                return value
            if isinstance(value, dict):
                unknown = [k for k in value if k not in LANGS]
                if unknown:
                    at = node.key_positions[unknown[0]]
                    langs = joined(list(LANGS), "deck.join.and")
                    said = Message.of("deck.unknown_language", lang=unknown[0], langs=langs)
                    written, colon, _ = unknown[0].partition(":")
                    if colon and written in LANGS:  # `{en:"text"}`: YAML read one key
                        said = Message.of("deck.yaml_slip.key_colon", key=written)
                    self.error(node, path, said, at)
                    return _MISSING
                texts: dict[str, str] = {}
                for lang, child in value.items():
                    text = child.value if child.written is None else child.written
                    if not isinstance(text, str) or not text.strip():
                        said = (
                            Message.of("deck.text_empty")
                            if isinstance(text, str)
                            else _expected(describe(str), _yaml_name(text))
                        )
                        self.error(child, f"{path}.{lang}", said)
                        return _MISSING
                    texts[lang] = text
                if not texts:
                    self.error(node, path, Message.of("deck.text_no_language"))
                    return _MISSING
                return texts
            said = (
                _flow_not_text(self._lines, node, describe(tp))
                if node.is_seq
                else _expected(describe(tp), _yaml_name(value))
            )
            self.error(node, path, said)
            return _MISSING
        if isinstance(value, str) and not value.strip():
            # `code: ""`: text, but none (told "expected code text, got text" it puzzled)
            self.error(node, path, Message.of("deck.text_empty"))
            return _MISSING
        if not isinstance(value, str):
            said = _expected(describe(tp), _yaml_name(value))
            if kind == "id" and node.written is not None:  # yes, 007, 1.5: YAML's, not text
                shown: Value = str(value).lower() if isinstance(value, bool) else repr(value)
                if shown == node.written:
                    shown = Message.of(
                        "deck.type.yes_no" if isinstance(value, bool) else "deck.type.number"
                    )
                said = Message.of(
                    "deck.id_read_by_yaml", expected=describe(tp), got=node.written, shown=shown
                )
            self.error(node, path, said)
            return _MISSING
        if kind == "id" and not _ID_RE.match(value):
            self.error(node, path, Message.of("deck.bad_id", id=value))
            return _MISSING
        if kind == "torch_version" and not _TORCH_VERSION_RE.match(value):
            # text, but no release (`v2.5`, `latest`); a number YAML read is said above
            self.error(node, path, Message.of("deck.bad_torch_version", got=value))
            return _MISSING
        if kind == "code":
            try:
                compile(value, "<deck>", "exec", dont_inherit=True)
            except SyntaxError as exc:
                # the error's file line where the code's lines are the file's (a `|` block,
                # one line); otherwise the field's own: a line worked out would be wrong
                first = node.text_line
                line = node.line if first is None else first + (exc.lineno or 1) - 1
                # Python's words for the error stay English: it has no others
                said = Message.of("deck.code_syntax", line=str(exc.lineno), error=exc.msg)
                self.error(node, path, said, (line, node.column))
                return _MISSING
        return value

    def _union(self, node: YNode, tp: Any, path: str) -> Any:
        key, choices = DISCRIMINATORS[tp]
        if not node.is_map:
            self.error(node, path, _expected(describe(tp), _yaml_name(node.value)))
            return _MISSING
        tag = node.value.get(key)
        if tag is None:
            said = Message.of("deck.missing_tag", choices=", ".join(choices))
            self.error(node, f"{path}.{key}".lstrip("."), said)
            return _MISSING
        cls = choices.get(tag.value) if isinstance(tag.value, str) else None
        if cls is None:
            is_scalar = not (tag.is_seq or tag.is_map)
            meant = closest(str(tag.value), list(choices)) if is_scalar else None
            said = Message.of(
                "deck.unknown_tag",
                key=key,
                value=_as_written(tag),
                choices=", ".join(choices),
                hint=Message.of("deck.did_you_mean", name=meant) if meant else "",
            )
            self.error(tag, f"{path}.{key}".lstrip("."), said)
            if meant is not None:
                # `type: txet` is a slip of `text`, the error says so: its fields are checked as
                # that kind's, so fixing the slip does not reveal another round of errors. The
                # item stays unread all the same (never guessed into a deck).
                self._dataclass(node, choices[meant], path, skip=key)
            return _MISSING
        return self._dataclass(node, cls, path, skip=key)

    def _dataclass(self, node: YNode, cls: type, path: str, skip: str | None = None) -> Any:
        if not node.is_map:
            said = _expected(Message.of("deck.type.mapping"), _yaml_name(node.value))
            self.error(node, path, said)
            return _MISSING
        if cls in FLATTENED:
            name = FLATTENED[cls]
            inner_tp = hints(cls)[name]
            if name in node.value:
                self.error(
                    node.value[name],
                    f"{path}.{name}".lstrip("."),
                    Message.of("deck.flattened", name=name),
                    node.key_positions[name],
                )
                return _MISSING
            rest = YNode(
                {k: v for k, v in node.value.items() if k != skip},
                node.line,
                node.column,
                {k: v for k, v in node.key_positions.items() if k != skip},
            )
            inner = self.bind(rest, inner_tp, path)
            if inner is _MISSING:
                return _MISSING
            obj = cls(**{name: inner})
            obj.line, obj.column = node.line, node.column
            return obj
        fields = public_fields(cls)
        names = _field_names(cls)
        prefix = f"{path}." if path else ""
        for key in node.value:
            if key != skip and key not in names:
                at = node.key_positions[key]
                line = self._lines[at[0] - 1] if at[0] <= len(self._lines) else ""
                said, at = _unknown_field(key, names, at, line)
                self.error(node, f"{prefix}{key}", said, at)
        kwargs: dict[str, Any] = {}
        kept: dict[str, tuple[int, ...]] = {}
        unread: set[str] = set()
        type_hints = hints(cls)
        for f in fields:
            child = node.value.get(f.name)
            if f.name == skip:
                continue  # the tag chose the class (or was said to be a slip of it): its default
            if child is None:
                if is_required(f):
                    said = Message.of("deck.missing_field", expected=describe(type_hints[f.name]))
                    self.error(node, f"{prefix}{f.name}", said)
                    unread.add(f.name)
                continue
            tp = type_hints[f.name]
            if _shape(tp)[0] == "list":
                value, kept_items = self._list(child, tp, f"{prefix}{f.name}")
                if kept_items is not None:
                    kept[f.name] = kept_items
            else:
                value = self.bind(child, tp, f"{prefix}{f.name}")
            if value is _MISSING:
                unread.add(f.name)
            else:
                kwargs[f.name] = value
        if unread:
            if not path:  # the deck itself: see deck_as_read
                self.unread_deck = (cls, kwargs, kept, frozenset(unread))
            return _MISSING
        return _located(cls(**kwargs), node, kept)

    def deck_as_read(self, tree: YNode) -> Any:
        """The deck of a file some of whose own fields could not be read (an empty title, a
        bad ``minutes``), those fields blank, where what the rules and the reference checks
        read of a deck was read: so they still speak of its steps or cards. ``None`` where it
        was not, or where the deck's ``kind`` was a slip (its fields were checked as the kind
        it is close to, but it is none)."""
        if self.unread_deck is None:
            return None
        cls, kwargs, kept, unread = self.unread_deck
        kind = tree.value.get("kind")
        written = kind.value if kind is not None and isinstance(kind.value, str) else None
        if model.DECK_KINDS.get(written or "") is not cls or unread & _DECK_CORE:
            return None
        blanks = {f.name: _blank(f) for f in public_fields(cls) if f.name in unread}
        return _located(cls(**kwargs, **blanks), tree, kept)


# What the rules and the loader's reference checks need of a deck to say anything of it; its
# other fields, unread, are left blank (``minutes`` None: not checked; no prerequisites).
_DECK_CORE = frozenset({"id", "steps", "cards"})


def _blank(f: dataclasses.Field[Any]) -> Any:
    """A field's value where it could not be read: its default, else ``None`` (a field no rule
    reads, such as a title: see ``_DECK_CORE``)."""
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None


def _located(obj: Any, node: YNode, kept: dict[str, tuple[int, ...]]) -> Any:
    """``obj``, bound from ``node``, told where it and its fields came from."""
    obj.line, obj.column = node.line, node.column
    obj.kept = kept
    obj.positions = _positions(node)
    obj.text_lines = {k: v.text_line for k, v in node.value.items() if v.text_line}
    return obj


def bind_deck(
    file: Path, tree: YNode
) -> tuple[model.LessonDeck | model.CardDeck | None, list[DeckError]]:
    """Bind a whole file: the deck and the errors found. The deck is ``None`` where an error
    left its id, steps or cards unread (its other fields unread are left blank: see
    :meth:`Binder.deck_as_read`); a step, card or option that could not be read is left out of
    its list, and the object holding that list records what was kept
    (:attr:`model.Located.kept`), so the rules can still look at the rest and every problem of
    the file be said at once. A deck with errors is never to be loaded."""
    binder = Binder(file)
    if not tree.is_map:
        said = Message.of(
            "deck.not_a_mapping", kinds="|".join(model.DECK_KINDS), got=_yaml_name(tree.value)
        )
        binder.error(tree, "", said)
        return None, binder.errors
    deck = binder.bind(tree, model.Deck, "")
    return (binder.deck_as_read(tree) if deck is _MISSING else deck), binder.errors
