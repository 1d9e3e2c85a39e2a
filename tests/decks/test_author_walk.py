"""A deck author's mistakes, written from docs/deck-format.md alone: each must come back as one
clear line naming the file, the line and the field, once."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tutor.checking import CheckUnit, judge
from tutor.decks import DeckLoader

HEAD = "kind: lesson\nid: walk\ntitle: T\nsummary: S\nsteps:\n"
SHIPPED = Path(__file__).resolve().parents[2]


def _errors(tmp_path: Path, body: str, name: str = "walk.yaml") -> list:
    deck = tmp_path / name
    deck.write_text(HEAD + body, encoding="utf-8")
    return DeckLoader([deck]).load().errors


def _choice(options: str, answer: str = "a") -> str:
    return (
        "  - type: quiz\n    kind: single\n    id: walk.q\n    question: Q\n"
        f"    options:\n{options}    answer: {answer}\n"
    )


def test_syntax_error_in_one_line_code_points_at_that_line(tmp_path: Path) -> None:
    body = (
        '  - type: code\n    id: walk.a\n    code: "y = ("\n'  # line 8
        "  - type: code\n    id: walk.b\n    code: x = (\n"  # line 11
    )
    errors = _errors(tmp_path, body)
    assert [(e.path, e.line) for e in errors] == [("steps[0].code", 8), ("steps[1].code", 11)]


def test_syntax_error_in_a_block_of_code_points_at_the_line_in_the_file(tmp_path: Path) -> None:
    body = "  - type: code\n    id: walk.a\n    code: |\n      x = 1\n      y = (\n"
    (error,) = _errors(tmp_path, body)
    assert (error.line, error.path) == (10, "steps[0].code")
    assert "code line 2" in error.message


def test_a_duplicated_option_id_is_reported_once_at_the_second(tmp_path: Path) -> None:
    options = "      - {id: x, text: a, why: w}\n      - {id: x, text: b, why: w}\n"
    errors = _errors(tmp_path, _choice(options, "x"))
    assert [(e.path, e.line, e.message) for e in errors] == [
        ("steps[0].options[1].id", 12, "option id 'x' is already used by options[0]")
    ]


def test_no_options_is_one_error_not_a_second_about_the_answer(tmp_path: Path) -> None:
    body = (
        "  - type: quiz\n    kind: single\n    id: walk.q\n    question: Q\n"
        "    options: []\n    answer: a\n"
    )
    errors = _errors(tmp_path, body)
    assert [e.message for e in errors] == ["a choice item needs 2 or more options"]


def test_two_options_with_the_same_text_are_an_error(tmp_path: Path) -> None:
    options = "      - {text: same, why: w}\n      - {text: same, why: v}\n"
    errors = _errors(tmp_path, _choice(options))
    assert [(e.path, e.line) for e in errors] == [("steps[0].options[1].text", 12)]
    assert "the same text as options[0]" in errors[0].message


def test_an_empty_translation_says_the_text_is_empty(tmp_path: Path) -> None:
    (error,) = _errors(tmp_path, '  - type: text\n    body: {en: "hello", zh: ""}\n')
    assert (error.path, error.message) == ("steps[0].body.zh", "text is empty")


def test_unclosed_quote_names_the_line_where_it_opened(tmp_path: Path) -> None:
    body = '  - type: text\n    body: "unclosed\n  - type: recap\n    points: [a]\n'
    (error,) = _errors(tmp_path, body)
    assert "starts at line 7" in error.message, str(error)


def test_errors_of_one_file_come_in_line_order(tmp_path: Path) -> None:
    deck = tmp_path / "cards.yaml"
    deck.write_text(
        "kind: cards\nid: c\ntitle: C\ncards:\n"
        "  - id: c.a\n    front: f\n    bak: b\n"  # line 7: unknown field; line 5: no back
        "  - front: f\n    back: b\n",  # line 8: no id
        encoding="utf-8",
    )
    errors = DeckLoader([deck]).load().errors
    assert [(e.line, e.path) for e in errors] == [
        (5, "cards[0].back"),
        (7, "cards[0].bak"),
        (8, "cards[1].id"),
    ]


def test_an_item_id_clash_across_files_names_the_items_field(tmp_path: Path) -> None:
    card = "  - id: {}\n    front: f\n    back: b\n"
    (tmp_path / "a.yaml").write_text(
        "kind: cards\nid: one\ntitle: A\ncards:\n" + card.format("shared"), encoding="utf-8"
    )
    (tmp_path / "b.yaml").write_text(
        "kind: cards\nid: two\ntitle: B\ncards:\n" + card.format("two.own") + card.format("shared"),
        encoding="utf-8",
    )
    library = DeckLoader([tmp_path]).load()
    assert [(e.file.name, e.line, e.path) for e in library.errors] == [("b.yaml", 8, "cards[1].id")]
    assert [d.id for d in library.card_decks] == ["one"]


def test_a_predict_snippet_that_prints_nothing_says_so() -> None:
    unit = CheckUnit("walk.p", "predict", Path("walk.yaml"), 6, "x = 1", expect="1")
    result = SimpleNamespace(status="ok", stdout="", error=None, check=None, duration_s=0.0)
    outcome = judge(unit, result)
    assert outcome.verdict == "fail"
    assert outcome.reason == "a predict snippet must print what the learner guesses"


def test_a_text_missing_a_language_is_advice_naming_line_and_field(tmp_path: Path) -> None:
    from tutor.decks.advice import deck_advice

    deck = tmp_path / "walk.yaml"
    deck.write_text(
        HEAD
        + '  - type: text\n    body: {en: "hello"}\n'  # line 7
        + "  - type: quiz\n    kind: true_false\n    id: walk.tf\n"
        + '    question: {zh: "真的吗？"}\n    answer: true\n    why: w\n'  # line 11
        + "    verify: assert 2 > 1\n",
        encoding="utf-8",
    )
    library = DeckLoader([deck]).load()
    assert library.ok, library.errors
    assert [(a.line, a.path, a.message) for a in deck_advice(library)] == [
        (7, "steps[0].body", "advice: no zh text; a learner reading zh sees the en one"),
        (11, "steps[1].question", "advice: no en text; a learner reading en sees the zh one"),
    ]


def test_a_broken_link_in_a_deck_folder_is_reported_not_skipped_silently(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(HEAD + "  - type: text\n    body: hi\n", encoding="utf-8")
    (tmp_path / "moved.yaml").symlink_to(tmp_path / "gone" / "moved.yaml")
    library = DeckLoader([tmp_path]).load()
    assert [lesson.id for lesson in library.lessons] == ["walk"]
    assert [str(e) for e in library.errors] == [
        f"{tmp_path / 'moved.yaml'}:1:1: broken link to {tmp_path / 'gone' / 'moved.yaml'}"
    ]


def test_a_bare_assert_in_verify_shows_its_source_line() -> None:
    from sandbox.result import RunError

    unit = CheckUnit("walk.c", "verify", Path("walk.yaml"), 6, "x = 1\nassert x == 2\n")
    error = RunError("AssertionError", "", line=2)
    result = SimpleNamespace(status="error", stdout="", error=error, check=None, duration_s=0.0)
    outcome = judge(unit, result)
    assert outcome.reason == "AssertionError (line 2 of its code: assert x == 2)"


def test_a_reference_into_a_skipped_deck_is_not_a_second_error(tmp_path: Path) -> None:
    """One mistake in a lesson skips it; the card deck that names the lesson (and its card) is
    not wrong, and an 'unknown lesson' there would send the author looking in the wrong file."""
    lesson = HEAD + (
        "  - type: card\n    id: walk.card\n    front: f\n    back: b\n"
        "  - type: text\n    body: {en: hi, fr: salut}\n"  # the one mistake
    )
    (tmp_path / "lesson.yaml").write_text(lesson, encoding="utf-8")
    (tmp_path / "cards.yaml").write_text(
        "kind: cards\nid: walk-cards\ntitle: C\nlesson: walk\ncards:\n"
        "  - id: walk-cards.a\n    front: f\n    back: b\n    related: [walk.card, nope]\n",
        encoding="utf-8",
    )
    library = DeckLoader([tmp_path]).load()
    assert [(e.file.name, e.path) for e in library.errors] == [
        ("lesson.yaml", "steps[1].body"),
        ("cards.yaml", "cards[0].related[1]"),
    ]
    assert [d.id for d in library.card_decks] == ["walk-cards"]


def test_a_yaml_merge_key_is_named_as_unsupported(tmp_path: Path) -> None:
    body = (
        "  - &q\n    type: recap\n    points: [a]\n"
        "  - <<: *q\n    title: again\n"  # line 9
    )
    (error,) = _errors(tmp_path, body)
    assert (error.line, error.column, error.path) == (9, 5, "")
    assert "merge keys ('<<') are not supported" in error.message


def test_a_number_where_an_id_goes_says_ids_are_text(tmp_path: Path) -> None:
    options = "      - {text: a, why: w}\n      - {text: b, why: w}\n"
    (error,) = _errors(tmp_path, _choice(options, "2"))
    assert (error.line, error.path) == (13, "steps[0].answer")
    assert error.message == (
        "expected an id, got 2, which YAML reads as a number; an id is text: put it in quotes"
    )


def test_validating_a_folder_with_no_decks_fails_and_says_so(tmp_path: Path, capsys) -> None:
    from tutor.cli import main as cli_main

    folder = tmp_path / "my-decks"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a deck", encoding="utf-8")
    home = ["--lang", "en", "--data-dir", str(tmp_path / "data")]
    assert cli_main([*home, "validate", str(folder)]) == 1
    assert f"{folder}:1:1: no deck files (*.yaml, *.yml) in this folder" in capsys.readouterr().err
    assert cli_main([*home, "--decks", str(folder), "validate"]) == 1
    assert "no deck files" in capsys.readouterr().err


def test_text_reads_as_written_where_yaml_would_make_it_a_bool_or_number(tmp_path: Path) -> None:
    """`text: Yes`, `back: 0`, `expect: True`, `expect: 1.50`: the author means the words."""
    deck = tmp_path / "walk.yaml"
    deck.write_text(
        HEAD
        + _choice("      - {text: Yes, why: w}\n      - {text: No, why: {en: no, zh: 不}}\n")
        + "  - type: card\n    id: walk.c\n    front: f\n    back: 0\n"
        + "  - type: quiz\n    kind: predict\n    id: walk.p\n    question: Q\n"
        + "    code: print(True)\n    expect: True\n    accept: [1.50]\n    why: w\n",
        encoding="utf-8",
    )
    library = DeckLoader([deck]).load()
    assert library.errors == []
    choice, card, predict = (step for step in library.lessons[0].steps)
    assert [o.text for o in choice.quiz.options] == ["Yes", "No"]
    assert choice.quiz.options[1].why == {"en": "no", "zh": "不"}
    assert card.card.back == "0"
    assert (predict.quiz.expect, predict.quiz.accept) == ("True", ["1.50"])


def test_a_missing_type_or_kind_names_that_field_like_any_missing_field(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "  - body: hi\n")  # line 6
    assert [(e.line, e.path, e.message) for e in errors] == [
        (
            6,
            "steps[0].type",
            "missing required field (one of: text, code, quiz, exercise, card, recap)",
        )
    ]
    deck = tmp_path / "no-kind.yaml"
    deck.write_text("id: x\ntitle: T\ncards: []\n", encoding="utf-8")
    (error,) = DeckLoader([deck]).load().errors
    assert (error.path, error.message) == ("kind", "missing required field (one of: lesson, cards)")


def test_a_reference_into_a_deck_with_a_yaml_error_is_not_a_second_error(tmp_path: Path) -> None:
    (tmp_path / "lesson.yaml").write_text(
        HEAD + '  - type: text\n    body: "unclosed\n', encoding="utf-8"
    )
    (tmp_path / "cards.yaml").write_text(
        "kind: cards\nid: walk-cards\ntitle: C\nlesson: walk\ncards:\n"
        "  - id: walk-cards.a\n    front: f\n    back: b\n",
        encoding="utf-8",
    )
    library = DeckLoader([tmp_path]).load()
    assert [(e.file.name, e.path) for e in library.errors] == [("lesson.yaml", "steps[0].body")]


def test_two_order_items_with_the_same_text_are_an_error(tmp_path: Path) -> None:
    body = (
        "  - type: quiz\n    kind: order\n    id: walk.o\n    question: Q\n    items:\n"
        "      - text: forward\n      - text: backward\n      - text: forward\n"  # line 13
    )
    errors = _errors(tmp_path, body)
    assert [(e.path, e.line) for e in errors] == [("steps[0].items[2].text", 13)]
    assert "the same text as items[0]" in errors[0].message


def test_minutes_below_one_are_an_error(tmp_path: Path) -> None:
    errors = _errors(tmp_path, "  - type: text\n    body: hi\nminutes: -5\n")  # line 8
    assert [(e.line, e.path, e.message) for e in errors] == [
        (8, "minutes", "expected 1 or more minutes, got -5")
    ]


def test_raises_must_be_an_exception_class_name_as_the_sandbox_reports_it(
    tmp_path: Path,
) -> None:
    """The sandbox names an exception by its class alone, so anything else never matches."""
    step = "  - type: code\n    id: walk.{0}\n    code: x = 1\n    raises: {1}\n"
    body = (
        step.format("a", "torch.cuda.OutOfMemoryError")  # line 9
        + step.format("b", '"RuntimeError: shape mismatch"')  # line 13
        + step.format("c", "RuntimeError")
    )
    errors = _errors(tmp_path, body)
    assert [(e.line, e.path, e.message) for e in errors] == [
        (9, "steps[0].raises", "expected an exception class name alone, like 'OutOfMemoryError'"),
        (13, "steps[1].raises", "expected an exception class name alone, like 'RuntimeError'"),
    ]


def test_raises_that_is_no_class_name_is_refused(tmp_path: Path) -> None:
    """``raises: yes`` (an author meaning "it raises") or ``raises: value_error`` passed, and
    then failed every ``check`` run: exception classes are named in CapWords."""
    step = "  - type: code\n    id: walk.{0}\n    code: x = 1\n    raises: {1}\n"
    body = step.format("a", "yes") + step.format("b", "valueError")
    # lower-case exception classes exist (re.error, socket.gaierror): those stay allowed
    body += step.format("c", "error") + step.format("d", "gaierror")
    errors = _errors(tmp_path, body)
    assert [(e.line, e.path, e.message) for e in errors] == [
        (9, "steps[0].raises", "expected an exception class name, like 'RuntimeError', got 'yes'"),
        (
            13,
            "steps[1].raises",
            "expected an exception class name, like 'ValueError', got 'valueError'",
        ),
    ]


def test_a_skipped_deck_stands_in_only_for_what_it_declares(tmp_path: Path) -> None:
    """Reviewer's find: any id in a skipped file silenced a reference of any kind to it: an
    option's or a step's ``id: intro`` hid "unknown lesson 'intro'" in a good deck."""
    broken_yaml = (
        "kind: lesson\nid: other\ntitle: T\nsummary: S\nsteps:\n"
        "  - type: quiz\n    kind: single\n    id: other.q\n    question: Q\n"
        "    options:\n      - id: intro\n        text: a\n        why: w\n"
        '  - type: text\n    body: "unclosed\n'
    )
    refused = (
        HEAD.replace("id: walk", "id: third")
        + "  - type: text\n    id: intro\n    body: hi\nminutes: 0\n"
    )
    good = (
        HEAD.replace("id: walk", "id: good")
        + "  - type: text\n    body: hi\nprerequisites: [intro]\n"
    )
    for name, text in (
        ("broken.yaml", broken_yaml),
        ("refused.yaml", refused),
        ("good.yaml", good),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
    errors = DeckLoader([tmp_path]).load().errors
    said = [(e.file.name, e.path, e.message) for e in errors if e.file.name == "good.yaml"]
    # what could be read of the refused deck says what 'intro' is there
    expected = (
        "'intro' is the id of a step, not of a lesson; name a lesson deck's id here; did you"
        " mean 'third', the lesson it belongs to?"
    )
    assert said == [("good.yaml", "prerequisites[0]", expected)], errors


def test_an_id_yaml_reads_as_a_bool_or_number_says_so_as_written(tmp_path: Path) -> None:
    """``id: yes`` said "expected an id, got true" with no hint; ``id: 007`` said "got int 7"."""
    options = "      - {id: yes, text: a, why: w}\n      - {id: '007', text: b, why: w}\n"
    messages = [e.message for e in _errors(tmp_path, _choice(options, "'007'"))]
    assert messages == [
        "expected an id, got yes, which YAML reads as true; an id is text: put it in quotes"
    ], messages
    messages = [e.message for e in _errors(tmp_path, _choice(options.replace("'007'", "007")))]
    assert (
        "expected an id, got 007, which YAML reads as 7; an id is text: put it in quotes"
        in messages
    )


def test_an_unknown_reference_close_to_a_known_one_names_it(tmp_path: Path) -> None:
    """QA 37: ``unknown id 'walk.card-evl'`` offered nothing though ``walk.card-eval`` was in
    the same file (unknown fields get "did you mean" already)."""
    deck = HEAD + (
        "  - type: card\n    id: walk.card-eval\n    front: f\n    back: b\n"
        "  - type: quiz\n    kind: true_false\n    id: walk.q\n    question: Q\n"
        "    answer: true\n    why: w\n    related: [walk.card-evl]\n"
        "prerequisites: [basic, wlak]\n"
    )
    basics = HEAD.replace("id: walk", "id: basics") + "  - type: text\n    body: hi\n"
    (tmp_path / "walk.yaml").write_text(deck, encoding="utf-8")
    (tmp_path / "basics.yaml").write_text(basics, encoding="utf-8")
    messages = sorted(e.message for e in DeckLoader([tmp_path]).load().errors)
    assert messages == [
        "unknown id 'walk.card-evl'; did you mean 'walk.card-eval'?",
        "unknown lesson 'basic'; did you mean 'basics'?",
        "unknown lesson 'wlak'",  # never the lesson itself
    ]


@pytest.mark.parametrize(("written", "value"), [("yes", True), ("off", False), ("On", True)])
def test_a_yes_or_no_bool_loads_and_the_editors_schema_takes_it(
    tmp_path: Path, written: str, value: bool
) -> None:
    """PyYAML (YAML 1.1) reads `answer: yes` as true while editors read YAML 1.2, where it is
    text: the deck schema takes the words too, so both tools agree on the file (refusing them
    dropped a learner's own deck that had loaded for a release)."""
    import json

    import jsonschema

    body = (
        "  - type: quiz\n    kind: true_false\n    id: walk.t\n    question: Q\n"
        f"    answer: {written}\n    why: W\n"
    )
    deck = tmp_path / "walk.yaml"
    deck.write_text(HEAD + body, encoding="utf-8")
    library = DeckLoader([deck]).load()
    assert library.errors == []
    assert library.lessons[0].steps[0].quiz.answer is value
    schema = json.loads((SHIPPED / "schemas" / "deck.schema.json").read_text(encoding="utf-8"))
    as_editors_read = {"kind": "lesson", "id": "walk", "title": "T", "summary": "S"}
    as_editors_read["steps"] = [
        {"type": "quiz", "kind": "true_false", "id": "walk.t", "question": "Q"}
        | {"answer": written, "why": "W"}
    ]
    jsonschema.validate(as_editors_read, schema)


@pytest.mark.parametrize("written", ["true", "False", "TRUE"])
def test_true_and_false_in_any_case_yaml_12_knows_are_taken(tmp_path: Path, written: str) -> None:
    body = (
        "  - type: quiz\n    kind: true_false\n    id: walk.t\n    question: Q\n"
        f"    answer: {written}\n    why: W\n"
    )
    assert _errors(tmp_path, body) == []
