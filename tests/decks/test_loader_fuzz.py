"""Mutated decks must come back as errors or as a deck — never as an exception."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.decks.loader import load_file
from tutor.paths import shipped_root

SOURCES = [
    shipped_root() / "lessons" / "00-welcome.yaml",
    shipped_root() / "cards" / "welcome.yaml",
]
DECKS = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in SOURCES]
TEXTS = [p.read_text(encoding="utf-8") for p in SOURCES]

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _set(root: Any, path: tuple, value: Any, delete: bool) -> Any:
    if not path:
        return value
    parent = root
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return root


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_structural_mutations_never_raise(tmp_path: Path, data: st.DataObject) -> None:
    deck = copy.deepcopy(data.draw(st.sampled_from(DECKS)))
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(deck)
        path = data.draw(st.sampled_from(paths))
        delete = bool(path) and data.draw(st.booleans())
        deck = _set(deck, path, data.draw(junk), delete)
    target = tmp_path / "mutated.yaml"
    target.write_text(yaml.safe_dump(deck, allow_unicode=True), encoding="utf-8")
    result, errors = load_file(target)
    assert (result is None) == bool(errors)
    for error in errors:
        assert "\n" not in str(error) and error.line >= 1 and error.column >= 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_text_mutations_never_raise(tmp_path: Path, data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(TEXTS))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    insert = data.draw(st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#\t\n x")), max_size=8))
    target = tmp_path / "mutated.yaml"
    target.write_bytes(
        (text[:start] + insert + text[end:]).encode("utf-8") + data.draw(st.binary(max_size=3))
    )
    result, errors = load_file(target)
    assert (result is None) == bool(errors)
    assert all("\n" not in str(e) for e in errors)
