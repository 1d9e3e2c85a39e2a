"""Rules one deck must follow beyond its types: answers among options, unique ids, enough options.

Each rule reads a bound deck and returns :class:`DeckError` s; cross-file rules live in the loader.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

from tutor.decks import model
from tutor.decks.errors import DeckError


def _err(file: Path, at: model.Located, path: str, message: str) -> DeckError:
    """An error at the field ``path`` ends with, when ``at`` has it, else at ``at`` itself."""
    name = path.rsplit(".", 1)[-1].split("[", 1)[0]
    line, column = at.position(name)
    return DeckError(file, line, column, path, message)


def assign_option_ids(quiz: model.SingleChoice | model.MultipleChoice) -> None:
    """Options without an id get a, b, c… by position, so authors may leave ids out."""
    for index, option in enumerate(quiz.options):
        if option.id is None:
            option.id = string.ascii_lowercase[index] if index < 26 else f"o{index}"


def _quiz_rules(file: Path, quiz: model.QuizBase, path: str) -> Iterator[DeckError]:
    if isinstance(quiz, (model.SingleChoice, model.MultipleChoice)):
        assign_option_ids(quiz)
        if len(quiz.options) < 2:
            yield _err(file, quiz, f"{path}.options", "a choice item needs at least 2 options")
        ids = [o.id for o in quiz.options]
        for index, option in enumerate(quiz.options):
            if ids.count(option.id) > 1:
                yield _err(
                    file,
                    option,
                    f"{path}.options[{index}].id",
                    f"option id {option.id!r} is used twice",
                )
        answers = [quiz.answer] if isinstance(quiz, model.SingleChoice) else quiz.answer
        if not answers:
            yield _err(
                file, quiz, f"{path}.answer", "a multiple-choice item needs at least 1 answer"
            )
        for answer in answers:
            if answer not in ids:
                yield _err(
                    file,
                    quiz,
                    f"{path}.answer",
                    f"answer {answer!r} is not among the options ({', '.join(map(str, ids))})",
                )
        if isinstance(quiz, model.MultipleChoice) and len(set(answers)) != len(answers):
            yield _err(file, quiz, f"{path}.answer", "an answer is listed twice")
    elif isinstance(quiz, model.Order):
        if len(quiz.items) < 2:
            yield _err(file, quiz, f"{path}.items", "an order item needs at least 2 items")
    elif isinstance(quiz, model.Predict) and not quiz.code:
        yield _err(
            file, quiz, f"{path}.code", "a predict item needs the code whose output is guessed"
        )


def deck_rules(file: Path, deck: model.LessonDeck | model.CardDeck) -> list[DeckError]:
    """Every rule for one deck; an empty list means the deck is sound on its own."""
    errors: list[DeckError] = []
    seen: dict[str, str] = {deck.id: "the deck"}

    def claim(item_id: str | None, at: model.Located, path: str) -> None:
        if item_id is None:
            return
        if item_id in seen:
            errors.append(
                _err(file, at, path, f"id {item_id!r} is already used by {seen[item_id]}")
            )
        else:
            seen[item_id] = path

    if isinstance(deck, model.LessonDeck):
        if not deck.steps:
            errors.append(_err(file, deck, "steps", "a lesson needs at least one step"))
        if deck.id in deck.prerequisites:
            errors.append(_err(file, deck, "prerequisites", "a lesson cannot require itself"))
        for index, step in enumerate(deck.steps):
            path = f"steps[{index}]"
            item = model.step_item(step)
            claim(getattr(item, "id", None), item, f"{path}.id")
            if isinstance(step, model.QuizStep):
                errors.extend(_quiz_rules(file, step.quiz, path))
            if isinstance(step, model.RecapStep) and not step.points:
                errors.append(
                    _err(file, step, f"{path}.points", "a recap needs at least one point")
                )
    else:
        if not deck.cards:
            errors.append(_err(file, deck, "cards", "a card deck needs at least one card"))
        for index, card in enumerate(deck.cards):
            claim(card.id, card, f"cards[{index}].id")
    return errors
