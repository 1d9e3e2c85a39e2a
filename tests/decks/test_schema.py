"""The published JSON Schema is generated from the model and agrees with the loader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from tutor.decks import DeckLoader
from tutor.decks.schema_gen import render
from tutor.paths import shipped_root

ROOT = shipped_root()
SCHEMA_FILE = ROOT / "schemas" / "deck.schema.json"
SHIPPED = sorted([*ROOT.joinpath("lessons").glob("*.yaml"), *ROOT.joinpath("cards").glob("*.yaml")])
BAD = Path(__file__).parent / "bad"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_generated_from_the_model() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), (
        "schemas/deck.schema.json is stale: run `python -m tutor.decks.schema_gen`"
    )


@pytest.mark.parametrize("deck", SHIPPED, ids=lambda p: p.name)
def test_shipped_decks_satisfy_the_schema(validator, deck: Path) -> None:
    text = deck.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/deck.schema.json")
    errors = [e.message for e in validator.iter_errors(yaml.safe_load(text))]
    assert errors == []


@pytest.mark.parametrize(
    "name",
    [
        "unknown_field.yaml",
        "wrong_type.yaml",
        "missing_field.yaml",
        "bad_id.yaml",
        "unknown_step_type.yaml",
        "unknown_language.yaml",
    ],
)
def test_schema_rejects_what_the_loader_rejects(validator, name: str) -> None:
    data = yaml.safe_load((BAD / name).read_text(encoding="utf-8"))
    assert not validator.is_valid(data)


# One deck with a slot for each kind of field the schema describes; every slot's default is sound.
DRIFT_DECK = """\
format: 1
kind: lesson
id: drift
title: {title}
summary: {{en: {summary_en}}}
minutes: {minutes}
tags: [{tag}]
steps:
  - type: code
    id: drift.code
    code: {code}
    trace: {trace}
    device: {device}
  - type: quiz
    kind: predict
    id: drift.q
    question: q
    code: print(1)
    expect: {expect}
    why: w
  - type: card
    id: drift.card
    front: f
    back: {back}
    related: [{related}]
    torch_min: {torch_min}
"""
SOUND = {
    "title": "t",
    "summary_en": "s",
    "minutes": "5",
    "tag": "x",
    "code": "x = 1",
    "trace": "false",
    "device": "cpu",
    "expect": "'1'",
    "back": "b",
    "related": "drift.code",
    "torch_min": "'2.0'",
}
# Where the loader reads a YAML bool or number as the words written (Text, Code, str)
TEXT_SLOTS = ["title", "summary_en", "tag", "code", "expect", "back"]
# YAML 1.1 reads these as true, a float and an integer: not text to PyYAML
NOT_TEXT_TO_YAML = ["Yes", "1.50", "10"]


class EditorLoader(yaml.SafeLoader):
    """What an editor's schema check reads (YAML 1.2): `true`/`false` are bools, `Yes` text."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
EditorLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@pytest.mark.parametrize("value", NOT_TEXT_TO_YAML)
@pytest.mark.parametrize("slot", sorted(SOUND))
def test_schema_and_loader_agree_on_a_bool_or_number(
    validator, tmp_path: Path, slot: str, value: str
) -> None:
    """An editor must not mark red what the loader reads as text (``text: Yes``, ``back: 0``,
    ``expect: True``), nor pass what it refuses (``related: [yes]``): both verdicts, per field
    kind, so a change to the binder or the schema generator alone fails here."""
    text = DRIFT_DECK.format(**{**SOUND, slot: value})
    file = tmp_path / "drift.yaml"
    file.write_text(text, encoding="utf-8")
    loaded = DeckLoader([file]).load()
    schema_ok = validator.is_valid(yaml.load(text, Loader=EditorLoader))
    assert schema_ok == loaded.ok, loaded.errors
    if slot in TEXT_SLOTS:
        assert loaded.ok, loaded.errors


def test_the_drift_deck_is_sound(validator, tmp_path: Path) -> None:
    text = DRIFT_DECK.format(**SOUND)
    file = tmp_path / "drift.yaml"
    file.write_text(text, encoding="utf-8")
    assert DeckLoader([file]).load().errors == []
    assert validator.is_valid(yaml.safe_load(text))
