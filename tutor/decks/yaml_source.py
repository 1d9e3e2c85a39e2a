"""Read a deck file into a tree of :class:`YNode` that remembers where every value came from.

PyYAML's C parser produces the events; this module builds the tree itself so it can enforce what
an author-facing format needs and PyYAML does not: duplicate keys are errors, nesting and alias
expansion are bounded (no billion-laughs), and nothing but plain data is ever constructed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from tutor.decks.errors import DeckError
from tutor.line_breaks import join_folded_lines

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40
MAX_EXPANDED_NODES = 500_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


@dataclass(slots=True, eq=False)
class YNode:
    """One YAML value with its 1-based position. ``value`` is a dict, a list or a plain scalar."""

    value: Any
    line: int
    column: int
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)  # mappings only
    block: bool = False  # a literal or folded scalar (``|``, ``>``): its text starts a line below
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
        raise ValueError(f"unsupported tag {tag!r}")
    return constructor(_constructor, ScalarNode(tag, event.value))


def decode_source(file: Path, data: bytes) -> str:
    """UTF-8 text of a deck, or a DeckSourceError pointing at the first undecodable byte."""
    if len(data) > MAX_FILE_BYTES:
        raise DeckSourceError(
            DeckError(
                file,
                1,
                1,
                "",
                f"file is {len(data):,} bytes; decks are limited to {MAX_FILE_BYTES:,} bytes",
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise DeckSourceError(
            DeckError(
                file,
                line,
                column,
                "",
                f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
            )
        ) from None
    return text.removeprefix("\ufeff")


def _check_tabs(file: Path, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            raise DeckSourceError(
                DeckError(
                    file,
                    number,
                    indent.index("\t") + 1,
                    "",
                    "tab character in indentation; YAML indents with spaces only",
                )
            )


def parse_tree(file: Path, text: str) -> YNode:
    """Parse one YAML document into a :class:`YNode` tree, or raise :class:`DeckSourceError`."""
    _check_tabs(file, text)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise DeckSourceError(DeckError(file, 1, 1, "", "file is empty; expected a deck mapping"))
    try:
        return _build(file, _events(text), text.splitlines())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DeckSourceError(
            DeckError(file, line, column, "", f"YAML syntax error: {_syntax_problem(exc, line)}")
        ) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        raise DeckSourceError(
            DeckError(
                file, line, column, "", f"control character U+{exc.character:04X} is not allowed"
            )
        ) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise DeckSourceError(DeckError(file, 1, 1, "", f"YAML error: {message}")) from None


def _syntax_problem(exc: yaml.MarkedYAMLError, line: int) -> str:
    """PyYAML's words for a syntax error, naming the line its context (an unclosed quote or
    bracket, say) started on when that is not the reported ``line``: an unclosed quote is only
    noticed where the file ends."""
    context = exc.context
    start = exc.context_mark
    if context and start is not None and start.line + 1 != line:
        context = f"{context} that starts at line {start.line + 1},"
    return " ".join(p for p in (context, exc.problem) if p) or "invalid YAML"


def _events(text: str) -> Any:
    """Parser events straight from the C parser (``yaml.parse`` adds a check call per event)."""
    loader = _Loader(text)
    try:
        get_event, end = loader.get_event, yaml.StreamEndEvent
        while True:
            event = get_event()
            if type(event) is end:
                return
            yield event
    finally:
        loader.dispose()


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

    def fail(mark: Any, message: str) -> DeckSourceError:
        return DeckSourceError(DeckError(file, mark.line + 1, mark.column + 1, "", message))

    def attach(node: YNode, size: int, mark: Any) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        frame = stack[-1]
        frame[3] += size
        if frame[3] > MAX_EXPANDED_NODES:
            raise fail(
                mark,
                f"document expands to over {MAX_EXPANDED_NODES:,} values "
                "(alias bomb?); decks are limited to that",
            )
        parent = frame[0].value
        if frame[1] is None:
            parent.append(node)
        else:
            parent[frame[1]] = node
            frame[0].key_positions[frame[1]] = frame[2]
            frame[1] = ""

    for event in events:
        kind = type(event)
        mark = event.start_mark
        if stack and stack[-1][1] == "" and kind is not mapping_end:
            # A mapping waits for its next key. Keys are taken as written: `yes:` stays "yes".
            frame = stack[-1]
            if kind is not scalar_event:
                raise fail(mark, "a mapping key must be plain text, not a list, mapping or alias")
            key = event.value
            if key == "<<" and not event.style:
                raise fail(mark, "YAML merge keys ('<<') are not supported; write the fields out")
            if key in frame[0].value:
                first = frame[0].key_positions[key]
                raise fail(mark, f"duplicate key {key!r} (first defined at line {first[0]})")
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
                raise fail(mark, f"cannot read value {event.value!r}: {exc}") from None
            block = event.style in ("|", ">")
            written = None if value is None or isinstance(value, str) else event.value
            node = YNode(value, mark.line + 1, mark.column + 1, _NO_KEYS, block, written)
            if event.anchor:
                anchors[event.anchor] = (node, 1)
            attach(node, 1, mark)
        elif kind in starts:
            if len(stack) >= MAX_DEPTH:
                raise fail(
                    mark, f"nested deeper than {MAX_DEPTH} levels; decks are limited to that"
                )
            if event.tag not in (None, "!", *_COLLECTION_TAGS):
                raise fail(mark, f"unsupported tag {event.tag!r}; decks hold plain data only")
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
                raise fail(mark, f"unknown alias *{event.anchor}")
            node, size = anchors[event.anchor]
            attach(node, size, mark)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise fail(mark, "more than one YAML document; put one deck in each file")
    if root is None:
        raise DeckSourceError(DeckError(file, 1, 1, "", "file is empty; expected a deck mapping"))
    return root


mapping_end = yaml.MappingEndEvent
_NO_KEYS: dict[str, tuple[int, int]] = {}  # shared, never written: scalars have no keys


def read_tree(file: Path) -> YNode:
    """Read, decode and parse ``file``; every failure is a :class:`DeckSourceError`."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise DeckSourceError(
            DeckError(file, 1, 1, "", f"cannot read file: {exc.strerror}")
        ) from None
    return parse_tree(file, decode_source(file, data))
