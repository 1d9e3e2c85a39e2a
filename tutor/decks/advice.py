"""Advice for deck authors: what loads and runs, but reads badly.

Unlike a :class:`~tutor.decks.errors.DeckError`, advice never stops a deck loading; ``nn-tutor
validate`` prints it after the errors, in the same one-line form (file, line, column, field).
Its kinds:

- a diagram line wider than a lesson's fence at 100 columns (:data:`DIAGRAM_WIDTH` cells): it
  scrolls sideways, and most learners will not notice there is more;
- a code comment in English words with no Chinese after ``#zh:`` (a Chinese learner reads the
  code's comments in English);
- a prose text (more than :data:`PROSE_WORDS` words outside inline code) written as one plain
  string instead of ``{en: ..., zh: ...}``: every learner reads it as written, in whatever
  language that is; the same for a plain-string message of an ``assert`` in an exercise check;
- a ``{en: ..., zh: ...}`` text with one language left out (it falls back to the other, so the
  deck works, but ``validate`` would otherwise say nothing of it outside ``--json``);
- a ``verify`` block that asserts nothing (no ``assert``, no ``raise``, no call of an
  ``assert…`` function such as ``torch.testing.assert_close``): it passes whatever torch does,
  so ``nn-tutor check`` could never catch its claim going false;
- a card, or a quiz of any kind but predict, with no ``verify`` block: nothing checks its claim
  on the installed torch (a predict quiz's snippet and an exercise are checked by running them);
- an unquoted text cut short at `` #``, which YAML reads as a comment (see
  :mod:`tutor.decks.comment_cut`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from tutor.decks import model
from tutor.decks.code_comments import untranslated_comments
from tutor.decks.comment_cut import cut_texts
from tutor.decks.errors import DeckError, Message
from tutor.decks.loader import DeckLibrary
from tutor.decks.walk import iter_text_fields
from tutor.decks.yaml_source import DeckSourceError, decode_source
from tutor.i18n import LANGS

DIAGRAM_WIDTH = 86
"""Cells of code a Markdown fence shows, padding included, on a lesson screen 100 columns wide
(``tests/tui/test_diagram_width.py`` measures it on the real screen)."""


def fenced_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) inside every fence of a deck file's text, each line taken from the
    fence's own indentation: what the learner sees. Fences are Markdown's: ```` ``` ```` or
    ``~~~``, three or more; only a run of the same mark, as long or longer and with nothing
    after it, closes one (a ```` ``` ```` line inside a ``~~~`` fence is a line of it)."""
    fence: tuple[int, str] | None = None  # the open fence's indentation and its mark
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        mark = _fence_mark(stripped)
        if fence is None:
            if mark:
                fence = (len(line) - len(line.lstrip()), mark)
        elif mark and mark[0] == fence[1][0] and len(mark) >= len(fence[1]) and mark == stripped:
            fence = None
        else:
            yield number, line[fence[0] :]


def _fence_mark(stripped: str) -> str:
    """The run of ``` ` ``` or ``~`` opening ``stripped`` where it is three or more, else ""."""
    for char in "`~":
        run = len(stripped) - len(stripped.lstrip(char))
        if run >= 3:
            return char * run
    return ""


def displayed_code(deck: model.LessonDeck | model.CardDeck) -> Iterator[tuple[Any, str, str]]:
    """(owner, field, code) of every piece of code in ``deck`` a learner reads: snippets, quiz
    code, exercise starters and solutions, card examples; not hidden checks or verify blocks."""
    if isinstance(deck, model.LessonDeck):
        yield from ((s, "code", s.code) for s in deck.snippets)
        yield from ((q, "code", q.code) for q in deck.quizzes if q.code)
        for exercise in deck.exercises:
            yield exercise, "starter", exercise.starter
            yield exercise, "solution", exercise.solution
    yield from ((c, "example", c.example) for c in deck.cards if c.example)


INLINE_CODE = re.compile(r"`[^`]*`")
PROSE_WORDS = 4
"""A plain string with more words than this, inline code left out, is prose to translate; one
with this many or fewer is a label or a bit of code (``nn.Linear``, ``x.shape``), the same in
every language."""

PROSE_IDEOGRAPHS = 8
"""A plain string with this many Chinese characters or more, inline code left out, is prose too:
Chinese puts no spaces between its words, so it has no words to count."""

# a word: letters (an apostrophe or hyphen between them), a quote or bracket around them, and
# the punctuation a sentence puts after one; `x.shape`, `(2,`, `bias=False` and `5])` are code
_WORD = re.compile(r"[\"'(“‘]?[^\W\d_]+(?:['’-][^\W\d_]+)*[\"'”’)]?[.,;:!?…]*[\"'”’)]?")
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_prose(text: str) -> bool:
    """Whether ``text`` is prose a learner needs in their language, not code or a short label:
    the one rule for ``validate``'s advice and the course's own test. Words are runs of letters
    (``torch.Size([1, 2, 3, 4, 5])`` and ``F.pad(x, (1, 1, 2, 2))`` have none), and Chinese,
    which has no spaces, counts by its characters."""
    outside = INLINE_CODE.sub("", text)
    words = [token for token in outside.split() if _WORD.fullmatch(token)]
    return len(words) > PROSE_WORDS or len(_IDEOGRAPH.findall(outside)) >= PROSE_IDEOGRAPHS


def translation_gaps(file: Path, deck: model.LessonDeck | model.CardDeck) -> Iterator[DeckError]:
    """Advice for every bilingual text of ``deck`` that lacks a language, and for every prose
    text written as one plain string (it reads the same in every language)."""
    for owner, _, path, text in iter_text_fields(deck):
        if not isinstance(text, dict):
            if is_prose(text):
                said = Message.of("deck.advice.plain_prose")
                yield DeckError(file, *owner.position(model.field_name(path)), path, said)
            continue
        for lang in LANGS:
            if lang not in text:
                other = next(iter(text))
                said = Message.of("deck.advice.no_translation", lang=lang, other=other)
                yield DeckError(file, *owner.position(model.field_name(path)), path, said)


def plain_assert_messages(code: str) -> Iterator[tuple[int, int]]:
    """(line, 1-based; column, 0-based) in ``code`` of every ``assert`` message that is a plain
    string of prose (an f-string counts by its literal words), not an ``{"en": …, "zh": …}``
    dict. Code that does not parse gives none: ``check`` reports its syntax error."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert) or node.msg is None:
            continue
        message = node.msg
        if isinstance(message, ast.JoinedStr):
            parts = [v.value for v in message.values if isinstance(v, ast.Constant)]
            words = "".join(str(part) for part in parts)
        elif isinstance(message, ast.Constant) and isinstance(message.value, str):
            words = message.value
        else:
            continue
        if is_prose(words):
            yield message.lineno, message.col_offset


def plain_check_messages(
    file: Path, deck: model.LessonDeck | model.CardDeck, file_lines: list[str]
) -> Iterator[DeckError]:
    """Advice for each plain-string assert message in an exercise's check, at the message's own
    place where the check's lines are the file's, else at the ``check:`` key."""
    if not isinstance(deck, model.LessonDeck):
        return
    for exercise in deck.exercises:
        code = exercise.check or ""
        code_lines = code.splitlines()
        for row, column in plain_assert_messages(code):
            place = _comment_place(exercise, "check", code_lines, file_lines, row, column)
            said = Message.of("deck.advice.plain_assert_message")
            yield DeckError(file, *place, f"{exercise.id}.check", said)


def verified_items(
    deck: model.LessonDeck | model.CardDeck,
) -> Iterator[model.Card | model.QuizBase]:
    """Every quiz and card of ``deck`` that has a verify block."""
    items: list[model.Card | model.QuizBase] = list(deck.cards)
    if isinstance(deck, model.LessonDeck):
        items.extend(deck.quizzes)
    yield from (item for item in items if item.verify)


def asserts_something(code: str) -> bool:
    """Whether ``code`` can fail on purpose: it holds an ``assert``, a ``raise`` or a call of a
    function named ``assert…`` (``torch.testing.assert_close``). Code that does not parse counts
    as asserting: the sandbox reports its syntax error, and advice would only repeat it."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return True
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assert, ast.Raise)):
            return True
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name.startswith("assert"):
                return True
    return False


def assertless_verifies(file: Path, deck: model.LessonDeck | model.CardDeck) -> Iterator[DeckError]:
    """Advice for every verify block of ``deck`` that asserts nothing, at its ``verify:`` key."""
    for item in verified_items(deck):
        if not asserts_something(item.verify or ""):
            said = Message.of("deck.advice.verify_asserts_nothing")
            yield DeckError(file, *item.position("verify"), f"{item.id}.verify", said)


def unverified_claims(
    deck: model.LessonDeck | model.CardDeck,
) -> Iterator[tuple[model.Card | model.QuizBase, str]]:
    """(item, field path as the file is written: ``steps[5]``, ``cards[3]``) of every card and
    every quiz of ``deck`` that makes a claim no run checks: it has no ``verify`` block. A predict
    quiz is checked by running its snippet, as an exercise is by running its solution and
    starter, so neither is named. The one rule for the course's own test and for
    ``nn-tutor validate`` and ``check``, so that they never disagree on what counts."""
    listed: list[tuple[model.Card | model.QuizBase, str, int]]  # item, list field, index
    if isinstance(deck, model.CardDeck):
        listed = [(card, "cards", index) for index, card in enumerate(deck.cards)]
    else:
        listed = [
            (model.step_item(step), "steps", index)
            for index, step in enumerate(deck.steps)
            if isinstance(step, (model.QuizStep, model.CardStep))
        ]
    for item, name, index in listed:
        if not item.verify and not isinstance(item, model.Predict):
            yield item, f"{name}[{deck.index_in_file(name, index)}]"


def unverified_advice(file: Path, deck: model.LessonDeck | model.CardDeck) -> Iterator[DeckError]:
    """Advice for every card and quiz of ``deck`` whose claim nothing checks, at the item's own
    place and named as its missing ``verify`` field (as a missing required field is named)."""
    for item, path in unverified_claims(deck):
        said = Message.of("deck.advice.no_verify")
        yield DeckError(file, *item.position(), f"{path}.verify", said)


def _source(file: Path) -> str | None:
    """A deck file's text as the loader read it, or None where it no longer can be read."""
    try:
        return decode_source(file, file.read_bytes())
    except (OSError, DeckSourceError):
        return None


def deck_advice(library: DeckLibrary) -> list[DeckError]:
    """Every piece of advice for the loaded decks, in file order; for a skipped deck, where a
    text cut at `` #`` may be what its error is about (``summary: #1 of 12`` reads as no
    summary), the cut texts."""
    advice: list[DeckError] = []
    for skipped in library.skipped:
        if (text := _source(skipped.file)) is not None:
            advice.extend(cut_texts(skipped.file, text))
    for deck in [*library.lessons, *library.card_decks]:
        file = library.files.get(deck.id)
        if file is None or (source := _source(Path(file))) is None:
            continue
        advice.extend(translation_gaps(file, deck))
        advice.extend(assertless_verifies(file, deck))
        advice.extend(unverified_advice(file, deck))
        advice.extend(cut_texts(file, source))
        lines = source.splitlines()
        advice.extend(plain_check_messages(file, deck, lines))
        for number, text in fenced_lines(source):
            if cell_len(text) > DIAGRAM_WIDTH:
                advice.append(
                    DeckError(
                        file,
                        number,
                        1,
                        "",
                        Message.of(
                            "deck.advice.wide_diagram", width=cell_len(text), limit=DIAGRAM_WIDTH
                        ),
                    )
                )
        for owner, name, code in displayed_code(deck):
            code_lines = code.splitlines()
            for row, column, comment in untranslated_comments(code):
                advice.append(
                    DeckError(
                        file,
                        *_comment_place(owner, name, code_lines, lines, row, column),
                        f"{owner.id}.{name}",
                        Message.of("deck.advice.untranslated_comment", comment=comment),
                    )
                )
    return sorted(advice)


def _comment_place(
    owner: model.Located,
    name: str,
    code_lines: list[str],
    file_lines: list[str],
    row: int,
    column: int,
) -> tuple[int, int]:
    """The file (line, column) of a comment at ``row``, ``column`` (1-based, 0-based) of the
    code in field ``name``: its own place where the code's lines are the file's; otherwise
    (folded ``>`` code, ``\\n`` escapes) the field's, as no file line is that code line."""
    start = owner.text_line(name)
    if start is None:
        return owner.position(name)
    line = start + row - 1
    # The block's indentation: the file line is the code line, indented.
    indent = len(file_lines[line - 1]) - len(code_lines[row - 1]) if line <= len(file_lines) else 0
    return line, indent + column + 1
