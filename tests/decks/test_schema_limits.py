"""The editor schema states the validator's limits (model.py's ``MIN_*``, ``RAISES_PATTERN``) and
is never stricter than it: a deck ``nn-tutor validate`` refuses for one of them is marked in the
editor, and a deck it takes is never marked."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import pytest
import yaml

from tutor.decks import model
from tutor.decks.loader import load_file
from tutor.decks.rules import deck_rules
from tutor.paths import shipped_root

ROOT = shipped_root()
SCHEMA_FILE = ROOT / "schemas" / "deck.schema.json"
TESTS = Path(__file__).parents[1]

LESSON = """\
format: 1
kind: lesson
id: lim
title: {{en: "Base", zh: "基础"}}
summary: "Base lesson."
{head}steps:
{steps}"""


def lesson(steps: str, head: str = "") -> str:
    return LESSON.format(head=head, steps=steps)


def options(count: int) -> str:
    return "".join(f'      - {{text: "{n}", why: "w"}}\n' for n in range(count))


def order_items(count: int) -> str:
    return "".join(f'      - {{text: "{n}"}}\n' for n in range(count))


def recap(count: int) -> str:
    points = "".join(f"      - p{n}\n" for n in range(count))
    return "  - type: recap\n    points:" + (f"\n{points}" if count else " []\n")


def single(count: int) -> str:
    return (
        "  - type: quiz\n    kind: single\n    id: lim.q\n    question: Q?\n"
        f"    options:\n{options(count)}    answer: a\n"
    )


def multiple(count: int, answer: str = "[a]") -> str:
    return (
        "  - type: quiz\n    kind: multiple\n    id: lim.q\n    question: Q?\n"
        f"    options:\n{options(count)}    answer: {answer}\n"
    )


def order(count: int) -> str:
    return (
        "  - type: quiz\n    kind: order\n    id: lim.q\n    question: Q?\n"
        f"    items:\n{order_items(count)}"
    )


def predict(code: str | None) -> str:
    line = "" if code is None else f"    code: {code}\n"
    return f"  - type: quiz\n    kind: predict\n    id: lim.q\n    question: Q?\n{line}    why: w\n"


def raising(raises: str) -> str:
    return f"  - type: code\n    id: lim.c\n    code: x = 1\n    raises: {raises}\n"


def steps(count: int) -> str:
    return "".join(f"  - type: text\n    body: b{n}\n" for n in range(count)) or "  []\n"


def card_deck(count: int) -> str:
    cards = "".join(f"  - {{id: lim.c{n}, front: f, back: b}}\n" for n in range(count))
    return (
        f"format: 1\nkind: cards\nid: lim\ntitle: T\ncards:{chr(10) + cards if count else ' []'}\n"
    )


def minutes(value: int) -> str:
    return lesson(steps(1), head=f"minutes: {value}\n")


# (deck refused by validate for one rule, the field path validate names) per rule the schema can
# state; each built from the model's limit, so a limit changed on one side only fails here
REFUSED = {
    "minutes 0": (minutes(model.MIN_MINUTES - 1), "minutes"),
    "no steps": (lesson(steps(model.MIN_STEPS - 1)), "steps"),
    "recap without points": (lesson(recap(model.MIN_POINTS - 1)), "steps[0].points"),
    "single with one option": (lesson(single(model.MIN_OPTIONS - 1)), "steps[0].options"),
    "multiple with one option": (lesson(multiple(model.MIN_OPTIONS - 1)), "steps[0].options"),
    "order with one item": (lesson(order(model.MIN_ORDER_ITEMS - 1)), "steps[0].items"),
    "answer: []": (lesson(multiple(2, "[]")), "steps[0].answer"),
    "answer: [a, a]": (lesson(multiple(2, "[a, a]")), "steps[0].answer"),
    "predict without code": (lesson(predict(None)), "steps[0].code"),
    "predict with code: null": (lesson(predict("null")), "steps[0].code"),
    "predict with code: ''": (lesson(predict("''")), "steps[0].code"),
    "raises a dotted name": (lesson(raising("torch.cuda.OutOfMemoryError")), "steps[0].raises"),
    "raises an error line": (lesson(raising('"RuntimeError: boom"')), "steps[0].raises"),
    "raises: yes": (lesson(raising("yes")), "steps[0].raises"),
    "raises: 'no'": (lesson(raising("'no'")), "steps[0].raises"),
    "raises: 1": (lesson(raising("1")), "steps[0].raises"),
    "raises: valueError": (lesson(raising("valueError")), "steps[0].raises"),
    "card deck without cards": (card_deck(model.MIN_CARDS - 1), "cards"),
}
# the same decks at each limit: validate takes them, so the schema must
TAKEN = {
    "minutes at the least": minutes(model.MIN_MINUTES),
    "one step": lesson(steps(model.MIN_STEPS)),
    "recap with points": lesson(recap(model.MIN_POINTS)),
    "single with enough options": lesson(single(model.MIN_OPTIONS)),
    "multiple with enough options": lesson(multiple(model.MIN_OPTIONS)),
    "order with enough items": lesson(order(model.MIN_ORDER_ITEMS)),
    "two answers": lesson(multiple(2, "[a, b]")),
    "predict with code": lesson(predict("print(1)")),
    "predict with code: 0": lesson(predict("0")),
    "raises a class name": lesson(raising("RuntimeError")),
    "raises a lower-case class": lesson(raising("gaierror")),
    "card deck with cards": card_deck(model.MIN_CARDS),
}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate_errors(tmp_path: Path, text: str) -> list[str]:
    """The field paths ``validate`` names for one deck file."""
    file = tmp_path / "lim.yaml"
    file.write_text(text, encoding="utf-8")
    deck, errors = load_file(file)
    assert (deck is None) == bool(errors)
    return [error.path for error in errors]


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_the_schema_marks_what_validate_refuses(validator, tmp_path: Path, case: str) -> None:
    text, path = REFUSED[case]
    assert validate_errors(tmp_path, text) == [path]
    assert not validator.is_valid(yaml.safe_load(text)), "the editor schema takes it"


@pytest.mark.parametrize("case", sorted(TAKEN))
def test_the_schema_takes_what_validate_takes(validator, tmp_path: Path, case: str) -> None:
    text = TAKEN[case]
    assert validate_errors(tmp_path, text) == []
    assert [e.message for e in validator.iter_errors(yaml.safe_load(text))] == []


# (limit in model.py, deck one short of it built from that limit, the number's word in the message)
LIMIT_DECKS = {
    "MIN_MINUTES": lambda least: minutes(least - 1),
    "MIN_STEPS": lambda least: lesson(steps(least - 1)),
    "MIN_POINTS": lambda least: lesson(recap(least - 1)),
    "MIN_OPTIONS": lambda least: lesson(single(least - 1)),
    "MIN_ORDER_ITEMS": lambda least: lesson(order(least - 1)),
    "MIN_ANSWERS": lambda least: lesson(multiple(least + 1, f"[{', '.join('ab'[: least - 1])}]")),
    "MIN_CARDS": lambda least: card_deck(least - 1),
}


@pytest.mark.parametrize("limit", sorted(LIMIT_DECKS))
def test_validate_says_the_limit_the_model_holds(monkeypatch, tmp_path: Path, limit: str) -> None:
    """The message states the limit from model.py, so a limit changed there is not misreported."""
    least = getattr(model, limit) + 1
    monkeypatch.setattr(model, limit, least)
    file = tmp_path / "lim.yaml"
    file.write_text(LIMIT_DECKS[limit](least), encoding="utf-8")
    _, errors = load_file(file)
    assert len(errors) == 1, [str(e) for e in errors]
    assert f" {least} " in f" {errors[0].message} ", errors[0].message


def deck_files() -> list[Path]:
    """Every deck file shipped or kept as a test fixture."""
    found = [*ROOT.joinpath("lessons").glob("*.yaml"), *ROOT.joinpath("cards").glob("*.yaml")]
    for file in TESTS.rglob("*.yaml"):
        if "__snapshots__" not in file.parts and "\nkind: " in file.read_text(errors="replace"):
            found.append(file)
    return sorted(found)


def test_no_deck_validate_takes_is_marked_by_the_schema(validator) -> None:
    """Shipped decks and every good fixture: the schema is never stricter than ``validate``."""
    taken = 0
    for file in deck_files():
        deck, _ = load_file(file)
        if deck is None:
            continue
        taken += 1
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(file.read_text()))]
        assert errors == [], file
    assert taken >= 20  # the shipped course and the fixtures were found


# ------------------------------------------------------------------------------------ raises

RAISES_WORDS = [
    "RuntimeError", "ValueError", "error", "gaierror", "_Private", "Err2", "E", "e", "x",
    "valueError", "aError", "aIteration", "runtimeException", "error", "exit", "eXit",
    "yes", "YES", "No", "n", "Y", "on", "OFF", "True", "false", "yess", "Yes2", "none",
    "torch.cuda.OutOfMemoryError", "RuntimeError: boom", "Runtime Error", "1Error", "",
    "ValueError\t", " ValueError", "Value-Error", "ÉrreurPerso", "Ошибка", "𝔈rror", "éError",
    "Error\u3000", "a\u00b7b",
]  # fmt: skip


def rule_takes(raises: str) -> bool:
    """Whether the validator's rule takes ``raises`` on a code step."""
    step = model.CodeStep(id="lim.c", code="x = 1", raises=raises)
    deck = model.LessonDeck(id="lim", title="T", summary="S", steps=[step])
    return deck_rules(Path("lim.yaml"), deck) == []


def schema_takes(validator: jsonschema.Draft202012Validator, raises: object) -> bool:
    deck = {"format": 1, "kind": "lesson", "id": "lim", "title": "T", "summary": "S"}
    step = {"type": "code", "id": "lim.c", "code": "x = 1", "raises": raises}
    return validator.is_valid({**deck, "steps": [step]})


def fuzz_words(count: int) -> list[str]:
    """ASCII words near exception names: letters, digits, ``_``, ``.``, ``:``, a space."""
    pick = random.Random(20261205)
    parts = ["Error", "error", "Exit", "Iteration", "yes", "No", "_", "1", ".", ":", " ", "a", "Z"]
    return ["".join(pick.choices(parts, k=pick.randint(1, 4))) for _ in range(count)]


@pytest.mark.parametrize("raises", RAISES_WORDS)
def test_raises_pattern_is_never_stricter_than_the_rule(validator, raises: str) -> None:
    """The rule is ``str.isidentifier`` and a few slips; the pattern holds ASCII to it exactly
    and lets other characters pass (no regex dialect both sides read names Unicode letters)."""
    if raises.isascii():
        assert schema_takes(validator, raises) == rule_takes(raises)
    elif rule_takes(raises):
        assert schema_takes(validator, raises)


def test_raises_pattern_agrees_with_the_rule_on_ascii(validator) -> None:
    words = fuzz_words(3000)
    disagree = [w for w in words if schema_takes(validator, w) != rule_takes(w)]
    assert disagree == []
    assert 100 < sum(map(rule_takes, words)) < len(words)  # both verdicts were tried


@pytest.mark.parametrize("written", ["yes", "Off", "true", "1", "1.5", "0x1F", ".inf", "~"])
def test_raises_yaml_bools_and_numbers(validator, tmp_path: Path, written: str) -> None:
    """``raises: yes`` or ``raises: 1`` never names a class: the rule refuses their words, so the
    schema takes a string only (and ``null``, no ``raises``)."""
    text = lesson(raising(written))
    refused = validate_errors(tmp_path, text) == ["steps[0].raises"]
    assert refused == (written != "~")
    assert validator.is_valid(yaml.safe_load(text)) == (not refused)
