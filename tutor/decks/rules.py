"""Rules one deck must follow beyond its types: answers among options, unique ids, enough options.

Each rule reads a bound deck and returns :class:`DeckError` s; cross-file rules live in the loader.
The deck may lack items that could not be read (their errors are said already): a rule names the
items it keeps by their index in the file, and one that counts or compares a list's items says
nothing of a list with an item missing (:meth:`model.Located.complete`), lest it be wrong.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

from tutor.decks import model
from tutor.decks.errors import DeckError, Message, Value
from tutor.i18n import LANGS, localize


def _err(file: Path, at: model.Located, path: str, key: str, /, **values: Value) -> DeckError:
    """An error at the field ``path`` ends with, when ``at`` has it, else at ``at`` itself,
    saying the catalog string ``key`` filled with ``values``."""
    line, column = at.position(model.field_name(path))
    return DeckError(file, line, column, path, Message.of(key, **values))


def assign_option_ids(quiz: model.SingleChoice | model.MultipleChoice) -> None:
    """Options without an id get a, b, c… by position, so authors may leave ids out."""
    for index, option in enumerate(quiz.options):
        if option.id is None:
            option.id = string.ascii_lowercase[index] if index < 26 else f"o{index}"


def _repeats(values: list[object]) -> Iterator[tuple[int, int]]:
    """``(index, index of its first occurrence)`` for every value seen before in ``values``."""
    first: dict[object, int] = {}
    for index, value in enumerate(values):
        if value in first:
            yield index, first[value]
        else:
            first[value] = index


# a language's name, for "the same English text as options[0]"
_LANGUAGE_NAMES: dict[str, Message] = {
    "en": Message.of("deck.language.en"),
    "zh": Message.of("deck.language.zh"),
}


def _seen_as(text: model.Text) -> tuple[str, ...]:
    """A text as a learner sees it in each language, in :data:`LANGS` order: a plain string is
    every language's text, and a text lacking a language shows its other one (``localize``)."""
    return tuple(localize(text, lang).strip() for lang in LANGS)


def _same_texts(
    file: Path, entries: list[model.Option] | list[model.OrderItem], path: str
) -> Iterator[DeckError]:
    """Options or order items a learner cannot tell apart: the same text as an earlier one in
    some language. Each language is compared alone: two options with the same English and
    different Chinese look the same to an English reader (``{en, zh}`` dicts compared whole
    hid that, and a plain string never matched a dict)."""
    name = path.rsplit(".", 1)[-1]
    seen = [_seen_as(entry.text) for entry in entries]
    said: set[int] = set()  # an entry is told once, of its first language that repeats
    for lang_index, lang in enumerate(LANGS):
        for index, first in _repeats([texts[lang_index] for texts in seen]):
            if index in said:
                continue
            said.add(index)
            where, field = entries[index], f"{path}[{index}].text"
            if seen[index] == seen[first]:  # in every language
                yield _err(file, where, field, "deck.same_text", first=f"{name}[{first}]")
            else:
                yield _err(
                    file,
                    where,
                    field,
                    "deck.same_text_in",
                    first=f"{name}[{first}]",
                    lang=_LANGUAGE_NAMES[lang],
                )


def _choice_rules(
    file: Path, quiz: model.SingleChoice | model.MultipleChoice, path: str
) -> Iterator[DeckError]:
    assign_option_ids(quiz)
    options = quiz.options
    if len(options) < model.MIN_OPTIONS:
        yield _err(file, quiz, f"{path}.options", "deck.too_few_options", least=model.MIN_OPTIONS)
    for index, first in _repeats([o.id for o in options]):
        yield _err(
            file,
            options[index],
            f"{path}.options[{index}].id",
            "deck.option_id_used",
            id=str(options[index].id),
            first=f"options[{first}]",
        )
    yield from _same_texts(file, options, f"{path}.options")
    answers = [quiz.answer] if isinstance(quiz, model.SingleChoice) else quiz.answer
    if len(answers) < model.MIN_ANSWERS:
        yield _err(file, quiz, f"{path}.answer", "deck.no_answer", least=model.MIN_ANSWERS)
    ids = [o.id for o in options]
    for answer in answers if ids else []:  # no options: said above, once
        if answer not in ids:
            yield _err(
                file,
                quiz,
                f"{path}.answer",
                "deck.answer_not_an_option",
                answer=answer,
                options=", ".join(map(str, ids)),
            )
    if isinstance(quiz, model.MultipleChoice) and len(set(answers)) != len(answers):
        yield _err(file, quiz, f"{path}.answer", "deck.answer_twice")


def _quiz_rules(file: Path, quiz: model.QuizBase, path: str) -> Iterator[DeckError]:
    if isinstance(quiz, (model.SingleChoice, model.MultipleChoice)):
        # an option left out shifts the a, b, c… of the rest, and may hold the answer
        if quiz.complete("options", "answer"):
            yield from _choice_rules(file, quiz, path)
    elif isinstance(quiz, model.Order) and quiz.complete("items"):
        if len(quiz.items) < model.MIN_ORDER_ITEMS:
            yield _err(
                file, quiz, f"{path}.items", "deck.too_few_items", least=model.MIN_ORDER_ITEMS
            )
        yield from _same_texts(file, quiz.items, f"{path}.items")
    for name in quiz.NEEDS:  # optional for every other kind (predict: code)
        if not getattr(quiz, name):
            yield _err(file, quiz, f"{path}.{name}", "deck.predict_code")


def _raises_rule(file: Path, step: model.CodeStep, path: str) -> Iterator[DeckError]:
    """``raises`` is compared with the class name the sandbox reports (``type(exc).__name__``):
    a dotted name, a pasted error line or a word (``raises: yes``) would never match."""
    raises = step.raises
    if raises is None:
        return
    if raises.isidentifier():
        # A word YAML reads as a bool ("it raises: yes"), or a class name's case slipped
        # (valueError); lower-case classes exist (re.error, socket.gaierror) and pass.
        capitalised = raises[0].upper() + raises[1:]
        if raises.lower() in model.YAML_BOOLS:
            like = "RuntimeError"
        elif (
            raises[0].islower()
            and not raises.islower()
            and capitalised.endswith(model.EXCEPTION_ENDINGS)
        ):
            like = capitalised
        else:
            return
        yield _err(file, step, path, "deck.raises_name", like=like, got=raises)
        return
    guess = raises.split(":", 1)[0].strip().rsplit(".", 1)[-1]
    like = guess if guess.isidentifier() else "RuntimeError"
    yield _err(file, step, path, "deck.raises_name_alone", like=like)


def deck_rules(file: Path, deck: model.LessonDeck | model.CardDeck) -> list[DeckError]:
    """Every rule for one deck; an empty list means the deck is sound on its own."""
    errors: list[DeckError] = []
    seen: dict[str, Value] = {deck.id: Message.of("deck.the_deck")}  # id -> what has it

    def claim(item_id: str | None, at: model.Located, path: str) -> None:
        if item_id is None:
            return
        if item_id in seen:
            errors.append(_err(file, at, path, "deck.id_used_by", id=item_id, owner=seen[item_id]))
        else:
            seen[item_id] = path

    if isinstance(deck, model.LessonDeck):
        if deck.complete("steps") and len(deck.steps) < model.MIN_STEPS:
            errors.append(_err(file, deck, "steps", "deck.no_steps", least=model.MIN_STEPS))
        if deck.minutes is not None and deck.minutes < model.MIN_MINUTES:
            errors.append(
                _err(
                    file,
                    deck,
                    "minutes",
                    "deck.too_few_minutes",
                    got=deck.minutes,
                    least=model.MIN_MINUTES,
                )
            )
        if deck.id in deck.prerequisites:
            errors.append(_err(file, deck, "prerequisites", "deck.requires_itself"))
        for index, step in enumerate(deck.steps):
            path = f"steps[{deck.index_in_file('steps', index)}]"
            item = model.step_item(step)
            claim(getattr(item, "id", None), item, f"{path}.id")
            if isinstance(step, model.QuizStep):
                errors.extend(_quiz_rules(file, step.quiz, path))
            if isinstance(step, model.CodeStep):
                errors.extend(_raises_rule(file, step, f"{path}.raises"))
            if (
                isinstance(step, model.RecapStep)
                and step.complete("points")
                and len(step.points) < model.MIN_POINTS
            ):
                errors.append(
                    _err(file, step, f"{path}.points", "deck.no_points", least=model.MIN_POINTS)
                )
    else:
        if deck.complete("cards") and len(deck.cards) < model.MIN_CARDS:
            errors.append(_err(file, deck, "cards", "deck.no_cards", least=model.MIN_CARDS))
        for index, card in enumerate(deck.cards):
            claim(card.id, card, f"cards[{deck.index_in_file('cards', index)}].id")
    return errors
