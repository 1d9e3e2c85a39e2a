"""Generic walks over bound decks, driven by the model's type hints."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from typing import Any, get_args, get_origin

from tutor.decks.binder import FLATTENED, hints, public_fields

TextValue = str | dict[str, str]


def is_text(tp: Any) -> bool:
    """Whether a field of type ``tp`` holds learner-facing text (a ``Text``, or a list of them)."""
    if get_origin(tp) is typing.Annotated:
        return get_args(tp)[1] == "text"
    return any(is_text(arg) for arg in get_args(tp))


def iter_text_fields(obj: Any, path: str = "") -> Iterator[tuple[Any, str, str, TextValue]]:
    """``(owner, field name, field path, text)`` for every learner-facing string in ``obj``.

    Paths read as the file is written: a quiz or card step's fields sit on the step
    (``steps[2].question``), as the binder's flattened wrappers take them.
    """
    if isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from iter_text_fields(item, f"{path}[{index}]")
        return
    if not dataclasses.is_dataclass(obj):
        return
    if type(obj) in FLATTENED:
        yield from iter_text_fields(getattr(obj, FLATTENED[type(obj)]), path)
        return
    type_hints = hints(type(obj))
    for f in public_fields(type(obj)):
        value = getattr(obj, f.name)
        sub = f"{path}.{f.name}" if path else f.name
        if value is None:
            continue
        if is_text(type_hints[f.name]):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield obj, f.name, f"{sub}[{index}]", item
            else:
                yield obj, f.name, sub, value
        else:
            yield from iter_text_fields(value, sub)


def iter_texts(obj: Any, path: str = "") -> Iterator[tuple[str, TextValue]]:
    """Every learner-facing string in ``obj`` with its field path."""
    for _, _, sub, text in iter_text_fields(obj, path):
        yield sub, text
