"""Deck format v1 as typed dataclasses: the single source of truth.

The binder (``binder.py``) validates YAML against these classes and the JSON Schema
(``schema_gen.py``) is generated from them, so the documentation, the editor schema and the
loader can never disagree. Field docs live in ``field(metadata={"doc": ...})``.

A learner-facing string (:data:`Text`) is plain text or ``{en: ..., zh: ...}``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, TypeGuard, Union

from tutor.i18n import localize

FORMAT_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"

Text = Annotated[Union[str, dict[str, str]], "text"]  # noqa: UP007 (kept as Union for 3.10 runtime hints)
Code = Annotated[str, "code"]
Id = Annotated[str, "id"]
TorchVersion = Annotated[str, "torch_version"]


def doc(text: str, **extra: Any) -> dict[str, Any]:
    return {"doc": text, **extra}


# ------------------------------------------------------------------------------------ limits
# What a deck must hold beyond its types, said once: the validator's rules (``rules.py``) enforce
# these and the editor schema (``schema_gen.py``) states them, read from a field's metadata:
# ``min_items`` (minItems), ``unique_items`` (uniqueItems), ``minimum``, ``pattern`` (a text
# field whose rule refuses every YAML bool and number, so the schema takes a string only). The
# binder ignores these keys. tests/decks/test_schema_limits.py checks that the validator and
# the schema both refuse a deck one short of each limit and both take one at it.

MIN_OPTIONS = 2
"""Options a single or multiple choice item needs."""
MIN_ORDER_ITEMS = 2
"""Items an order item needs: one item has no order."""
MIN_ANSWERS = 1
"""Correct options a multiple choice item names."""
MIN_STEPS = 1
"""Steps a lesson holds."""
MIN_POINTS = 1
"""Points a recap step makes."""
MIN_CARDS = 1
"""Cards a card deck holds."""
MIN_MINUTES = 1
"""The least a lesson's ``minutes`` may say."""

EXCEPTION_ENDINGS = ("Error", "Exception", "Warning", "Interrupt", "Exit", "Iteration")
"""How an exception class name ends: ``raises: valueError`` is a slipped ``ValueError``."""
YAML_BOOLS = frozenset({"yes", "no", "true", "false", "on", "off", "y", "n"})
"""Words YAML may read as a bool, in any case: never an exception class in ``raises``."""


def _any_case(word: str) -> str:
    """``yes`` as ``[Yy][Ee][Ss]`` (letters only): JSON Schema's regexes have no ignore-case flag."""
    return "".join(f"[{c.upper()}{c.lower()}]" for c in word)


# ``raises`` is an exception class name alone, as the sandbox reports it (``RuntimeError``): an
# identifier, not a YAML bool word, not a class name whose first letter slipped to lower case.
# ASCII characters are held to exactly what the validator's rule takes (``str.isidentifier``);
# any other character passes here, as JSON Schema's regexes cannot name Unicode's identifier
# letters in both dialects (Python's ``re``, ECMAScript), and the schema must never refuse what
# the validator takes. ``validate`` still names those.
_NOT_ASCII = r"[^\x00-\x7f]"
RAISES_PATTERN = (
    "^"
    f"(?!(?:{'|'.join(_any_case(w) for w in sorted(YAML_BOOLS))})$)"
    f"(?![a-z].*(?:{'|'.join(EXCEPTION_ENDINGS)})$)"
    f"(?:[A-Za-z_]|{_NOT_ASCII})(?:[A-Za-z0-9_]|{_NOT_ASCII})*$"
)


# Every item that runs code or claims something about torch has a ``torch_min``.
TORCH_MIN = doc(
    'The oldest torch release on which the item holds, quoted: "2.5". On an older torch '
    "`check` skips it and the lesson and review say so."
)


def field_name(path: str) -> str:
    """The last field of a field path, with its index: ``related[1]`` of
    ``steps[4].related[1]``, the name :meth:`Located.position` takes."""
    return path.rsplit(".", 1)[-1]


@dataclass(slots=True, eq=False)
class Located:
    """Every bound object remembers where it came from, for later error messages."""

    line: int = field(default=0, init=False, repr=False, metadata={"internal": True})
    column: int = field(default=0, init=False, repr=False, metadata={"internal": True})
    # each field's value, and each item of a list field as ``name[index]``
    positions: dict[str, tuple[int, int]] = field(
        default_factory=dict, init=False, repr=False, metadata={"internal": True}
    )
    # the file line of each field's first text line, for the fields whose text's lines are the
    # file's lines one to one (a literal ``|`` block, a value on one line): see text_line
    text_lines: dict[str, int] = field(
        default_factory=dict, init=False, repr=False, metadata={"internal": True}
    )

    # a list field some of whose items could not be read (an error says why), bound with the
    # rest: the file index of each item kept, so a rule run on what could be read names the
    # author's ``steps[3]``, not its place in the shorter list (see :meth:`index_in_file`)
    kept: dict[str, tuple[int, ...]] = field(
        default_factory=dict, init=False, repr=False, metadata={"internal": True}
    )

    def index_in_file(self, name: str, index: int) -> int:
        """The file index of item ``index`` of list field ``name`` as bound."""
        kept = self.kept.get(name)
        return index if kept is None else kept[index]

    def complete(self, *names: str) -> bool:
        """Whether every item of the list fields ``names`` was read: a rule that counts or
        compares a list's items (too few options, an answer among them) holds only then."""
        return not any(name in self.kept for name in names)

    def position(self, name: str | None = None) -> tuple[int, int]:
        """Where field ``name``'s value (or, without a name, the object) starts in the file.
        ``name`` may index a list field, ``related[1]``: the item's own place, so an error
        about the second item does not send the author to the first (the field's place when
        the item has none recorded)."""
        if not name:
            return self.line, self.column
        found = self.positions.get(name) or self.positions.get(name.split("[", 1)[0])
        return found or (self.line, self.column)

    def text_line(self, name: str) -> int | None:
        """The file line of the first line of field ``name``'s text (the line below ``code: |``,
        a one-line value's own), so that its line N is file line ``text_line + N - 1``. None
        where no file line is its line N: folded ``>`` text, quoted or plain text over several
        lines, ``\\n`` escapes; a problem in such text is named at :meth:`position` instead."""
        return self.text_lines.get(name)


# --------------------------------------------------------------------------------------- quizzes


@dataclass(slots=True, eq=False)
class Option(Located):
    text: Text = field(metadata=doc("What the learner sees."))
    why: Text = field(metadata=doc("Why this option is right or wrong; shown after answering."))
    id: Id | None = field(
        default=None, metadata=doc("Short id used by `answer`; defaults to a, b, c… in order.")
    )


@dataclass(slots=True, eq=False)
class OrderItem(Located):
    text: Text = field(metadata=doc("One step of the sequence."))
    why: Text | None = field(default=None, metadata=doc("Why it sits at this place."))


@dataclass(slots=True, eq=False)
class QuizBase(Located):
    id: Id = field(metadata=doc("Stable id; progress and card links use it."))
    question: Text = field(metadata=doc("The question (Markdown)."))
    code: Code | None = field(default=None, metadata=doc("A snippet shown with the question."))
    explain: Text | None = field(default=None, metadata=doc("A takeaway shown after answering."))
    verify: Code | None = field(
        default=None, metadata=doc("Code that asserts the item's claim on the installed torch.")
    )
    related: list[Id] = field(
        default_factory=list, metadata=doc("Card, card-deck or lesson ids this item tests.")
    )
    tags: list[str] = field(default_factory=list, metadata=doc("Free-form tags."))
    torch_min: TorchVersion | None = field(default=None, metadata=TORCH_MIN)

    KIND: ClassVar[str] = ""
    # Optional fields this kind cannot do without: the binder lets them be left out (they are
    # every kind's) and the validator's rule says what is missing in its own words; the editor
    # schema makes them required and not null.
    NEEDS: ClassVar[tuple[str, ...]] = ()


@dataclass(slots=True, eq=False)
class SingleChoice(QuizBase):
    options: list[Option] = field(
        default_factory=list,
        metadata=doc(f"{MIN_OPTIONS} or more options.", required=True, min_items=MIN_OPTIONS),
    )
    answer: Id = field(default="", metadata=doc("The id of the one correct option.", required=True))
    shuffle: bool = field(default=True, metadata=doc("Shuffle options when shown."))
    KIND: ClassVar[str] = "single"


@dataclass(slots=True, eq=False)
class MultipleChoice(QuizBase):
    options: list[Option] = field(
        default_factory=list,
        metadata=doc(f"{MIN_OPTIONS} or more options.", required=True, min_items=MIN_OPTIONS),
    )
    answer: list[Id] = field(
        default_factory=list,
        metadata=doc(
            "The ids of every correct option, each once.",
            required=True,
            min_items=MIN_ANSWERS,
            unique_items=True,
        ),
    )
    shuffle: bool = field(default=True, metadata=doc("Shuffle options when shown."))
    KIND: ClassVar[str] = "multiple"


@dataclass(slots=True, eq=False)
class TrueFalse(QuizBase):
    answer: bool = field(
        default=True, metadata=doc("Whether the statement is true.", required=True)
    )
    why: Text = field(
        default="", metadata=doc("Why the statement is true or false.", required=True)
    )
    KIND: ClassVar[str] = "true_false"


@dataclass(slots=True, eq=False)
class Predict(QuizBase):
    """The learner types what ``code`` prints; the truth is what the snippet really prints."""

    why: Text = field(
        default="", metadata=doc("Why the snippet prints what it prints.", required=True)
    )
    expect: str | None = field(
        default=None,
        metadata=doc("What the author expects the last printed line to be; `check` confirms it."),
    )
    match: Literal["exact", "shape", "number"] = field(
        default="exact",
        metadata=doc(
            "How answers compare: exact (spaces count as one, none beside punctuation; numbers "
            "by value), shape, or number."
        ),
    )
    accept: list[str] = field(
        default_factory=list, metadata=doc("Other spellings to accept as correct.")
    )
    device: Literal["auto", "cpu", "cuda"] = field(default="cpu", metadata=doc("Where to run."))
    KIND: ClassVar[str] = "predict"
    NEEDS: ClassVar[tuple[str, ...]] = ("code",)


@dataclass(slots=True, eq=False)
class Order(QuizBase):
    items: list[OrderItem] = field(
        default_factory=list,
        metadata=doc(
            f"The steps in their correct order ({MIN_ORDER_ITEMS} or more); shown shuffled.",
            required=True,
            min_items=MIN_ORDER_ITEMS,
        ),
    )
    KIND: ClassVar[str] = "order"


QuizItem = Union[SingleChoice, MultipleChoice, TrueFalse, Predict, Order]  # noqa: UP007
QUIZ_KINDS: dict[str, type[QuizBase]] = {
    cls.KIND: cls for cls in (SingleChoice, MultipleChoice, TrueFalse, Predict, Order)
}


# ------------------------------------------------------------------------------------ card, code


@dataclass(slots=True, eq=False)
class Card(Located):
    id: Id = field(metadata=doc("Stable id: the key of the card's review history."))
    front: Text = field(metadata=doc("The prompt (Markdown)."))
    back: Text = field(metadata=doc("The answer (Markdown); one atomic fact."))
    tags: list[str] = field(default_factory=list, metadata=doc("Free-form tags."))
    related: list[Id] = field(
        default_factory=list,
        metadata=doc(
            "Step, quiz or card ids: review's `e` opens the card's lesson at the one named; a"
            " quiz or exercise named, failed, brings the card forward."
        ),
    )
    example: Code | None = field(
        default=None, metadata=doc("A runnable example the learner can run from review.")
    )
    verify: Code | None = field(
        default=None, metadata=doc("Code that asserts the card's claim on the installed torch.")
    )
    torch_min: TorchVersion | None = field(default=None, metadata=TORCH_MIN)

    def content_hash(self) -> str:
        """A hash of what the learner sees, so an edited card keeps its history but is marked."""
        payload = json.dumps([self.front, self.back], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


# ----------------------------------------------------------------------------------------- steps


@dataclass(slots=True, eq=False)
class TextStep(Located):
    body: Text = field(metadata=doc("Markdown; fenced blocks keep ASCII diagrams intact."))
    title: Text | None = field(default=None, metadata=doc("A heading for the step."))
    id: Id | None = field(default=None, metadata=doc("Optional stable id."))
    TYPE: ClassVar[str] = "text"


@dataclass(slots=True, eq=False)
class CodeStep(Located):
    id: Id = field(metadata=doc("Stable id of the snippet."))
    code: Code = field(metadata=doc("A runnable snippet; `torch`, `nn`, `F`, `device` are given."))
    title: Text | None = field(default=None, metadata=doc("A heading for the step."))
    caption: Text | None = field(default=None, metadata=doc("What to look at in the output."))
    device: Literal["auto", "cpu", "cuda"] = field(default="auto", metadata=doc("Where to run."))
    trace: bool = field(default=False, metadata=doc("Show the hook trace of module calls."))
    raises: str | None = field(
        default=None,
        metadata=doc(
            "Exception type the snippet is meant to raise, e.g. RuntimeError: the class name "
            "alone.",
            pattern=RAISES_PATTERN,
        ),
    )
    torch_min: TorchVersion | None = field(default=None, metadata=TORCH_MIN)
    TYPE: ClassVar[str] = "code"


@dataclass(slots=True, eq=False)
class QuizStep(Located):
    quiz: QuizItem = field(metadata=doc("The quiz item."))
    TYPE: ClassVar[str] = "quiz"


@dataclass(slots=True, eq=False)
class ExerciseStep(Located):
    id: Id = field(metadata=doc("Stable id of the exercise."))
    title: Text = field(metadata=doc("A short name."))
    prompt: Text = field(metadata=doc("What to build (Markdown)."))
    starter: Code = field(metadata=doc("Code the editor starts with; must fail the check."))
    check: Code = field(
        metadata=doc("Test code run after the learner's code; asserts with messages.")
    )
    solution: Code = field(metadata=doc("A reference solution; must pass the check."))
    hints: list[Text] = field(default_factory=list, metadata=doc("Revealed one at a time."))
    related: list[Id] = field(
        default_factory=list, metadata=doc("Card, card-deck or lesson ids this practises.")
    )
    torch_min: TorchVersion | None = field(default=None, metadata=TORCH_MIN)
    TYPE: ClassVar[str] = "exercise"


@dataclass(slots=True, eq=False)
class CardStep(Located):
    card: Card = field(metadata=doc("The knowledge card; it joins the review deck."))
    TYPE: ClassVar[str] = "card"


@dataclass(slots=True, eq=False)
class RecapStep(Located):
    points: list[Text] = field(
        metadata=doc("What to remember, one point each.", min_items=MIN_POINTS)
    )
    title: Text | None = field(default=None, metadata=doc("A heading for the recap."))
    id: Id | None = field(default=None, metadata=doc("Optional stable id."))
    TYPE: ClassVar[str] = "recap"


Step = Union[TextStep, CodeStep, QuizStep, ExerciseStep, CardStep, RecapStep]  # noqa: UP007
STEP_TYPES: dict[str, type] = {
    cls.TYPE: cls for cls in (TextStep, CodeStep, QuizStep, ExerciseStep, CardStep, RecapStep)
}


def step_item(step: Step) -> Any:
    """What a step holds that has the step's id and ``related`` links: the quiz of a quiz step,
    the card of a card step, the step itself otherwise."""
    if isinstance(step, QuizStep):
        return step.quiz
    if isinstance(step, CardStep):
        return step.card
    return step


def step_id(step: Step) -> str | None:
    """The id a step is known by: its own, or its quiz's or card's; ``None`` for a text or recap
    step without one."""
    item_id = getattr(step_item(step), "id", None)
    return str(item_id) if item_id else None


def text_key(step: Step) -> str | None:
    """What a text or recap step is known by through its text, id or not (``None`` for a step of
    another kind): its kind and a short hash of its English. Only English counts (the Chinese of
    a text without English): a Chinese wording polished later is the same step, while a step
    whose English changed counts as a new one. Ids never hold ``:``, so it never meets an id."""
    texts: list[Text | None]
    if isinstance(step, TextStep):
        texts = [step.title, step.body]
    elif isinstance(step, RecapStep):
        texts = [step.title, *step.points]
    else:
        return None
    payload = json.dumps([localize(text, "en") for text in texts], ensure_ascii=False)
    return f"{step.TYPE}:{hashlib.sha256(payload.encode()).hexdigest()[:12]}"


def is_text_key(key: str | None) -> TypeGuard[str]:
    """Whether ``key``, kept for a step, is a :func:`text_key` (ids never hold ``:``)."""
    return key is not None and ":" in key


def step_key(step: Step) -> str:
    """The key the learner's progress keeps a step by (seen, saved position), so that it follows
    the step when the author adds or removes others around it: its :func:`step_id` where it has
    one, else its :func:`text_key`, so an untitled text or recap step keeps its key while it
    reads the same. See :meth:`LessonDeck.step_keys` for steps that share a key, and
    :meth:`LessonDeck.step_lookup` for a text step that got an id after it was seen."""
    # every kind but text and recap has an id (required): the kind alone is never reached
    return step_id(step) or text_key(step) or step.TYPE


# ----------------------------------------------------------------------------------------- decks


@dataclass(slots=True, eq=False)
class LessonDeck(Located):
    id: Id = field(metadata=doc("Stable lesson id."))
    title: Text = field(metadata=doc("Lesson title."))
    summary: Text = field(metadata=doc("One or two sentences on what the lesson teaches."))
    steps: list[Step] = field(metadata=doc("The lesson, one step at a time.", min_items=MIN_STEPS))
    format: Literal[1] = field(default=1, metadata=doc("Deck format version."))
    kind: Literal["lesson"] = field(default="lesson", metadata=doc("Always `lesson`."))
    tags: list[str] = field(default_factory=list, metadata=doc("Free-form tags."))
    prerequisites: list[Id] = field(default_factory=list, metadata=doc("Lesson ids to take first."))
    minutes: int | None = field(
        default=None, metadata=doc("Rough time to complete.", minimum=MIN_MINUTES)
    )

    KIND: ClassVar[str] = "lesson"

    @property
    def quizzes(self) -> list[QuizBase]:
        return [s.quiz for s in self.steps if isinstance(s, QuizStep)]

    @property
    def exercises(self) -> list[ExerciseStep]:
        return [s for s in self.steps if isinstance(s, ExerciseStep)]

    @property
    def snippets(self) -> list[CodeStep]:
        return [s for s in self.steps if isinstance(s, CodeStep)]

    @property
    def cards(self) -> list[Card]:
        return [s.card for s in self.steps if isinstance(s, CardStep)]

    @property
    def checks(self) -> list[tuple[int, str]]:
        """``(step index, id)`` of every quiz and exercise: the steps that check the learner."""
        return [
            (index, step_item(step).id)
            for index, step in enumerate(self.steps)
            if isinstance(step, (QuizStep, ExerciseStep))
        ]

    def text_keys(self) -> list[str | None]:
        """:func:`text_key` of every step, in order (``None`` for a step of another kind), each
        one unique in the lesson: a key met again (two identical text steps) gets ``#2``,
        ``#3``… by occurrence, so seeing one never counts the other. Every text and recap step
        is counted, with an id or without, so an id given to one of two identical steps changes
        neither's number."""
        keys: list[str | None] = []
        met: dict[str, int] = {}
        for step in self.steps:
            key = text_key(step)
            if key is not None:
                met[key] = met.get(key, 0) + 1
                key = key if met[key] == 1 else f"{key}#{met[key]}"
            keys.append(key)
        return keys

    def step_keys(self) -> list[str]:
        """:func:`step_key` of every step, in order, each one unique in the lesson (ids are):
        an untitled text or recap step's is its numbered key from :meth:`text_keys`."""
        return self._step_keys(self.text_keys())

    def _step_keys(self, texts: list[str | None]) -> list[str]:
        """:meth:`step_keys`, ``texts`` being :meth:`text_keys` (worked out once by a caller
        that needs both)."""
        return [
            step_id(step) or text or step_key(step)
            for step, text in zip(self.steps, texts, strict=True)
        ]

    def step_lookup(self) -> dict[str, int]:
        """The index of the step that each key kept in the learner's progress stands for now:
        every step's key (:meth:`step_keys`), and for a text or recap step with an id also its
        key from :meth:`text_keys`. That is the key it was kept by before it had the id
        (deck-format.md advises giving one to a text step expected to be edited), so progress
        made before still counts while its English reads the same."""
        texts = self.text_keys()
        lookup = {text: index for index, text in enumerate(texts) if text is not None}
        lookup.update((key, index) for index, key in enumerate(self._step_keys(texts)))
        return lookup

    def ids_given(self) -> dict[str, str]:
        """The id of every text or recap step that has one, by the key from :meth:`text_keys` it
        was kept by before it had the id: progress kept so is re-kept by the id, which then
        holds it through edits of the English."""
        return {
            text: item_id
            for step, text in zip(self.steps, self.text_keys(), strict=True)
            if text is not None and (item_id := step_id(step))
        }


@dataclass(slots=True, eq=False)
class CardDeck(Located):
    id: Id = field(metadata=doc("Stable deck id."))
    title: Text = field(metadata=doc("Deck title."))
    cards: list[Card] = field(metadata=doc("The flashcards.", min_items=MIN_CARDS))
    format: Literal[1] = field(default=1, metadata=doc("Deck format version."))
    kind: Literal["cards"] = field(default="cards", metadata=doc("Always `cards`."))
    summary: Text | None = field(default=None, metadata=doc("What the deck covers."))
    lesson: Id | None = field(default=None, metadata=doc("The lesson this deck accompanies."))
    tags: list[str] = field(default_factory=list, metadata=doc("Free-form tags."))

    KIND: ClassVar[str] = "cards"


Deck = Union[LessonDeck, CardDeck]  # noqa: UP007
DECK_KINDS: dict[str, type] = {LessonDeck.KIND: LessonDeck, CardDeck.KIND: CardDeck}
