"""Read a deck file into a tree of :class:`YNode` that remembers where every value came from.

PyYAML's C parser produces the events; this module builds the tree itself so it can enforce what
an author-facing format needs and PyYAML does not: duplicate keys are errors, nesting and alias
expansion are bounded (no billion-laughs), and nothing but plain data is ever constructed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from tutor.decks.errors import DeckError, Message, Value
from tutor.decks.yaml_events import Loader, events
from tutor.decks.yaml_syntax import odd_space, syntax_problem
from tutor.error_line import REASON_KEYS
from tutor.line_breaks import join_folded_lines

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
MAX_EXPANDED_NODES = 500_000

_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
# C0 and C1 control characters (and DEL), but for newline and tab: a `"\e[2J"` escape in a
# title or body would reach the learner's terminal as a command (clear the screen, retitle it)
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(slots=True, eq=False)
class YNode:
    """One YAML value with its 1-based position. ``value`` is a dict, a list or a plain scalar."""

    value: Any
    line: int
    column: int
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # mappings only
    # the file line of a scalar's first text line, where its text's lines are the file's lines
    # one to one (see :func:`_text_line`); None where they are not, and for lists and mappings
    text_line: int | None = None
    # a scalar YAML read as a bool or number, as the author wrote it (`Yes`, `0`, `1.50`): where
    # a field takes text, the author meant these words
    written: str | None = None

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value as plain Python data (used for error messages and tests)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


class DeckSourceError(Exception):
    """A file that cannot become a tree at all; carries the one :class:`DeckError` to report."""

    def __init__(self, error: DeckError) -> None:
        super().__init__(str(error))
        self.error = error

    @classmethod
    def at(
        cls, file: Path, line: int, column: int, said: Message, path: str = ""
    ) -> DeckSourceError:
        """The error at ``line``, ``column``: for the whole file, or for the field ``path``."""
        return cls(DeckError(file, line, column, path, said))


class UnsupportedTag(ValueError):
    """A scalar tagged with a type decks do not hold (``!!python/...``): said in our words."""

    def __init__(self, tag: str) -> None:
        super().__init__(f"unsupported tag {tag!r}")
        self.tag = tag


_resolver = Resolver()
_constructor = SafeConstructor()


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Resolve a scalar as YAML 1.1's safe loader would, without constructing objects."""
    if not event.style and event.implicit[0]:
        tag = _resolver.resolve(ScalarNode, event.value, event.implicit)
    elif event.tag in (None, "!"):
        tag = "tag:yaml.org,2002:str"
    else:
        tag = event.tag
    if tag == "tag:yaml.org,2002:str":
        return event.value
    constructor = SafeConstructor.yaml_constructors.get(tag)
    if constructor is None or not tag.startswith("tag:yaml.org,2002:"):
        raise UnsupportedTag(tag)
    return constructor(_constructor, ScalarNode(tag, event.value))


def _text_line(event: yaml.ScalarEvent, value: Any, lines: list[str]) -> int | None:
    """The 1-based file line of a scalar's first text line, only where each line of its text is
    one line of the file, so that line N of code is file line ``first + N - 1``: a literal ``|``
    block (its text starts on the line below the ``|``) or a value written on one line with no
    ``\\n`` escape. Folded (``>``) text, quoted or plain text over several lines and escaped
    newlines join or split lines: None, and a problem in them is named at the field itself."""
    start = event.start_mark.line + 1
    if event.style == "|":
        # The value starts at its anchor or tag (`code: &c |`), if any; a `|` on a later line
        # than those is rare enough not to be looked for: None
        return start + 1 if "|" in lines[start - 1][event.start_mark.column :] else None
    one_line = event.end_mark.line + 1 == start
    return start if one_line and not (isinstance(value, str) and "\n" in value) else None


def _field_path(stack: list[list[Any]]) -> str:
    """The field path (``steps[0].body``) of the value the open containers of :func:`_build`
    are reading; a mapping waiting for its next key adds nothing (the key's own path is its
    mapping's). Only worked out for an error: the usual file never needs it."""
    path = ""
    for node, key, *_ in stack:
        if node.is_seq:
            path += f"[{len(node.value)}]"
        elif key:
            path += f".{key}" if path else key
    return path


def decode_source(file: Path, data: bytes) -> str:
    """UTF-8 text of a deck, or a DeckSourceError pointing at the first undecodable byte."""
    if len(data) > MAX_FILE_BYTES:
        said = Message.of("deck.file_too_big", size=len(data), limit=MAX_FILE_BYTES)
        raise DeckSourceError.at(file, 1, 1, said)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        said = Message.of("deck.not_utf8", byte=data[exc.start])
        raise DeckSourceError.at(file, line, column, said) from None
    return text.removeprefix("\ufeff")


def _check_tabs(file: Path, text: str) -> None:
    """A tab in indentation, said plainly at its line (PyYAML's words for it puzzle authors).
    Only real indentation counts: inside a ``|`` or ``>`` block a line's text may start with a
    tab (Python indented with tabs), which YAML allows and the block keeps, and so may a quoted
    text's next line (YAML folds it to a space)."""
    tabbed = _tab_indented_lines(text)
    if not tabbed:
        return  # the usual file: no scan needed
    in_blocks, scanned_to = _block_scalar_lines(text)
    for number, column in tabbed:
        if number > scanned_to:
            return  # YAML broke off earlier: its own error, at its line, is the first to fix
        if number not in in_blocks:
            raise DeckSourceError.at(file, number, column, Message.of("deck.tab_indent"))


def _tab_indented_lines(text: str) -> list[tuple[int, int]]:
    """(line, column) of the first tab in each line's leading whitespace, 1-based."""
    tabbed: list[tuple[int, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            tabbed.append((number, indent.index("\t") + 1))
    return tabbed


def _block_scalar_lines(text: str) -> tuple[set[int], float]:
    """The 1-based lines holding a block scalar's text (and a quoted one's past its first line),
    as the YAML scanner's tokens mark them,
    and the last line the scanner reached (``inf`` when it read the whole file). Where it
    stopped inside a block (a tab before the block's own indentation, an error YAML reports
    itself), the lines read so far count as that block's."""
    lines: set[int] = set()
    loader = Loader(text)
    try:
        while True:
            token = loader.get_token()
            if token is None or type(token) is yaml.StreamEndToken:
                return lines, float("inf")
            # a block's lines, and a quoted text's lines after its first (YAML folds them)
            if type(token) is yaml.ScalarToken and token.style in ("|", ">", '"', "'"):
                lines.update(_content_lines(token.start_mark, token.end_mark))
    except yaml.MarkedYAMLError as exc:
        stop = exc.problem_mark or exc.context_mark
        stopped = stop.line + 1 if stop else 1
        if exc.context == "while scanning a block scalar" and exc.context_mark is not None:
            lines.update(range(exc.context_mark.line + 2, stopped))
        return lines, stopped
    except yaml.YAMLError:
        return lines, 1  # not even scanned: the parser's error comes first
    finally:
        loader.dispose()


def _content_lines(start: Any, end: Any) -> range:
    """1-based lines of a block scalar's text: those after its ``|`` line, up to the line its
    token ends on (where the next token starts, unless the text runs to the end of the file)."""
    return range(start.line + 2, end.line + 1 + (end.column > 0))


def parse_tree(file: Path, text: str) -> YNode:
    """Parse one YAML document into a :class:`YNode` tree, or raise :class:`DeckSourceError`."""
    _check_tabs(file, text)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise DeckSourceError.at(file, 1, 1, Message.of("deck.empty_file"))
    try:
        return _build(file, events(text), text.splitlines())
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        said = Message.of("deck.control_char", code=exc.character)
        raise DeckSourceError.at(file, line, column, said) from None
    except yaml.YAMLError as exc:
        said = Message.of("deck.yaml_error", error=" ".join(str(exc).split()))
        raise DeckSourceError.at(file, 1, 1, said) from None


def _build(file: Path, events: Any, lines: list[str]) -> YNode:
    """Assemble the tree from parser events, iteratively (no recursion, however deep the input).
    ``lines`` are the text's, for the folded scalars (:func:`join_folded_lines`)."""
    # One frame per open container: [node, pending key or None, key position, expanded size]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[YNode, int]] = {}
    root: YNode | None = None
    documents = 0
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)

    def fail(mark: Any, said: Message, path: str = "") -> DeckSourceError:
        return DeckSourceError.at(file, mark.line + 1, mark.column + 1, said, path)

    def parsed(events: Any) -> Any:
        """The events; a syntax error is raised as the deck's error at the field being read."""
        try:
            yield from events
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            odd = odd_space(lines, mark)
            if odd is not None:  # named where it is, not on the line YAML stopped at
                line, column, said = odd
            else:
                said = syntax_problem(exc, lines)
            raise DeckSourceError.at(file, line, column, said, _field_path(stack)) from None

    def refuse_control_characters(text: str, mark: Any) -> None:
        """Refuse a control character written as an escape (``"\\e"``, ``"\\x9b"``) in a key
        or a text: raw ones never get this far (PyYAML's reader refuses them, or reads a
        carriage return as a line break)."""
        found = _CONTROL_CHARACTER.search(text)
        if found:
            said = Message.of("deck.control_char", code=ord(found.group()))
            raise fail(mark, said, _field_path(stack))

    def attach(node: YNode, size: int, mark: Any) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        frame[3] += size
        if frame[3] > MAX_EXPANDED_NODES:
            raise fail(mark, Message.of("deck.alias_bomb", limit=MAX_EXPANDED_NODES))
        parent = frame[0].value
        if frame[1] is None:
            parent.append(node)
        else:
            parent[frame[1]] = node
            frame[0].key_positions[frame[1]] = frame[2]
            frame[1] = ""

    for event in parsed(events):
        kind = type(event)
        mark = event.start_mark
        if stack and stack[-1][1] == "" and kind is not mapping_end:
            # A mapping waits for its next key. Keys are taken as written: `yes:` stays "yes".
            frame = stack[-1]
            if kind is not scalar_event:
                raise fail(mark, Message.of("deck.key_not_text"))
            key = event.value
            refuse_control_characters(key, mark)
            if key == "<<" and not event.style:
                raise fail(mark, Message.of("deck.merge_key"))
            if key in frame[0].value:
                first = frame[0].key_positions[key]
                raise fail(mark, Message.of("deck.duplicate_key", key=key, first=first[0]))
            frame[1] = key
            frame[2] = (mark.line + 1, mark.column + 1)
            continue
        if kind is scalar_event:
            try:  # untagged quoted or block scalars are always text: skip the resolver
                plain_text = event.style and event.tag in (None, "!")
                value = event.value if plain_text else _scalar(event)
                if event.style == ">" and plain_text:  # Chinese lines join with no space
                    source_lines = lines[mark.line + 1 : event.end_mark.line + 1]
                    value = join_folded_lines(value, source_lines)
            except (ValueError, yaml.YAMLError) as exc:
                # PyYAML's or Python's own words for a value they could not make (a bad date)
                reason: Value = (
                    Message.of("deck.unsupported_scalar_tag", tag=exc.tag)
                    if isinstance(exc, UnsupportedTag)
                    else str(exc)
                )
                said = Message.of("deck.bad_value", value=event.value, reason=reason)
                raise fail(mark, said) from None
            if isinstance(value, str):
                refuse_control_characters(value, mark)
            written = None if value is None or isinstance(value, str) else event.value
            text_line = _text_line(event, value, lines)
            node = YNode(value, mark.line + 1, mark.column + 1, _NO_KEYS, text_line, written)
            if event.anchor:
                anchors[event.anchor] = (node, 1)
            attach(node, 1, mark)
        elif kind in starts:
            if len(stack) >= MAX_DEPTH:
                raise fail(mark, Message.of("deck.too_deep", limit=MAX_DEPTH))
            if event.tag not in (None, "!", *_COLLECTION_TAGS):
                raise fail(mark, Message.of("deck.unsupported_tag", tag=event.tag))
            is_map = kind is yaml.MappingStartEvent
            node = YNode({} if is_map else [], mark.line + 1, mark.column + 1)
            stack.append([node, "" if is_map else None, None, 1, event.anchor])
        elif kind in ends:
            node, _, _, size, anchor = stack.pop()
            if anchor:
                anchors[anchor] = (node, size)
            attach(node, size, mark)
        elif kind is alias_event:
            if event.anchor not in anchors:
                raise fail(mark, Message.of("deck.unknown_alias", alias=event.anchor))
            node, size = anchors[event.anchor]
            attach(node, size, mark)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise fail(mark, Message.of("deck.two_documents"))
    if root is None:
        raise DeckSourceError.at(file, 1, 1, Message.of("deck.empty_file"))
    return root


mapping_end = yaml.MappingEndEvent
_NO_KEYS: dict[str, tuple[int, int]] = {}  # shared, never written: scalars have no keys


def read_tree(file: Path) -> YNode:
    """Read, decode and parse ``file``; every failure is a :class:`DeckSourceError`."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        # the common reasons in the learner's words, the system's English for the rest
        key = REASON_KEYS.get(exc.errno or 0)
        reason: Value = Message.of(key) if key else str(exc.strerror)
        raise DeckSourceError.at(
            file, 1, 1, Message.of("deck.cannot_read", reason=reason)
        ) from None
    return parse_tree(file, decode_source(file, data))
