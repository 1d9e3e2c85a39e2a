"""Cross-file checks said once and said right: a prerequisite cycle is named by one line, not
by one per lesson on it, and a ``related`` id of the wrong kind (a code step's id in an
exercise's ``related``, which practises cards) is told so, not passed because the id exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.decks import DeckLoader

GOOD_STEPS = "  - type: text\n    body: hi\n"
EXERCISE = (
    "  - type: exercise\n    id: {id}\n    title: t\n    prompt: p\n"
    "    starter: x = 0\n    check: assert x == 1\n    solution: x = 1\n"
    "    related: [{related}]\n"
)


def lesson(lesson_id: str, head: str = "", steps: str = GOOD_STEPS) -> str:
    return f"kind: lesson\nid: {lesson_id}\ntitle: t\nsummary: s\n{head}steps:\n{steps}"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_cycle_of_three_lessons_is_said_once_at_its_first_lesson(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", lesson("cy-a", "prerequisites: [cy-b]\n"))
    write(tmp_path / "b.yaml", lesson("cy-b", "prerequisites: [cy-c]\n"))
    write(tmp_path / "c.yaml", lesson("cy-c", "prerequisites: [cy-a]\n"))
    library = DeckLoader([tmp_path]).load()
    said = [(e.file.name, e.path, e.message) for e in library.errors]
    assert said == [
        (
            "a.yaml",
            "prerequisites[0]",
            "prerequisite 'cy-b' is part of a cycle: cy-a → cy-b → cy-c → cy-a; remove one of"
            " these prerequisites",
        )
    ]
    # the rule for the lessons themselves is unchanged: they load, after the others
    assert [d.id for d in library.lessons] == ["cy-a", "cy-b", "cy-c"]


def test_two_cycles_are_each_said_once(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", lesson("c1-a", "prerequisites: [c1-b]\n"))
    write(tmp_path / "b.yaml", lesson("c1-b", "prerequisites: [c1-a]\n"))
    write(tmp_path / "c.yaml", lesson("c2-c", "prerequisites: [c2-d]\n"))
    write(tmp_path / "d.yaml", lesson("c2-d", "prerequisites: [c2-e]\n"))
    write(tmp_path / "e.yaml", lesson("c2-e", "prerequisites: [c2-c]\n"))
    errors = DeckLoader([tmp_path]).load().errors
    assert [(e.file.name, e.message.split(";")[0]) for e in errors] == [
        ("a.yaml", "prerequisite 'c1-b' is part of a cycle: c1-a → c1-b → c1-a"),
        ("c.yaml", "prerequisite 'c2-d' is part of a cycle: c2-c → c2-d → c2-e → c2-c"),
    ]


def test_an_exercise_related_to_a_code_step_is_told_what_it_may_name(tmp_path: Path) -> None:
    """An exercise brings forward the cards it names: a code step's id brings nothing."""
    steps = (
        "  - type: code\n    id: rk.demo\n    code: x = 1\n"
        "  - type: card\n    id: rk.demo-card\n    front: f\n    back: b\n"
        + EXERCISE.format(id="rk.ex", related="rk.demo")
    )
    text = lesson("rk", steps=steps)
    file = write(tmp_path / "rk.yaml", text)
    (error,) = DeckLoader([file]).load().errors
    line = text.splitlines().index("    related: [rk.demo]") + 1
    assert (error.file, error.line, error.column, error.path) == (
        file,
        line,
        len("    related: [") + 1,
        "steps[2].related[0]",
    )
    assert error.message == (
        "'rk.demo' is the id of a step, not of a lesson, a card deck or a card;"
        " did you mean 'rk.demo-card'?"
    )


def test_a_quiz_related_to_another_quiz_is_told_so(tmp_path: Path) -> None:
    steps = (
        "  - type: quiz\n    kind: true_false\n    id: rq.tf\n    question: q\n"
        "    answer: true\n    why: w\n"
        "  - type: quiz\n    kind: true_false\n    id: rq.tf2\n    question: q\n"
        "    answer: true\n    why: w\n    related: [rq.tf]\n"
    )
    file = write(tmp_path / "rq.yaml", lesson("rq", steps=steps))
    (error,) = DeckLoader([file]).load().errors
    assert (error.path, error.message) == (
        "steps[1].related[0]",
        "'rq.tf' is the id of a quiz, not of a lesson, a card deck or a card",
    )


def test_a_card_related_to_a_card_deck_is_told_so(tmp_path: Path) -> None:
    cards = (
        "kind: cards\nid: cd-cards\ntitle: t\nsummary: s\ncards:\n"
        "  - id: cd.card\n    front: f\n    back: b\n    related: [cd-cards]\n"
    )
    file = write(tmp_path / "cd.yaml", cards)
    (error,) = DeckLoader([file]).load().errors
    assert (error.file, error.path, error.message) == (
        file,
        "cards[0].related[0]",
        "'cd-cards' is the id of a card deck, not of a step, a quiz or a card",
    )


def test_related_ids_of_the_kinds_the_tutor_uses_are_fine(tmp_path: Path) -> None:
    """A card may name the step, quiz or card teaching it; a quiz or exercise a lesson or card
    deck."""
    steps = (
        "  - type: code\n    id: ok.demo\n    code: x = 1\n"
        "  - type: quiz\n    kind: true_false\n    id: ok.tf\n    question: q\n"
        "    answer: true\n    why: w\n    related: [ok, ok-cards, ok.card2]\n"
        "  - type: card\n    id: ok.card\n    front: f\n    back: b\n"
        "    related: [ok.demo, ok.tf, ok.card2]\n"
        "  - type: card\n    id: ok.card2\n    front: f\n    back: b\n"
        + EXERCISE.format(id="ok.ex", related="ok.card, ok, ok-cards")
    )
    write(tmp_path / "ok.yaml", lesson("ok", steps=steps))
    cards = (
        "kind: cards\nid: ok-cards\ntitle: t\nsummary: s\nlesson: ok\ncards:\n"
        "  - id: ok.deck-card\n    front: f\n    back: b\n    related: [ok.demo, ok.ex]\n"
    )
    write(tmp_path / "ok-cards.yaml", cards)
    assert DeckLoader([tmp_path]).load().errors == []


def test_two_bare_lists_in_one_file_are_each_written_back(tmp_path: Path) -> None:
    """The binder reads the file's lines once for such errors: each is quoted as written."""
    predict = (
        "  - type: quiz\n    kind: predict\n    id: {id}\n    question: Q\n"
        "    code: print([1.0])\n    why: w\n    expect: {expect}\n"
    )
    steps = predict.format(id="two.a", expect="[1.0, 2.0]") + predict.format(
        id="two.b", expect="{'k': 1}"
    )
    file = write(tmp_path / "two.yaml", lesson("two", steps=steps))
    said = [(e.path, e.message.split("; ")[-1]) for e in DeckLoader([file]).load().errors]
    assert said == [
        ("steps[0].expect", 'to mean the text as written, put it in quotes: "[1.0, 2.0]"'),
        ("steps[1].expect", "to mean the text as written, put it in quotes: \"{'k': 1}\""),
    ]


KIND_IN_SKIPPED = (
    "  - type: code\n    id: {p}.demo\n    code: x = 1\n"
    "  - type: quiz\n    kind: true_false\n    id: {p}.tf\n    question: q\n"
    "    answer: true\n    why: w\n    related: [{related}]\n"
)


def test_a_wrong_kind_in_a_deck_skipped_for_another_error_is_said_in_the_same_run(
    tmp_path: Path,
) -> None:
    """The deck is skipped for its empty summary; its quiz naming its own code step is still
    said, so fixing the summary reveals nothing new."""
    text = lesson("sk", steps=KIND_IN_SKIPPED.format(p="sk", related="sk.demo"))
    file = write(tmp_path / "sk.yaml", text.replace("summary: s", 'summary: ""'))
    said = [(e.path, e.message) for e in DeckLoader([file]).load().errors]
    assert said == [
        ("summary", "text is empty"),
        (
            "steps[1].related[0]",
            "'sk.demo' is the id of a step, not of a lesson, a card deck or a card",
        ),
    ]


def test_a_wrong_kind_naming_a_skipped_deck_is_said_in_the_deck_naming_it(
    tmp_path: Path,
) -> None:
    """a.yaml's quiz names b.yaml's code step while b.yaml is skipped for its own error: a.yaml
    is told now, not once b.yaml is fixed."""
    quiz = (
        "  - type: quiz\n    kind: true_false\n    id: ka.tf\n    question: q\n"
        "    answer: true\n    why: w\n    related: [kb.demo]\n"
    )
    write(tmp_path / "a.yaml", lesson("ka", steps=quiz))
    b_steps = "  - type: code\n    id: kb.demo\n    code: x = 1\n"
    write(tmp_path / "b.yaml", lesson("kb", steps=b_steps).replace("summary: s", 'summary: ""'))
    said = [(e.file.name, e.path, e.message) for e in DeckLoader([tmp_path]).load().errors]
    assert said == [
        ("b.yaml", "summary", "text is empty"),
        (
            "a.yaml",
            "steps[0].related[0]",
            "'kb.demo' is the id of a step, not of a lesson, a card deck or a card",
        ),
    ]


@pytest.mark.parametrize(
    ("related", "said"),
    [
        ("sb.card-weigth", "unknown id 'sb.card-weigth'; did you mean 'sb.card-weight'?"),
        (
            "sb.demo",
            "'sb.demo' is the id of a step, not of a lesson, a card deck or a card; did you"
            " mean 'sb.card-demo'?",
        ),
    ],
)
def test_a_suggestion_offers_the_ids_of_a_skipped_deck(
    tmp_path: Path, related: str, said: str
) -> None:
    """b.yaml is skipped for its empty summary: the ids it declares hold once it is fixed, so a
    slip naming one of them is offered it, as it would be were b.yaml sound."""
    quiz = (
        "  - type: quiz\n    kind: true_false\n    id: sa.tf\n    question: q\n"
        f"    answer: true\n    why: w\n    related: [{related}]\n"
    )
    write(tmp_path / "a.yaml", lesson("sa", steps=quiz))
    b_steps = (
        "  - type: code\n    id: sb.demo\n    code: x = 1\n"
        "  - type: card\n    id: sb.card-weight\n    front: f\n    back: b\n"
        "  - type: card\n    id: sb.card-demo\n    front: f\n    back: b\n"
    )
    write(tmp_path / "b.yaml", lesson("sb", steps=b_steps).replace("summary: s", 'summary: ""'))
    errors = DeckLoader([tmp_path]).load().errors
    assert [(e.file.name, e.message) for e in errors] == [
        ("b.yaml", "text is empty"),
        ("a.yaml", said),
    ]


def test_an_id_of_a_skipped_deck_of_a_kind_unknown_is_left_to_that_deck(tmp_path: Path) -> None:
    """b.yaml's step cannot be read (a misspelt type): its id counts, though its kind is
    unknown, so a.yaml naming it is not told anything; b.yaml's own error says what to fix."""
    quiz = (
        "  - type: quiz\n    kind: true_false\n    id: ua.tf\n    question: q\n"
        "    answer: true\n    why: w\n    related: [ub.what]\n"
    )
    write(tmp_path / "a.yaml", lesson("ua", steps=quiz))
    write(tmp_path / "b.yaml", lesson("ub", steps="  - type: kard\n    id: ub.what\n"))
    errors = DeckLoader([tmp_path]).load().errors
    assert [e.file.name for e in errors] == ["b.yaml"] * 3  # its type, front and back


def test_a_card_related_to_a_lesson_is_told_so(tmp_path: Path) -> None:
    """Review's ``e`` opens the lesson at the step, quiz or card a card names: a lesson's id
    there does nothing, so it is refused, as a card deck's is."""
    write(
        tmp_path / "cl.yaml", lesson("cl", steps="  - type: code\n    id: cl.demo\n    code: x\n")
    )
    cards = (
        "kind: cards\nid: cl-cards\ntitle: t\nsummary: s\nlesson: cl\ncards:\n"
        "  - id: cl.card\n    front: f\n    back: b\n    related: [cl, cl.demo]\n"
    )
    write(tmp_path / "cl-cards.yaml", cards)
    said = [(e.file.name, e.path, e.message) for e in DeckLoader([tmp_path]).load().errors]
    assert said == [
        (
            "cl-cards.yaml",
            "cards[0].related[0]",
            "'cl' is the id of a lesson, not of a step, a quiz or a card",
        )
    ]


def test_a_misspelt_prerequisite_is_offered_a_skipped_lesson(tmp_path: Path) -> None:
    """b.yaml's lesson is skipped for its empty summary: a prerequisite misspelling it was
    offered another lesson, one that loaded, as if b.yaml's did not exist."""
    write(tmp_path / "a.yaml", lesson("attention-next", "prerequisites: [attention-basic]\n"))
    skipped = lesson("attention-basics").replace("summary: s", 'summary: ""')
    write(tmp_path / "b.yaml", skipped)
    write(tmp_path / "c.yaml", lesson("attention-extra"))
    errors = DeckLoader([tmp_path]).load().errors
    assert [(e.file.name, e.message) for e in errors] == [
        ("b.yaml", "text is empty"),
        ("a.yaml", "unknown lesson 'attention-basic'; did you mean 'attention-basics'?"),
    ]
