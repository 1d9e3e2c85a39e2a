"""The published JSON Schema is generated from the model and agrees with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

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
