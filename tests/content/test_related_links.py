"""The shipped course's quizzes and exercises name the cards that teach their point.

README promises that a wrong answer brings the cards teaching its point into today's review;
that works only through ``related`` links (on the item, or a card naming the item). Whether a
link joins the *same* point is a reading judgement no test can make, so these tests hold what
can be checked mechanically: every link resolves, the share of linked checks does not slide back
below what the course reached (165 of 184 when the links were written, 0.89), and the link
README's promise rests on really works in lesson 0 through the real service.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.learning.conftest import open_course
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, DeckLoader
from tutor.learning import FixedClock
from tutor.paths import shipped_root
from tutor.quiz import predict_matches

# 165 of the 184 checks had a related card when they were linked; the 19 left have no card
# about their point (a new card, or a link, should come with any new check).
MIN_LINKED_SHARE = 0.89


@pytest.fixture(scope="module")
def library() -> DeckLibrary:
    root = shipped_root()
    return DeckLoader([root / "lessons", root / "cards"]).load()


def _checks(library: DeckLibrary) -> list[tuple[str, object]]:
    """Every quiz item and exercise of every lesson, with its step."""
    found = []
    for lesson in library.lessons:
        for _, item_id in lesson.checks:
            item = library.item(item_id)
            assert item is not None, item_id
            found.append((item_id, item[1]))
    return found


def _card_ids(library: DeckLibrary) -> set[str]:
    return {card.id for card in library.review_cards()}


def _linked_cards(library: DeckLibrary, item_id: str, item: object) -> set[str]:
    """The cards a wrong answer to ``item_id`` brings forward: those it names, those naming it."""
    cards = _card_ids(library)
    named = {ref for ref in getattr(item, "related", None) or [] if ref in cards}
    naming = {c.id for c in library.review_cards() if item_id in c.card.related}
    return named | naming


def test_every_related_id_of_a_check_resolves(library: DeckLibrary):
    cards = _card_ids(library)
    unresolved = [
        (item_id, ref)
        for item_id, item in _checks(library)
        for ref in getattr(item, "related", None) or []
        if ref not in cards and library.item(ref) is None and library.lesson(ref) is None
    ]
    assert unresolved == []


def test_a_check_links_cards_not_itself_or_other_checks(library: DeckLibrary):
    """A ``related`` id on a quiz or exercise is meant to name a card (a deck or lesson brings
    only the cards met in it, often none): an id naming another check brings nothing."""
    cards = _card_ids(library)
    checks = {item_id for item_id, _ in _checks(library)}
    not_cards = [
        (item_id, ref)
        for item_id, item in _checks(library)
        for ref in getattr(item, "related", None) or []
        if ref not in cards and ref in checks
    ]
    assert not_cards == []


def test_most_checks_bring_a_card_forward_when_missed(library: DeckLibrary):
    checks = _checks(library)
    linked = [item_id for item_id, item in checks if _linked_cards(library, item_id, item)]
    share = len(linked) / len(checks)
    assert share >= MIN_LINKED_SHARE, f"{len(linked)} of {len(checks)} checks link a card"


def test_every_lesson_links_most_of_its_checks(library: DeckLibrary):
    """No lesson is left without links, as lesson 0 once was: each links at least 60%."""
    thin = {}
    for lesson in library.lessons:
        ids = [item_id for _, item_id in lesson.checks]
        linked = [i for i in ids if _linked_cards(library, i, library.item(i)[1])]  # type: ignore[index]
        if ids and len(linked) / len(ids) < 0.6:
            thin[lesson.id] = f"{len(linked)}/{len(ids)}"
    assert thin == {}


def test_missing_the_bias_quiz_in_lesson_0_reviews_the_bias_card(tmp_path: Path):
    """``welcome.q-bias-false`` and ``welcome.card-bias-none`` teach the same fact; the card's
    deck waits for the lesson to be finished, so only the wrong answer can bring it in."""
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")
    with open_course(config, FixedClock()) as learning:
        card = "welcome.card-bias-none"
        assert card not in [c.id for c in learning.due_now()]
        learning.record_quiz("welcome.q-bias-false", "welcome", correct=True, answer="true")
        assert card not in [c.id for c in learning.due_now()]
        learning.record_quiz("welcome.q-bias-false", "welcome", correct=False, answer="false")
        assert card in [c.id for c in learning.due_now()]


@pytest.mark.parametrize(
    ("item_id", "answer"),
    [
        ("l04.q-predict-dropout-values", "0, 4"),  # "which distinct values": not a print
        ("l04.q-predict-dropout-values", "0 4"),
        ("l07.q-predict-del-renumber", "0, 1"),  # "what names are left"
        ("l07.q-predict-del-renumber", '["0", "1"]'),
        ("l02.q-predict-param-order", "gain, proj.weight, proj.bias"),
        ("l09.q-predict-apply-order", "Linear, ReLU, Linear, Sequential, Sequential"),
    ],
)
def test_a_natural_correct_prediction_counts(library: DeckLibrary, item_id: str, answer: str):
    item = library.item(item_id)[1]  # type: ignore[index]
    assert predict_matches(answer, item.expect, item.match, item.accept)


@pytest.mark.parametrize(
    ("item_id", "answer"),
    [
        ("l04.q-predict-dropout-values", "1"),  # forgot the scaling
        ("l04.q-predict-dropout-values", "0, 1"),
        ("l07.q-predict-del-renumber", "0, 2"),  # thought names were kept
        ("l09.q-predict-apply-order", "Sequential, Sequential, Linear, ReLU, Linear"),
    ],
)
def test_a_wrong_prediction_still_does_not(library: DeckLibrary, item_id: str, answer: str):
    item = library.item(item_id)[1]  # type: ignore[index]
    assert not predict_matches(answer, item.expect, item.match, item.accept)
