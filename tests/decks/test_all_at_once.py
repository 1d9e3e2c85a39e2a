"""``nn-tutor validate`` says every problem of a deck in one pass: an unreadable step (a slipped
``type``, a broken field) no longer hides the other steps', the deck's own and the rules' errors,
and what is said of the rest is never false for the step left out."""

from __future__ import annotations

from pathlib import Path

from tutor.decks import DeckLoader, load_file

ROOT = Path(__file__).resolve().parents[2]
LESSON_01 = ROOT / "lessons" / "01-what-is-torch-nn.yaml"
COURSE = (ROOT / "lessons", ROOT / "cards")  # what the lesson's references name


def _said(file: Path, context: tuple[Path, ...] = ()) -> list[tuple[int, str, str]]:
    """(line, field path, message) of every error the loader says for ``file``, in its order
    (``context``: decks read only for the ids they declare, as ``validate FILE`` does)."""
    library = DeckLoader([file], context=context).load()
    return [(e.line, e.path, e.message) for e in library.errors]


def _write(tmp_path: Path, text: str, name: str = "deck.yaml") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def test_the_shipped_lesson_with_three_slips_says_all_three(tmp_path: Path) -> None:
    """The brief's example: a slipped type, an unknown field on that step and too few minutes
    used to be said in three rounds."""
    text = LESSON_01.read_text(encoding="utf-8")
    first_step = "  - type: text\n    id: l01.txt-toolbox\n"
    assert first_step in text and "\nminutes: 30\n" in text
    text = text.replace(first_step, "  - type: txet\n    bogus: 1\n    id: l01.txt-toolbox\n", 1)
    text = text.replace("\nminutes: 30\n", "\nminutes: -3\n", 1)
    said = _said(_write(tmp_path, text, LESSON_01.name), context=COURSE)
    assert [(path, words.split(";")[0]) for _, path, words in said] == [
        ("minutes", "expected 1 or more minutes, got -3"),
        ("steps[0].type", "unknown type 'txet'"),
        ("steps[0].bogus", "unknown field (allowed: body, id, title)"),
    ]
    assert "did you mean 'text'?" in said[1][2]
    assert [line for line, _, _ in said] == sorted(line for line, _, _ in said)


BROKEN_STEP_AND_MORE = """\
kind: lesson
id: all-once
title: All at once
summary: s
minutes: 0
steps:
  - type: code
    id: all-once.snip
    code: "print(("
  - type: quiz
    kind: single
    id: all-once.q
    question: Which?
    options:
      - {text: A, why: because}
      - {text: B, why: because not}
    answer: c
  - type: text
    id: all-once.snip
    body: again
    tarce: 1
"""


def test_a_broken_step_of_a_known_kind_hides_no_other_problem(tmp_path: Path) -> None:
    """The code step cannot be read; the quiz's answer, the repeated id, the unknown field and
    the minutes are said with it, each at the step's index in the file."""
    said = _said(_write(tmp_path, BROKEN_STEP_AND_MORE))
    assert [(line, path) for line, path, _ in said] == [
        (5, "minutes"),
        (9, "steps[0].code"),
        (17, "steps[1].answer"),
        (21, "steps[2].tarce"),
    ]
    assert "Python syntax error" in said[1][2]
    assert "answer 'c' is not among the options (a, b)" in said[2][2]
    # the repeated id is the unread step's: no rule can know it, and none claims it wrongly
    assert not any("already used" in words for _, _, words in said)


def test_rules_name_steps_by_their_index_in_the_file(tmp_path: Path) -> None:
    text = BROKEN_STEP_AND_MORE.replace(
        "    id: all-once.snip\n    body", "    id: all-once.q\n    body"
    )
    said = _said(_write(tmp_path, text))
    assert (19, "steps[2].id") in [(line, path) for line, path, _ in said]
    used = next(words for _, path, words in said if path == "steps[2].id")
    assert "already used by steps[1].id" in used


def test_nothing_false_is_said_for_what_was_left_out(tmp_path: Path) -> None:
    """A step, an option left out: no 'no steps', no 'answer not among the options' (option
    ``b`` is the one left out), no 'unknown id' for the left-out step's id; a wrong id in a
    step that was read is still said in the same run."""
    file = _write(
        tmp_path,
        """\
kind: lesson
id: left-out
title: Left out
summary: s
steps:
  - type: text
    id: left-out.gone
    body: {en: hi, fr: salut}
  - type: quiz
    kind: single
    id: left-out.q
    related: [left-out.gone, left-out.nowhere]
    question: Which?
    options:
      - {text: A, why: because}
      - {text: [B], why: because not}
    answer: b
""",
    )
    said = _said(file)
    assert [(line, path) for line, path, _ in said] == [
        (8, "steps[0].body"),
        (12, "steps[1].related[1]"),
        (16, "steps[1].options[1].text"),
    ]
    assert "unknown id 'left-out.nowhere'" in said[1][2]
    assert load_file(file)[0] is None  # a deck with errors never loads


def test_a_lone_unread_step_is_not_said_to_be_missing(tmp_path: Path) -> None:
    file = _write(
        tmp_path,
        "kind: lesson\nid: lone\ntitle: t\nsummary: s\nsteps:\n"
        "  - type: code\n    id: lone.snip\n    code: '1 +'\n",
    )
    assert [path for _, path, _ in _said(file)] == ["steps[0].code"]


def test_a_type_like_no_kind_is_not_checked_as_one(tmp_path: Path) -> None:
    """``vidoe`` is close to no step kind: its fields are not judged by a guess."""
    file = _write(
        tmp_path,
        "kind: lesson\nid: vid\ntitle: t\nsummary: s\nminutes: -1\nsteps:\n"
        "  - type: vidoe\n    url: x\n  - type: text\n    body: ok\n    bogus: 1\n",
    )
    assert [path for _, path, _ in _said(file)] == ["minutes", "steps[0].type", "steps[1].bogus"]


def test_a_card_deck_left_short_says_its_other_problems(tmp_path: Path) -> None:
    file = _write(
        tmp_path,
        """\
kind: cards
id: short
title: Short
cards:
  - id: short.a
    front: f
  - id: short.b
    front: f
    back: b
  - id: short.b
    front: f
    back: b
""",
    )
    said = _said(file)
    assert [(line, path) for line, path, _ in said] == [(5, "cards[0].back"), (10, "cards[2].id")]
    assert "already used by cards[1].id" in said[1][2]


def test_a_deck_field_that_cannot_be_read_hides_no_step_problem(tmp_path: Path) -> None:
    """An empty summary and ``minutes`` as text leave the deck's own fields unread; its steps
    are still checked, and ``minutes`` (unread) is not also said to be too few."""
    text = BROKEN_STEP_AND_MORE.replace("summary: s", 'summary: ""').replace(
        "minutes: 0", "minutes: half an hour"
    )
    said = _said(_write(tmp_path, text))
    assert [(line, path) for line, path, _ in said] == [
        (4, "summary"),
        (5, "minutes"),
        (9, "steps[0].code"),
        (17, "steps[1].answer"),
        (21, "steps[2].tarce"),
    ]
    assert "got text" in said[1][2]


def test_a_deck_kind_slip_is_checked_as_its_kind_and_no_more(tmp_path: Path) -> None:
    """``kind: leson``: its fields are checked as a lesson's, but it is no lesson, so the rules
    say nothing of it (its steps' ids are not claimed, its minutes not judged)."""
    text = BROKEN_STEP_AND_MORE.replace("kind: lesson", "kind: leson").replace(
        "tarce: 1", "tarce: 1\n  - type: text\n    body: b\n    bogus: 2"
    )
    said = _said(_write(tmp_path, text))
    assert [path for _, path, _ in said] == [
        "kind",
        "steps[0].code",
        "steps[2].tarce",
        "steps[3].bogus",
    ]
    assert "did you mean 'lesson'?" in said[0][2]
