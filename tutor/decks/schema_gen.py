"""Generate ``schemas/deck.schema.json`` from the model, the same classes the binder uses.

Run ``python -m tutor.decks.schema_gen`` to rewrite the file; a test fails while it is stale.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from tutor.decks import model
from tutor.decks.binder import DISCRIMINATORS, FLATTENED, hints, is_required, public_fields
from tutor.i18n import LANGS
from tutor.torch_version import VERSION_PATTERN

YAML11_BOOL_WORDS = tuple(
    f(word) for word in ("yes", "no", "on", "off") for f in (str.lower, str.title, str.upper)
)
"""The words YAML 1.1 reads as true or false that YAML 1.2 reads as text (``y``/``n`` are
text to PyYAML too)."""
SCHEMA_ID = "https://nn-tutor.dev/schemas/deck.schema.json"

TEXT_TYPES = ["string", "number", "boolean"]
"""What a field the loader reads as text may hold: YAML makes ``text: Yes``, ``back: 0`` or
``expect: True`` a bool or a number, and the binder keeps the words as written (``YNode.written``),
so an editor checking the schema must not mark them wrong. Ids, releases and choices stay strings:
the loader refuses a bool or number there."""


def text_schema(min_length: int = 0) -> dict[str, Any]:
    """A value the loader reads as text; ``min_length`` applies to strings only (JSON Schema's
    ``minLength`` does not constrain a number or a bool)."""
    schema: dict[str, Any] = {"type": TEXT_TYPES}
    return {**schema, "minLength": min_length} if min_length else schema


LIMIT_KEYWORDS = {"min_items": "minItems", "unique_items": "uniqueItems", "minimum": "minimum"}
"""Field metadata (see the limits in ``model.py``) -> the JSON Schema keyword that says it."""


def non_null(schema: dict[str, Any]) -> dict[str, Any]:
    """The value's own schema, an optional field's ``null`` branch left out."""
    branches = schema.get("anyOf", [])
    if len(branches) == 2 and branches[1] == {"type": "null"}:
        return branches[0]
    return schema


def limited(schema: dict[str, Any], metadata: Any) -> dict[str, Any]:
    """``schema`` with the limits a field's metadata names on its value (``null`` stays
    allowed for an optional field): the rules the validator checks and JSON Schema can say."""
    extra = {LIMIT_KEYWORDS[key]: v for key, v in metadata.items() if key in LIMIT_KEYWORDS}
    value = non_null(schema)
    if "pattern" in metadata:
        # a pattern field's rule refuses what YAML reads as a bool or a number: a string only
        value, extra = {"type": "string"}, {**extra, "pattern": metadata["pattern"]}
    if not extra:
        return schema
    return _with_value(schema, {**value, **extra})


def _with_value(schema: dict[str, Any], value: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its value's schema replaced, an optional field's ``null`` kept."""
    if non_null(schema) is schema:
        return value
    return {"anyOf": [value, {"type": "null"}]}


class SchemaBuilder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def type_schema(self, tp: Any) -> dict[str, Any]:
        if get_origin(tp) is typing.Annotated:
            kind = get_args(tp)[1]
            if kind == "text":
                return {"$ref": "#/$defs/Text"}
            if kind == "id":
                return {"$ref": "#/$defs/Id"}
            if kind == "torch_version":
                return {"type": "string", "pattern": VERSION_PATTERN}
            return text_schema(min_length=1)  # code
        if tp in DISCRIMINATORS:
            key, choices = DISCRIMINATORS[tp]
            return {"oneOf": [self.variant(cls, key, tag) for tag, cls in choices.items()]}
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            inner = self.type_schema(args[0])
            return {"anyOf": [inner, {"type": "null"}]} if len(args) < len(get_args(tp)) else inner
        if origin is list:
            return {"type": "array", "items": self.type_schema(get_args(tp)[0])}
        if origin is Literal:
            return {"enum": list(get_args(tp))}
        if dataclasses.is_dataclass(tp):
            return {"$ref": f"#/$defs/{self.define(tp)}"}
        if tp is str:
            return text_schema()
        if tp is bool:
            # PyYAML (YAML 1.1) reads `yes`, `off`... as true and false, and the loader takes
            # them; an editor reads YAML 1.2, where they are text: the schema takes them too
            return {"anyOf": [{"type": "boolean"}, {"enum": list(YAML11_BOOL_WORDS)}]}
        return {"type": "integer"}

    def object_schema(self, cls: type, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        properties: dict[str, Any] = dict(extra or {})
        required = list(extra or {})
        type_hints = hints(cls)
        needs = getattr(cls, "NEEDS", ())
        for f in public_fields(cls):
            prop = limited(self.type_schema(type_hints[f.name]), f.metadata)
            if f.name in needs:  # optional to the binder, required by the validator's rule
                prop = non_null(prop)
            if f.metadata.get("doc"):
                prop = {**prop, "description": f.metadata["doc"]}
            properties[f.name] = prop
            if is_required(f) or f.name in needs:
                required.append(f.name)
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            schema["required"] = required
        if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
            schema["description"] = " ".join(cls.__doc__.split())
        return schema

    def variant(self, cls: type, key: str, tag: str) -> dict[str, Any]:
        """One branch of a discriminated union: ``key`` is pinned to ``tag``."""
        pinned = {key: {"const": tag}}
        if cls in FLATTENED:
            inner_tp = hints(cls)[FLATTENED[cls]]
            if inner_tp in DISCRIMINATORS:
                inner_key, choices = DISCRIMINATORS[inner_tp]
                return {
                    "oneOf": [
                        self.object_schema(c, {**pinned, inner_key: {"const": t}})
                        for t, c in choices.items()
                    ]
                }
            return self.object_schema(inner_tp, pinned)
        return self.object_schema(cls, pinned)

    def define(self, cls: type) -> str:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            self.defs[name] = self.object_schema(cls)
        return name


def build_schema() -> dict[str, Any]:
    builder = SchemaBuilder()
    root = builder.type_schema(model.Deck)
    defs = {
        "Text": {
            "description": "Plain text, or the text in each language; a missing one falls back.",
            "anyOf": [
                text_schema(min_length=1),
                {
                    "type": "object",
                    "properties": {lang: text_schema(min_length=1) for lang in LANGS},
                    "additionalProperties": False,
                    "minProperties": 1,
                },
            ],
        },
        "Id": {"type": "string", "pattern": model.ID_PATTERN},
        **dict(sorted(builder.defs.items())),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"nn-tutor deck (format {model.FORMAT_VERSION})",
        "description": "A lesson deck (kind: lesson) or a flashcard deck (kind: cards).",
        **root,
        "$defs": defs,
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schemas/deck.schema.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
