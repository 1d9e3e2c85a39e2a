"""Generic walks over bound decks, driven by the model's type hints."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator
from typing import Any, get_args, get_origin

from tutor.decks.binder import hints, public_fields


def _is_text(tp: Any) -> bool:
    if get_origin(tp) is typing.Annotated:
        return get_args(tp)[1] == "text"
    return any(_is_text(arg) for arg in get_args(tp))


def iter_texts(obj: Any, path: str = "") -> Iterator[tuple[str, str | dict[str, str]]]:
    """Every learner-facing string in ``obj`` with its field path."""
    if isinstance(obj, list):
        for index, item in enumerate(obj):
            yield from iter_texts(item, f"{path}[{index}]")
        return
    if not dataclasses.is_dataclass(obj):
        return
    type_hints = hints(type(obj))
    for f in public_fields(type(obj)):
        value = getattr(obj, f.name)
        sub = f"{path}.{f.name}" if path else f.name
        if value is None:
            continue
        if _is_text(type_hints[f.name]):
            if isinstance(value, list):
                for index, item in enumerate(value):
                    yield f"{sub}[{index}]", item
            else:
                yield sub, value
        else:
            yield from iter_texts(value, sub)
