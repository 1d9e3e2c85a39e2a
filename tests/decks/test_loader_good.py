"""The shipped decks and the format's features load into the typed model."""

from __future__ import annotations

import re
from pathlib import Path

from tutor.decks import DeckLoader, model
from tutor.line_breaks import joins_without_space
from tutor.paths import default_deck_paths, shipped_root

ROOT = shipped_root()


def test_shipped_decks_load_without_errors(tmp_path: Path) -> None:
    library = DeckLoader(default_deck_paths(tmp_path)).load()
    assert library.errors == []
    assert library.lessons and library.lessons[0].id == "welcome"
    assert library.translation_gaps() == {"en": 0, "zh": 0}


def test_welcome_deck_binds_every_step_kind() -> None:
    library = DeckLoader([ROOT / "lessons" / "00-welcome.yaml"]).load()
    lesson = library.lesson("welcome")
    assert lesson is not None
    kinds = {type(s).__name__ for s in lesson.steps}
    assert kinds == {"TextStep", "CodeStep", "QuizStep", "ExerciseStep", "CardStep", "RecapStep"}
    quiz_kinds = {q.KIND for q in lesson.quizzes}
    assert quiz_kinds == {"single", "multiple", "true_false", "predict", "order"}
    single = next(q for q in lesson.quizzes if isinstance(q, model.SingleChoice))
    assert [o.id for o in single.options] == ["a", "b", "c", "d"]  # ids given by position
    assert single.answer == "b"
    assert single.line > 0 and single.column > 0


def test_counts_include_knowledge_cards_in_lessons() -> None:
    library = DeckLoader(
        [ROOT / "lessons" / "00-welcome.yaml", ROOT / "cards" / "welcome.yaml"]
    ).load()
    counts = library.counts()
    lesson_cards = len(library.lesson("welcome").cards)
    deck_cards = len(library.card_deck("welcome-cards").cards)
    assert counts["cards"] == lesson_cards + deck_cards
    assert counts["languages"] == ["en", "zh"]
    reviewable = {c.id: c for c in library.review_cards("welcome")}
    assert "welcome.card-linear-weight-layout" in reviewable
    assert reviewable["welcome.card-bias-none"].lesson_id == "welcome"


def test_course_order_puts_prerequisites_first(tmp_path: Path) -> None:
    for name, lid, prereqs in [("a.yaml", "zeta", "[alpha]"), ("b.yaml", "alpha", "[]")]:
        (tmp_path / name).write_text(
            f"kind: lesson\nid: {lid}\ntitle: t\nsummary: s\nprerequisites: {prereqs}\n"
            "steps:\n  - type: text\n    body: hi\n"
        )
    library = DeckLoader([tmp_path]).load()
    assert [lesson.id for lesson in library.lessons] == ["alpha", "zeta"]
    assert library.errors == []


def test_prerequisite_cycle_is_reported(tmp_path: Path) -> None:
    for lid, other in [("one", "two"), ("two", "one")]:
        (tmp_path / f"{lid}.yaml").write_text(
            f"kind: lesson\nid: {lid}\ntitle: t\nsummary: s\nprerequisites: [{other}]\n"
            "steps:\n  - type: text\n    body: hi\n"
        )
    library = DeckLoader([tmp_path]).load()
    assert len(library.lessons) == 2
    assert any("cycle" in e.message for e in library.errors)


def test_edited_card_changes_its_content_hash_but_not_its_id() -> None:
    card = model.Card(id="x", front="f", back="b")
    edited = model.Card(id="x", front="f", back="b, more precisely")
    assert card.content_hash() != edited.content_hash()
    assert card.content_hash() == model.Card(id="x", front="f", back="b", tags=["t"]).content_hash()


def test_folded_chinese_lines_join_without_a_space(tmp_path: Path) -> None:
    """YAML's ``>`` joins lines with a space, which Chinese does not use; English keeps its
    spaces, and a literal block (``|``, where Markdown does its own joining) is left alone."""
    (tmp_path / "fold.yaml").write_text(
        "kind: lesson\nid: fold\ntitle: t\n"
        "summary:\n"
        "  en: >-\n    two lines of\n    English prose\n"
        '  zh: >-\n    先看参数，\n    再看 Conv2d 的\n    缓冲区。用 `print("你 好")`\n    看\n'
        "steps:\n  - type: text\n    body:\n      zh: |-\n        第一行\n        第二行\n",
        encoding="utf-8",
    )
    library = DeckLoader([tmp_path]).load()
    assert library.errors == []
    lesson = library.lesson("fold")
    assert lesson.summary == {
        "en": "two lines of English prose",
        "zh": '先看参数，再看 Conv2d 的缓冲区。用 `print("你 好")` 看',  # a typed space stays
    }
    assert lesson.steps[0].body == {"zh": "第一行\n第二行"}


def test_shipped_summaries_have_no_space_where_chinese_has_none(tmp_path: Path) -> None:
    library = DeckLoader(default_deck_paths(tmp_path)).load()
    for lesson in library.lessons:
        zh = lesson.summary["zh"] if isinstance(lesson.summary, dict) else ""
        for match in re.finditer(r"(?<=(.)) (?=(.))", zh):
            assert not joins_without_space(*match.groups()), (lesson.id, zh[match.start() - 9 :])
