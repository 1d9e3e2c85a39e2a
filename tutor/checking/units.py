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
    match: str = "exact"  # predict: how an answer is compared with that line (shape, number)
    torch_min: str | None = None  # the oldest torch the item holds on
    code_line: int | None = None  # the file line of the code's first line, when known
    trace: bool = False  # a code step the player runs with the module trace on
    check_line: int | None = None  # the file line of the check's first line, when known

    @property
    def label(self) -> str:
        return f"{self.item_id} [{self.kind}]"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


class _Units:
    """Makes one file's units, each knowing the file line its code starts on."""

    def __init__(self, file: Path) -> None:
        self.file = file

    def unit(self, item: Any, kind: UnitKind, field: str, **extra: Any) -> CheckUnit:
        """The unit running ``item``'s code ``field`` (a quiz, card, code step or exercise)."""
        return CheckUnit(
            item.id,
            kind,
            self.file,
            item.line,
            getattr(item, field),
            torch_min=item.torch_min,
            code_line=item.text_line(field),
            **extra,
        )

    def quiz(self, quiz: model.QuizBase) -> Iterator[CheckUnit]:
        if quiz.verify:
            yield self.unit(quiz, "verify", "verify")
        if isinstance(quiz, model.Predict) and quiz.code:
            yield self.unit(
                quiz, "predict", "code", device=quiz.device, expect=quiz.expect, match=quiz.match
            )

    def card(self, card: model.Card) -> Iterator[CheckUnit]:
        if card.verify:
            yield self.unit(card, "verify", "verify")
        if card.example:
            yield self.unit(card, "example", "example")

    def lesson(self, lesson: model.LessonDeck) -> Iterator[CheckUnit]:
        for step in lesson.steps:
            if isinstance(step, model.CodeStep):
                yield self.unit(
                    step,
                    "snippet",
                    "code",
                    device=step.device,
                    raises=step.raises,
                    trace=step.trace,
                )
            elif isinstance(step, model.QuizStep):
                yield from self.quiz(step.quiz)
            elif isinstance(step, model.CardStep):
                yield from self.card(step.card)
            elif isinstance(step, model.ExerciseStep):
                line = step.text_line("check")
                yield self.unit(step, "solution", "solution", check=step.check, check_line=line)
                yield self.unit(step, "starter", "starter", check=step.check, check_line=line)


def collect_units(library: DeckLibrary) -> list[CheckUnit]:
    """Every unit of every loaded deck, in course order."""
    units: list[CheckUnit] = []
    for lesson in library.lessons:
        units.extend(_Units(library.files[lesson.id]).lesson(lesson))
    for deck in library.card_decks:
        file_units = _Units(library.files[deck.id])
        for card in deck.cards:
            units.extend(file_units.card(card))
    return units
