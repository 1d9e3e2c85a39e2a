"""A deck's YAML read as parser events: PyYAML's C parser where it was built with libyaml, its
own safe one else. Nothing is constructed: the tree is built from the events (see
:mod:`tutor.decks.yaml_source`), and a slip is explained by parsing again
(:mod:`tutor.decks.yaml_syntax`)."""

from __future__ import annotations

from collections.abc import Iterator

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def events(text: str) -> Iterator[yaml.Event]:
    """Parser events straight from the parser (``yaml.parse`` adds a check call per event)."""
    loader = Loader(text)
    try:
        get_event, end = loader.get_event, yaml.StreamEndEvent
        while True:
            event = get_event()
            if type(event) is end:
                return
            yield event
    finally:
        loader.dispose()
