"""The author guide documents every field of the model and its example is a valid deck."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.decks import load_file, model
from tutor.decks.binder import public_fields

DOC = Path(__file__).resolve().parents[2] / "docs" / "deck-format.md"
CLASSES = [
    model.Option,
    model.OrderItem,
    model.Card,
    model.LessonDeck,
    model.CardDeck,
    *model.QUIZ_KINDS.values(),
    *model.STEP_TYPES.values(),
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_field_is_documented(cls: type) -> None:
    text = DOC.read_text(encoding="utf-8")
    for f in public_fields(cls):
        if f.name in ("quiz", "card") and cls in (model.QuizStep, model.CardStep):
            continue  # flattened: its fields are written on the step itself
        assert f"`{f.name}`" in text, f"{cls.__name__}.{f.name} is not in docs/deck-format.md"


def test_the_minimal_example_in_the_guide_is_valid(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if "kind: lesson" in b)
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    deck, errors = load_file(path)
    assert errors == [] and deck is not None and len(deck.steps) == 6
