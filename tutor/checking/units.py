"""Turn a deck library into the list of things ``nn-tutor check`` must run.

Pure data: nothing here runs code, so the collector is cheap to test and the UI could show it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from tutor.decks import DeckLibrary, model

UnitKind = Literal["snippet", "verify", "predict", "solution", "starter", "example"]


@dataclass(frozen=True)
class CheckUnit:
    """One run and what must come of it."""

    item_id: str
    kind: UnitKind
    file: Path
    line: int
    code: str
    device: str = "cpu"
    check: str | None = None  # exercise check code, run after ``code`` in its namespace
    raises: str | None = None  # a snippet meant to raise this exception type
    expect: str | None = None  # predict: the exact last line the code prints
    torch_min: str | None = None  # the oldest torch the item holds on

    @property
    def label(self) -> str:
        return f"{self.item_id} [{self.kind}]"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _unit(item: Any, kind: UnitKind, file: Path, code: str, **extra: Any) -> CheckUnit:
    """A unit of ``item`` (a quiz, card, code step or exercise): its id, line and torch_min."""
    return CheckUnit(item.id, kind, file, item.line, code, torch_min=item.torch_min, **extra)


def _quiz_units(file: Path, quiz: model.QuizBase) -> Iterator[CheckUnit]:
    if quiz.verify:
        yield _unit(quiz, "verify", file, quiz.verify)
    if isinstance(quiz, model.Predict) and quiz.code:
        yield _unit(quiz, "predict", file, quiz.code, device=quiz.device, expect=quiz.expect)


def _card_units(file: Path, card: model.Card) -> Iterator[CheckUnit]:
    if card.verify:
        yield _unit(card, "verify", file, card.verify)
    if card.example:
        yield _unit(card, "example", file, card.example)


def _lesson_units(file: Path, lesson: model.LessonDeck) -> Iterator[CheckUnit]:
    for step in lesson.steps:
        if isinstance(step, model.CodeStep):
            yield _unit(step, "snippet", file, step.code, device=step.device, raises=step.raises)
        elif isinstance(step, model.QuizStep):
            yield from _quiz_units(file, step.quiz)
        elif isinstance(step, model.CardStep):
            yield from _card_units(file, step.card)
        elif isinstance(step, model.ExerciseStep):
            yield _unit(step, "solution", file, step.solution, check=step.check)
            yield _unit(step, "starter", file, step.starter, check=step.check)


def collect_units(library: DeckLibrary) -> list[CheckUnit]:
    """Every unit of every loaded deck, in course order."""
    units: list[CheckUnit] = []
    for lesson in library.lessons:
        units.extend(_lesson_units(library.files[lesson.id], lesson))
    for deck in library.card_decks:
        for card in deck.cards:
            units.extend(_card_units(library.files[deck.id], card))
    return units
