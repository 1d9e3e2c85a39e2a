"""The shipped course meets the bar set for it: counts per lesson, both languages, proofs."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from tutor.checking import collect_units
from tutor.decks import DeckLibrary
from tutor.decks.advice import deck_advice, is_prose, unverified_claims
from tutor.decks.walk import iter_texts
from tutor.paths import shipped_root
from tutor.torch_version import release

COURSE = [
    "what-is-nn",
    "inside-module",
    "params-buffers",
    "layers",
    "normalization",
    "functional-hooks",
    "containers",
    "modes-devices",
    "state-dict",
    "debugging",
    "attention",
]
TRACED = {"normalization", "functional-hooks", "modes-devices", "debugging", "attention"}


def test_ci_checks_every_item_on_its_torch(library: DeckLibrary) -> None:
    """``check`` skips an item whose ``torch_min`` is newer than the installed torch, so none may
    be newer than the torch CI installs, or CI would never prove it."""
    setup = (shipped_root() / "scripts" / "setup.sh").read_text(encoding="utf-8")
    pin = re.search(r"torch==([\d.]+)", setup)
    assert pin is not None, "scripts/setup.sh no longer pins torch"
    newer = [
        f"{unit.where}: {unit.label} needs torch {unit.torch_min}"
        for unit in collect_units(library)
        if unit.torch_min and release(unit.torch_min) > release(pin.group(1))
    ]
    assert newer == []


def test_no_code_needs_numpy(library: DeckLibrary) -> None:
    """torch does not depend on NumPy and nn-tutor does not install it: a learner's environment
    may lack it (seen with torch 2.14 on Python 3.13), so no snippet, check or verify may use it."""
    uses = [
        unit.label
        for unit in collect_units(library)
        for code in (unit.code, unit.check or "")
        if re.search(r"\bnumpy\b|\bnp\.", code)
    ]
    assert uses == []


def test_shipped_decks_have_no_errors(library: DeckLibrary) -> None:
    assert [str(e) for e in library.errors] == []


def test_course_totals(library: DeckLibrary) -> None:
    counts = library.counts()
    assert counts["lessons"] >= 10
    assert counts["quiz_items"] >= 120
    assert counts["cards"] >= 150
    assert counts["exercises"] >= 20
    assert counts["languages"] == ["en", "zh"]


def test_course_follows_the_outline_in_order(library: DeckLibrary) -> None:
    ids = [lesson.id for lesson in library.lessons]
    assert [i for i in ids if i in COURSE] == COURSE
    for previous, lesson_id in zip(["welcome", *COURSE], COURSE, strict=False):
        assert previous in library.lesson(lesson_id).prerequisites


def test_the_map_numbers_lessons_as_their_files_and_prose_do(library: DeckLibrary) -> None:
    """Lessons say "lesson 7" for ``07-containers.yaml``; the course map and palette must agree."""
    numbers = {lesson.id: n for n, lesson in library.numbered_lessons()}
    by_file = {i: int(library.files[i].name.split("-", 1)[0]) for i in numbers}
    assert numbers == by_file
    assert numbers["welcome"] == 0


@pytest.mark.parametrize("lesson_id", COURSE)
def test_lesson_meets_the_minimums(library: DeckLibrary, lesson_id: str) -> None:
    lesson = library.lesson(lesson_id)
    assert lesson is not None, f"lesson {lesson_id} did not load"
    steps = Counter(type(s).TYPE for s in lesson.steps)
    quizzes = Counter(q.KIND for q in lesson.quizzes)
    assert steps["text"] >= 6 and steps["recap"] >= 2 and steps["code"] >= 4, steps
    assert sum(quizzes.values()) >= 12, quizzes
    assert quizzes["predict"] >= 2 and quizzes["order"] >= 1, quizzes
    assert all(quizzes[k] >= 1 for k in ("single", "multiple", "true_false")), quizzes
    assert len(lesson.exercises) >= 2
    assert all(len(ex.hints) >= 2 for ex in lesson.exercises)
    assert len(library.review_cards(lesson_id)) >= 15
    if lesson_id in TRACED:
        assert any(s.trace for s in lesson.snippets), "this lesson's topic calls for a live trace"


@pytest.mark.parametrize("lesson_id", COURSE)
def test_every_claim_carries_a_proof(library: DeckLibrary, lesson_id: str) -> None:
    """Every quiz but a predict one, and every card of the lesson or of a card deck for it, has a
    verify: the rule ``nn-tutor validate`` advises deck authors by, so the two never differ."""
    lesson = library.lesson(lesson_id)
    assert lesson is not None, f"lesson {lesson_id} did not load"
    decks = [lesson, *[d for d in library.card_decks if lesson_id in (d.id, d.lesson)]]
    unproven = [item.id for deck in decks for item, _ in unverified_claims(deck)]
    assert unproven == []


@pytest.mark.parametrize("lesson_id", COURSE)
def test_every_string_is_bilingual(library: DeckLibrary, lesson_id: str) -> None:
    decks = [library.lesson(lesson_id), *[d for d in library.card_decks if d.lesson == lesson_id]]
    monolingual = [
        path
        for deck in decks
        for path, text in iter_texts(deck, deck.id)
        if isinstance(text, dict) and set(text) != {"en", "zh"}
    ]
    assert monolingual == []
    # Prose must be translated; plain strings are fine only for code and short labels: the rule
    # is validate's advice's own, so the two never disagree.

    untranslated = [
        path
        for deck in decks
        for path, text in iter_texts(deck, deck.id)
        if isinstance(text, str) and is_prose(text)
    ]
    assert untranslated == []


def test_the_shipped_decks_need_no_advice(library: DeckLibrary) -> None:
    """No diagram wider than a lesson's fence, no code comment without its Chinese: what
    ``nn-tutor validate`` would advise an author to fix."""
    advice = [str(a) for a in deck_advice(library)]
    assert advice == [], "\n".join(advice)


def test_decks_declare_the_editor_schema() -> None:
    root = shipped_root()
    for path in [*root.joinpath("lessons").glob("*.yaml"), *root.joinpath("cards").glob("*.yaml")]:
        first = Path(path).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schemas/deck.schema.json", path.name


def test_no_deprecated_api_is_taught(library: DeckLibrary) -> None:
    """Naming an old API in prose to warn about it is fine, and so is a ``verify`` (never shown
    to a learner) proving what is wrong with it; running it in code a learner reads is not."""
    from tutor.checking import collect_units

    banned = ("register_backward_hook(", "Variable(", "pretrained=True")
    units = [u for u in collect_units(library) if u.kind != "verify"]
    codes = [(u.label, u.code) for u in units] + [(u.label, u.check) for u in units if u.check]
    offenders = [(label, word) for label, code in codes for word in banned if word in code]
    assert offenders == []


def _assert_messages(check: str) -> list[ast.expr | None]:
    """The message of every ``assert`` and ``raise AssertionError(...)`` in a check."""
    messages: list[ast.expr | None] = []
    for node in ast.walk(ast.parse(check)):
        if isinstance(node, ast.Assert):
            messages.append(node.msg)
        elif (
            isinstance(node, ast.Raise)
            and isinstance(node.exc, ast.Call)
            and getattr(node.exc.func, "id", None) == "AssertionError"
        ):
            messages.append(node.exc.args[0] if node.exc.args else None)
    return messages


def test_exercise_checks_answer_in_both_languages(library: DeckLibrary) -> None:
    """A failed check is feedback the learner reads, so it is ``{"en": ..., "zh": ...}`` too."""
    offenders = []
    for lesson in library.lessons:
        for exercise in lesson.exercises:
            for message in _assert_messages(exercise.check):
                keys = (
                    {k.value for k in message.keys if isinstance(k, ast.Constant)}
                    if isinstance(message, ast.Dict)
                    else set()
                )
                if keys != {"en", "zh"}:
                    offenders.append(exercise.id)
    assert offenders == []
