"""Find, parse, validate and cross-check deck files into a :class:`DeckLibrary`.

A deck with any error of its own is skipped with its errors recorded; the others load. Problems
between files (a duplicated id, an unknown reference) are reported too, and only the deck that
would make the library ambiguous (the later of two with one id) is skipped.
"""

from __future__ import annotations

import difflib
import heapq
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from tutor.decks import model
from tutor.decks.binder import bind_deck, did_you_mean
from tutor.decks.errors import DeckError, Message
from tutor.decks.rules import deck_rules
from tutor.decks.walk import iter_texts
from tutor.decks.yaml_source import MAX_FILE_BYTES, DeckSourceError, YNode, read_tree
from tutor.i18n import LANGS

DECK_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class SkippedDeck:
    file: Path
    errors: tuple[DeckError, ...]


@dataclass(frozen=True)
class ReviewCard:
    """A card in the review queue: a card-deck card or a lesson's knowledge card."""

    card: model.Card
    deck_id: str
    lesson_id: str | None

    @property
    def id(self) -> str:
        return self.card.id

    @property
    def content_hash(self) -> str:
        return self.card.content_hash()


@dataclass
class DeckLibrary:
    """Everything that loaded, in course order, plus what did not and why."""

    lessons: list[model.LessonDeck] = field(default_factory=list)
    card_decks: list[model.CardDeck] = field(default_factory=list)
    errors: list[DeckError] = field(default_factory=list)
    skipped: list[SkippedDeck] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # deck id -> file
    _items: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lesson(self, lesson_id: str) -> model.LessonDeck | None:
        return next((d for d in self.lessons if d.id == lesson_id), None)

    def numbered_lessons(self) -> Iterator[tuple[int, model.LessonDeck]]:
        """``(number, lesson)`` in course order, numbered from 0: the first lesson is the welcome
        tour, so "lesson 1" on the course map is the course's first real lesson, as the decks'
        own prose ("in lesson 2 …") and file names (``02-….yaml``) count."""
        return enumerate(self.lessons)

    def number_digits(self) -> int:
        """Digits of the course's last lesson number, two at least: lesson numbers written this
        wide line up on the course map and sort in name order in Anki (``100`` after ``99``)."""
        return max(2, len(str(len(self.lessons) - 1)))

    def step_teaching(self, card_id: str) -> tuple[str, int] | None:
        """``(lesson id, step index)`` where a card's fact is taught: a knowledge card's own step;
        for a card-deck card, the first step of its deck's lesson that names the card in its
        ``related`` (a quiz or exercise practising it) or that the card names in its own.
        ``None`` when no step is linked: the caller decides where the lesson opens then."""
        found = self.item(card_id)
        if found is None:
            return None
        deck_id, card = found
        deck = self.card_deck(deck_id)
        lesson = self.lesson(deck.lesson if deck is not None and deck.lesson else deck_id)
        if lesson is None:
            return None
        items = [model.step_item(step) for step in lesson.steps]
        index = next((i for i, item in enumerate(items) if item is card), None)
        if index is None:
            index = next(
                (
                    i
                    for i, item in enumerate(items)
                    if card_id in getattr(item, "related", ())
                    or getattr(item, "id", None) in card.related
                ),
                None,
            )
        return None if index is None else (lesson.id, index)

    def card_deck(self, deck_id: str) -> model.CardDeck | None:
        return next((d for d in self.card_decks if d.id == deck_id), None)

    def card_decks_in_course_order(self) -> list[model.CardDeck]:
        """The card decks in course order: those written for a lesson by their lesson's number
        (a lesson's own in the library's order), then those of no lesson loaded, in the
        library's order. The library keeps decks in file order, where ``welcome.yaml`` (lesson
        0) sorts after ``11-….yaml``; this is the order new cards are offered in, and, for
        the decks of a lesson, the order the Anki export numbers them in (``00a``, ``01a``,
        ``01b``…; Anki sorts decks of no lesson by their titles)."""
        number = {lesson.id: n for n, lesson in self.numbered_lessons()}
        last = len(number)  # after every lesson: a deck of no lesson, or of one not loaded
        return sorted(self.card_decks, key=lambda deck: number.get(deck.lesson or "", last))

    def deck(self, deck_id: str) -> model.LessonDeck | model.CardDeck | None:
        """The lesson or card deck with this id (``--deck ID`` names either)."""
        return self.lesson(deck_id) or self.card_deck(deck_id)

    def has_deck(self, deck_id: str) -> bool:
        """Whether a lesson or card deck with this id is loaded."""
        return self.deck(deck_id) is not None

    def item(self, item_id: str) -> tuple[str, Any] | None:
        """``(deck id, object)`` for any id: a deck, step, quiz item or card."""
        return self._items.get(item_id)

    def review_cards(self, deck_id: str | None = None) -> list[ReviewCard]:
        """Every reviewable card; with ``deck_id``, a lesson's or card deck's own (and its deck's)."""
        cards: list[ReviewCard] = []
        for lesson in self.lessons:
            cards.extend(ReviewCard(c, lesson.id, lesson.id) for c in lesson.cards)
        for deck in self.card_decks:
            cards.extend(ReviewCard(c, deck.id, deck.lesson) for c in deck.cards)
        if deck_id is not None:
            cards = [c for c in cards if deck_id in (c.deck_id, c.lesson_id)]
        return cards

    def languages(self) -> list[str]:
        """Languages the decks' bilingual strings are written in."""
        present = {lang for _, text in self.texts() if isinstance(text, dict) for lang in text}
        return [lang for lang in LANGS if lang in present]

    def translation_gaps(self) -> dict[str, int]:
        """How many bilingual strings lack each language (plain strings count as neutral)."""
        gaps = dict.fromkeys(LANGS, 0)
        for _, text in self.texts():
            if isinstance(text, dict):
                for lang in LANGS:
                    gaps[lang] += lang not in text
        return gaps

    def texts(self) -> Iterator[tuple[str, str | dict[str, str]]]:
        for deck in [*self.lessons, *self.card_decks]:
            yield from iter_texts(deck, deck.id)

    def counts(self) -> dict[str, Any]:
        quizzes = [q for lesson in self.lessons for q in lesson.quizzes]
        cards = self.review_cards()
        return {
            "lessons": len(self.lessons),
            "card_decks": len(self.card_decks),
            "cards": len(cards),
            "quiz_items": len(quizzes),
            "exercises": sum(len(lesson.exercises) for lesson in self.lessons),
            "snippets": sum(len(lesson.snippets) for lesson in self.lessons),
            "verify_blocks": sum(1 for q in quizzes if q.verify)
            + sum(1 for c in cards if c.card.verify),
            "languages": self.languages(),
        }


def discover(paths: Iterable[Path], *, named: bool = False) -> tuple[list[Path], list[DeckError]]:
    """Deck files under ``paths`` (files, or folders searched recursively, hidden files and
    folders left out: see :func:`_deck_files_in`), in a stable order.

    ``named``: the paths are ones an author typed, so a folder without a deck is a mistake (a
    wrong folder must not pass as "all valid"); the default user deck folder may well be empty.
    """
    files: list[Path] = []
    errors: list[DeckError] = []
    for path in paths:
        if path.is_dir():
            found = _deck_files_in(path)
            files.extend(p for p in found if p.is_file())
            errors.extend(_broken_link(p) for p in found if p.is_symlink() and not p.exists())
            if named and not found:
                patterns = ", ".join("*" + s for s in DECK_SUFFIXES)
                said = Message.of("deck.no_deck_files", patterns=patterns)
                errors.append(DeckError(path, 1, 1, "", said))
        elif path.is_file():
            files.append(path)
        else:
            errors.append(DeckError(path, 1, 1, "", Message.of("deck.no_such_path")))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return [Path(p) for p in unique], errors


def _deck_files_in(folder: Path) -> list[Path]:
    """Every ``*.yaml``/``*.yml`` below ``folder``, sorted, but for hidden ones: a file or folder
    whose name starts with "." below the folder searched (``.github/workflows/ci.yml``,
    ``.pre-commit-config.yaml``, an editor's lock link ``.#deck.yaml``) is a tool's, never a
    deck, in a decks folder kept in git. Hidden folders are not even entered (``.git`` is big).
    The folder itself may lie in a hidden one (``~/.config/…``). Links to folders are not
    followed, as ``Path.rglob`` did not."""
    found: list[Path] = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(
            Path(root, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix in DECK_SUFFIXES
        )
    return sorted(found)


def _broken_link(link: Path) -> DeckError:
    """A deck file in a folder that links to nothing (its target moved): said, not skipped
    silently."""
    return DeckError(link, 1, 1, "", Message.of("deck.broken_link", target=os.readlink(link)))


def _item_ids(deck: model.LessonDeck | model.CardDeck) -> Iterator[tuple[str, Any, str]]:
    """``(id, item, field path of the id)`` for every item of a deck that has an id."""
    if isinstance(deck, model.LessonDeck):
        for index, step in enumerate(deck.steps):
            item = model.step_item(step)
            if getattr(item, "id", None):
                yield item.id, item, f"steps[{index}].id"
    else:
        for index, card in enumerate(deck.cards):
            yield card.id, card, f"cards[{index}].id"


def _what(item: Any) -> str:
    """What kind of thing an id names, as references care: ``lesson``, ``card_deck``, ``card``,
    ``quiz`` or ``step`` (a code, exercise, text or recap step)."""
    if isinstance(item, model.LessonDeck):
        return "lesson"
    if isinstance(item, model.CardDeck):
        return "card_deck"
    if isinstance(item, model.Card):
        return "card"
    if isinstance(item, model.QuizBase):
        return "quiz"
    return "step"


def _lesson_of(deck: model.LessonDeck | model.CardDeck) -> str | None:
    """The lesson a deck's items belong to: a lesson's own id, a card deck's ``lesson``."""
    return deck.id if isinstance(deck, model.LessonDeck) else deck.lesson


class _Related(NamedTuple):
    """What an item's ``related`` may name (kinds of :func:`_what`), and those kinds said:
    "'x' is the id of a step, not of a lesson, a card deck or a card"."""

    kinds: frozenset[str]
    said: Message


# what each kind of item may name in its ``related``, as the tutor uses it: a quiz or an
# exercise brings forward the cards it names, or those met in a lesson or card deck it names
# (``LearningService.related_cards``); a card names a step, quiz or card of its lesson, where
# review's ``e`` opens it (``DeckLibrary.step_teaching``), or a quiz or exercise practising it
# (``related_cards`` again). Another kind is an error, and a "did you mean" suggests only these,
# never the item's own id.
_CHECK_RELATED = _Related(
    frozenset({"lesson", "card_deck", "card"}), Message.of("deck.related_names.check")
)
_RELATED: dict[str, _Related] = {
    "card": _Related(frozenset({"step", "quiz", "card"}), Message.of("deck.related_names.card")),
    "quiz": _CHECK_RELATED,
    "step": _CHECK_RELATED,  # an exercise's
}


def _may_name(item: Any) -> _Related:
    """What ``item``'s ``related`` may name (:data:`_RELATED`)."""
    return _RELATED.get(_what(item), _RELATED["card"])


# "a card", "a quiz"…: what an id names, for "'x' is the id of a card, not of a lesson"
_WHAT_NAMES: dict[str, Message] = {
    "lesson": Message.of("deck.what.lesson"),
    "card_deck": Message.of("deck.what.card_deck"),
    "card": Message.of("deck.what.card"),
    "quiz": Message.of("deck.what.quiz"),
    "step": Message.of("deck.what.step"),
}


class _Owner(NamedTuple):
    """Who holds an id (in a context deck or one loaded): its file, what it names
    (:func:`_what`) and the lesson it belongs to, if any."""

    file: Path
    what: str
    lesson: str | None


def _owners_of(file: Path, deck: model.LessonDeck | model.CardDeck) -> dict[str, _Owner]:
    """id -> its owner for a deck's own id and every id of its items, all held by ``file``."""
    lesson = _lesson_of(deck)
    owners = {deck.id: _Owner(file, _what(deck), lesson)}
    owners.update(
        {item_id: _Owner(file, _what(item), lesson) for item_id, item, _ in _item_ids(deck)}
    )
    return owners


def _references(
    deck: model.LessonDeck | model.CardDeck,
) -> Iterator[tuple[model.Located, str, str, str]]:
    """(where, field path, referenced id, what kind it must be) for every reference in a deck:
    ``lesson``, or ``any`` for a ``related`` link (``where`` is then the item linking)."""
    if isinstance(deck, model.LessonDeck):
        for index, lesson_id in enumerate(deck.prerequisites):
            where = deck.index_in_file("prerequisites", index)
            yield deck, f"prerequisites[{where}]", lesson_id, "lesson"
        for index, step in enumerate(deck.steps):
            inner = model.step_item(step)
            step_path = f"steps[{deck.index_in_file('steps', index)}]"
            for r_index, ref in enumerate(getattr(inner, "related", [])):
                where = inner.index_in_file("related", r_index)
                yield inner, f"{step_path}.related[{where}]", ref, "any"
    else:
        if deck.lesson:
            yield deck, "lesson", deck.lesson, "lesson"
        for index, card in enumerate(deck.cards):
            card_path = f"cards[{deck.index_in_file('cards', index)}]"
            for r_index, ref in enumerate(card.related):
                where = card.index_in_file("related", r_index)
                yield card, f"{card_path}.related[{where}]", ref, "any"


def _cycle_through(start: str, first: str, requires: dict[str, list[str]]) -> list[str]:
    """The lessons of a prerequisite cycle, as a chain ``[start, first, …, start]``: ``start``
    requires ``first``, which leads back to ``start``. Where ``first`` only leads into a cycle
    that ``start`` is not on (it waits on one), that cycle's own chain. Depth first, each lesson
    entered once, without recursion (a long chain of lessons is no deep call stack)."""
    path, on_path, done = [start], {start}, set[str]()
    ahead = [iter([first])]  # per lesson on ``path``: its prerequisites not yet followed
    while ahead:
        lesson_id = next(ahead[-1], None)
        if lesson_id is None:  # every way on from the last lesson tried: back up
            ahead.pop()
            left = path.pop()
            on_path.discard(left)
            done.add(left)
            continue
        if lesson_id in on_path:  # back on the chain: the cycle is from its first visit
            return [*path[path.index(lesson_id) :], lesson_id]
        if lesson_id not in done:
            path.append(lesson_id)
            on_path.add(lesson_id)
            ahead.append(iter(requires.get(lesson_id, [])))
    return [start, first, start]


def _course_order(lessons: list[model.LessonDeck]) -> list[model.LessonDeck]:
    """Prerequisites first; otherwise file order. Lessons in a cycle keep file order at the end."""
    position = {lesson.id: i for i, lesson in enumerate(lessons)}
    waiting = {
        lesson.id: {p for p in lesson.prerequisites if p in position and p != lesson.id}
        for lesson in lessons
    }
    ready = [position[i] for i, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    ordered: list[model.LessonDeck] = []
    while ready:
        lesson = lessons[heapq.heappop(ready)]
        ordered.append(lesson)
        for other, deps in waiting.items():
            if lesson.id in deps:
                deps.discard(lesson.id)
                if not deps:
                    heapq.heappush(ready, position[other])
    placed = {lesson.id for lesson in ordered}
    return ordered + [lesson for lesson in lessons if lesson.id not in placed]


Declared = set[tuple[str, str]]
"""What a skipped file would have defined: ``("lesson", id)`` for a lesson deck's id, ``("id", id)``
for its deck's and its steps' or cards' ids (the kinds a reference names, see ``_references``)."""


def _declared_ids(tree: YNode) -> Declared:
    """What a file's raw tree declares (a deck skipped for its own errors)."""
    if not tree.is_map:
        return set()
    declared: Declared = set()
    deck_id, kind = tree.value.get("id"), tree.value.get("kind")
    if deck_id is not None and isinstance(deck_id.value, str):
        declared.add(("id", deck_id.value))
        if kind is not None and kind.value == "lesson":
            declared.add(("lesson", deck_id.value))
    for key in ("steps", "cards"):
        items = tree.value.get(key)
        if items is not None and items.is_seq:
            for item in items.value:
                node = item.value.get("id") if item.is_map else None
                if node is not None and isinstance(node.value, str):
                    declared.add(("id", node.value))
    return declared


def _deck_declares(deck: model.LessonDeck | model.CardDeck) -> Declared:
    """What a deck that was read whole but skipped (an id clash) would have defined."""
    declared: Declared = {("id", deck.id), *(("id", item_id) for item_id, _, _ in _item_ids(deck))}
    if isinstance(deck, model.LessonDeck):
        declared.add(("lesson", deck.id))
    return declared


_TOP_ID = re.compile(rf"""^id:[ \t]*["']?({model.ID_PATTERN.strip("^$")})""", re.M)
_TOP_LESSON = re.compile(r"^kind:[ \t]*[\"']?lesson\b", re.M)


def _ids_in_text(file: Path) -> Declared:
    """What a file that is not YAML seems to declare: its deck's id (a line ``id: …`` at the top
    level), enough that a deck naming that lesson is not told the lesson is unknown."""
    try:
        with file.open("rb") as handle:
            text = handle.read(MAX_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return set()
    declared: Declared = {("id", found) for found in _TOP_ID.findall(text)}
    if _TOP_LESSON.search(text):
        declared |= {("lesson", found) for _, found in declared}
    return declared


@dataclass(frozen=True)
class _Loaded:
    """One file read: the deck, or ``None`` and its errors; for a skipped file, what it declares
    and what of its deck could be read (its references are checked too, see ``_register``)."""

    deck: model.LessonDeck | model.CardDeck | None
    errors: list[DeckError]
    declared: Declared = field(default_factory=set)
    read: model.LessonDeck | model.CardDeck | None = None


def _load(file: Path) -> _Loaded:
    """:func:`load_file`, plus what a skipped file declares and what of it could be read."""
    try:
        tree = read_tree(file)
    except DeckSourceError as exc:
        return _Loaded(None, [exc.error], _ids_in_text(file))
    except RecursionError:
        return _Loaded(None, [DeckError(file, 1, 1, "", Message.of("deck.too_deep_to_read"))])
    deck, errors = bind_deck(file, tree)
    if deck is not None:  # what could be read, if not all of it: its rules speak too
        errors = [*errors, *deck_rules(file, deck)]
    if deck is None or errors:
        # in the order an author reads
        return _Loaded(None, sorted(errors), _declared_ids(tree), deck)
    return _Loaded(deck, [])


def load_file(file: Path) -> tuple[model.LessonDeck | model.CardDeck | None, list[DeckError]]:
    """One file, on its own: the deck, or ``None`` and why not. Never raises for bad input."""
    loaded = _load(file)
    return loaded.deck, loaded.errors


def _in_reading_order(errors: list[DeckError]) -> list[DeckError]:
    """Each file's errors together, top to bottom, the files in the order first named: a
    reference checked across files is said among its own file's other errors, where the author
    reading that file down meets it."""
    order: dict[Path, int] = {}
    for error in errors:
        order.setdefault(error.file, len(order))
    return sorted(errors, key=lambda error: (order[error.file], error))


class DeckLoader:
    """Loads every deck under some paths. ``DeckLoader(paths).load()`` returns a library.

    ``context`` names more decks that are read only to resolve references and catch id clashes:
    ``nn-tutor validate lessons/07.yaml`` knows lesson 6 exists without reporting lesson 6.
    """

    def __init__(
        self,
        paths: Iterable[Path | str],
        context: Iterable[Path | str] = (),
        *,
        named: bool = False,
    ) -> None:
        self.paths = [Path(p) for p in paths]
        self.context = [Path(p) for p in context]
        self.named = named  # the paths are the author's own: see :func:`discover`

    def load(self) -> DeckLibrary:
        files, errors = discover(self.paths, named=self.named)
        library = DeckLibrary(errors=list(errors))
        decks: list[tuple[Path, model.LessonDeck | model.CardDeck]] = []
        read: list[tuple[Path, model.LessonDeck | model.CardDeck]] = []
        in_skipped: Declared = set()
        for file in files:
            loaded = _load(file)
            library.errors.extend(loaded.errors)
            if loaded.deck is None:
                library.skipped.append(SkippedDeck(file, tuple(loaded.errors)))
                in_skipped |= loaded.declared
                if loaded.read is not None:
                    read.append((file, loaded.read))
            else:
                decks.append((file, loaded.deck))
        self._register(library, decks, self._context_owners(set(files)), in_skipped, read)
        library.errors = _in_reading_order(library.errors)
        return library

    def _context_owners(self, exclude: set[Path]) -> dict[str, _Owner]:
        """id -> its owner for every sound context deck not among the loaded files."""
        owners: dict[str, _Owner] = {}
        for file in discover(self.context)[0] if self.context else []:
            if file in exclude:
                continue
            deck, _ = load_file(file)
            if deck is not None:
                owners.update(_owners_of(file, deck))
        return owners

    def _register(
        self,
        library: DeckLibrary,
        decks: list[tuple[Path, model.LessonDeck | model.CardDeck]],
        context: dict[str, _Owner],
        in_skipped: Declared,
        read: list[tuple[Path, model.LessonDeck | model.CardDeck]],
    ) -> None:
        """Accept the decks whose ids are free and check every reference: the accepted decks',
        and those of what could be read of a skipped deck (``read``, a deck skipped for its id
        clashes included), so its author learns of an unknown id in the same run as of its other
        errors. A reference to an id of a skipped deck is not reported as unknown: the skipped
        deck's own errors say what to fix (its raw ids count, a step left unread included). Yet
        a ``related`` id whose kind is known, from what could be read of the skipped deck, is
        checked for its kind: fixing the skipped deck never reveals an error in the deck naming
        it."""
        # id -> its owner, of every deck and item known: the context's, then each accepted deck's
        owners: dict[str, _Owner] = dict(context)
        # the same, of what could be read of the skipped decks: their items' kinds
        in_skipped_owners: dict[str, _Owner] = {}
        for file, deck in read:
            in_skipped_owners.update(_owners_of(file, deck))
        accepted: list[tuple[Path, model.LessonDeck | model.CardDeck]] = []
        for file, deck in decks:
            clashes = [
                DeckError(
                    file,
                    *at.position("id"),
                    path,
                    Message.of("deck.id_used_in_file", id=item_id, file=str(owners[item_id].file)),
                )
                for item_id, at, path in [(deck.id, deck, "id"), *_item_ids(deck)]
                if item_id in owners
            ]
            if clashes:
                library.errors.extend(clashes)
                library.skipped.append(SkippedDeck(file, tuple(clashes)))
                in_skipped = in_skipped | _deck_declares(deck)  # its clash says what to fix
                in_skipped_owners.update(_owners_of(file, deck))
                read.append((file, deck))  # its references are checked all the same
                continue
            owners.update(_owners_of(file, deck))
            library._items[deck.id] = (deck.id, deck)
            for item_id, item, _ in _item_ids(deck):
                library._items[item_id] = (deck.id, item)
            library.files[deck.id] = file
            accepted.append((file, deck))

        lesson_ids = {key for key, owner in owners.items() if owner.what == "lesson"}
        # what a suggestion may offer: the skipped decks' ids too, which hold once they are fixed
        known = {**in_skipped_owners, **owners}
        known_lessons = lesson_ids | {ref for kind, ref in in_skipped if kind == "lesson"}
        for file, deck in [*accepted, *read]:
            for at, path, ref, kind in _references(deck):
                if kind == "lesson":
                    if ("lesson", ref) in in_skipped or ref in lesson_ids:
                        continue  # a skipped lesson's own errors say what to fix
                    what = None
                else:
                    owner = owners.get(ref) or in_skipped_owners.get(ref)
                    what = owner.what if owner is not None else None
                    if what is None and ("id", ref) in in_skipped:
                        continue  # of a kind unknown: the skipped deck's own errors say what to fix
                    if what in _may_name(at).kinds:
                        continue
                line, column = at.position(model.field_name(path))
                said = _unknown_reference(ref, kind, at, deck, known_lessons, known, what)
                library.errors.append(DeckError(file, line, column, path, said))
        lessons = [d for _, d in accepted if isinstance(d, model.LessonDeck)]
        library.lessons = _course_order(lessons)
        library.card_decks = [d for _, d in accepted if isinstance(d, model.CardDeck)]
        self._report_cycles(library, lessons)

    @staticmethod
    def _report_cycles(library: DeckLibrary, lessons: list[model.LessonDeck]) -> None:
        """A prerequisite the course order had to place after its lesson closes a cycle: the
        error names that entry of ``prerequisites``, the line an author changes. Each cycle is
        said once, at its first lesson in file order (every lesson on it would say the same
        chain from its own start); a lesson waiting on a cycle says so once per cycle."""
        by_id = {lesson.id: lesson for lesson in lessons}
        requires = {
            lesson.id: [p for p in lesson.prerequisites if p in by_id] for lesson in lessons
        }
        ordered_ids = [lesson.id for lesson in library.lessons]
        said: set[tuple[str | None, frozenset[str]]] = set()  # (waiting lesson, cycle's lessons)
        for lesson in lessons:
            mine = ordered_ids.index(lesson.id)
            for index, prereq in enumerate(lesson.prerequisites):
                if prereq in by_id and ordered_ids.index(prereq) > mine:
                    path = f"prerequisites[{index}]"
                    chain = _cycle_through(lesson.id, prereq, requires)
                    on_it = chain[0] == lesson.id
                    cycle = (None if on_it else lesson.id, frozenset(chain))
                    if cycle in said:
                        continue
                    said.add(cycle)
                    key = "deck.prerequisite_cycle" if on_it else "deck.prerequisite_waits_on_cycle"
                    library.errors.append(
                        DeckError(
                            library.files[lesson.id],
                            *lesson.position(path),
                            path,
                            Message.of(key, id=prereq, chain=" → ".join(chain)),
                        )
                    )


def _unknown_reference(
    ref: str,
    kind: str,
    at: model.Located,
    deck: model.LessonDeck | model.CardDeck,
    known_lessons: set[str],
    known: dict[str, _Owner],
    what: str | None = None,
) -> Message:
    """What to say of a reference to no id it may name: a lesson wanted and a card's or step's id
    given is said to be one (with the lesson it belongs to); a ``related`` id of a kind the item
    may not name (``what``, known of a skipped deck's item too) is said to be of that kind; else
    "unknown". Both with a suggestion among the ids of the kind wanted, never the deck's or
    item's own. ``known_lessons`` and ``known`` hold the ids of decks skipped for another error
    too: they hold once it is fixed."""
    if kind == "lesson":
        if ref in known:
            owner = known[ref]
            hint = (
                Message.of("deck.did_you_mean_its_lesson", name=owner.lesson)
                if owner.lesson in known_lessons and owner.lesson != deck.id
                else ""
            )
            what = _WHAT_NAMES[owner.what]
            return Message.of("deck.not_a_lesson", id=ref, what=what, hint=hint)
        # never the deck itself: no lesson comes before itself
        hint = did_you_mean(ref, sorted(known_lessons - {deck.id}))
        return Message.of("deck.unknown_lesson", id=ref, hint=hint)
    wanted = _may_name(at)
    own = getattr(at, "id", None)
    choices = [key for key, owner in known.items() if owner.what in wanted.kinds and key != own]
    hint = did_you_mean(ref, _alike_ids(ref, choices))
    if what is not None:
        return Message.of(
            "deck.related_wrong_kind",
            id=ref,
            what=_WHAT_NAMES[what],
            allowed=wanted.said,
            hint=hint,
        )
    return Message.of("deck.unknown_id", id=ref, hint=hint)


def _alike_ids(ref: str, choices: list[str]) -> list[str]:
    """The ``choices`` whose last part (after the last '.') is like ``ref``'s: ids share their
    deck's prefix (``qa5-dropout.``), which alone made ``qa5-dropout.demo`` look like
    ``qa5-dropout.card-params``."""
    tail = ref.rsplit(".", 1)[-1]
    return [
        choice
        for choice in choices
        if difflib.SequenceMatcher(None, tail, choice.rsplit(".", 1)[-1]).ratio() >= _ALIKE
    ]


_ALIKE = 0.6
"""How alike two ids' last parts must be to suggest one for the other (difflib's own cutoff)."""


def load_for_command(paths: list[str], config: Any) -> DeckLibrary:
    """The decks a command names, checked in the context of the configured decks.

    With no paths, the configured decks themselves (``--decks`` or the default).
    """
    if not paths:
        return DeckLoader(config.deck_paths, named=config.decks_overridden).load()
    return DeckLoader([Path(p) for p in paths], context=config.deck_paths, named=True).load()
