"""Slips an author makes that once passed ``validate`` or were said badly: a control character
written as a YAML escape (it reached the learner's terminal: a changed title, a cleared screen),
hidden files in a deck folder loaded as decks, the loader's own objects in an error, and empty
code told it was "text"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tutor.decks import DeckError, DeckLoader

GOOD_STEPS = "  - type: text\n    body: hi\n"


def lesson(lesson_id: str, head: str = "", steps: str = GOOD_STEPS) -> str:
    """A lesson deck's text: ``head`` holds extra top-level lines, ``steps`` the step list."""
    return f"kind: lesson\nid: {lesson_id}\ntitle: t\nsummary: s\n{head}steps:\n{steps}"


def errors_of(path: Path) -> list[DeckError]:
    return DeckLoader([path]).load().errors


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# the deck text (as written in the file), the field named, its line and column, the character
CONTROL_ESCAPES = {
    "title colour": (
        'kind: lesson\nid: esc\ntitle: "Title \\e[31mRED\\e[0m"\nsummary: s\nsteps:\n' + GOOD_STEPS,
        "title",
        (3, 8),
        "U+001B",
    ),
    "body sets the terminal title": (
        lesson("esc", steps='  - type: text\n    body: "esc \\e]0;pwned\\a clear \\e[2J"\n'),
        "steps[0].body",
        (7, 11),
        "U+001B",
    ),
    "bell in a bilingual text": (
        lesson("esc").replace("title: t", 'title: {en: t, zh: "\\x07"}'),
        "title.zh",
        (3, 20),
        "U+0007",
    ),
    "C1 control in a list": (
        lesson("esc", head='tags: [ok, "\\x9b2J"]\n'),
        "tags[1]",
        (5, 12),
        "U+009B",
    ),
    "carriage return in code": (
        lesson("esc", steps='  - type: code\n    id: esc.c\n    code: "x = 1\\ry = 2"\n'),
        "steps[0].code",
        (8, 11),
        "U+000D",
    ),
    "escape in a key": (
        lesson("esc", steps='  - type: text\n    "bo\\edy": hi\n'),
        "steps[0]",
        (7, 5),
        "U+001B",
    ),
}


@pytest.mark.parametrize("name", sorted(CONTROL_ESCAPES))
def test_control_characters_made_by_escapes_are_refused(tmp_path: Path, name: str) -> None:
    text, path, (line, column), character = CONTROL_ESCAPES[name]
    file = write(tmp_path / "esc.yaml", text)
    library = DeckLoader([file]).load()
    assert library.lessons == [], f"{name}: loaded with a control character"
    error = library.errors[0]
    assert (error.file, error.line, error.column, error.path) == (file, line, column, path), error
    assert f"control character {character} is not allowed" in error.message
    said = str(error)
    # the one-line error itself must not carry the character to the terminal
    assert "\n" not in said and not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in said)


def test_newline_and_tab_escapes_are_still_text(tmp_path: Path) -> None:
    steps = '  - type: code\n    id: ok.c\n    code: "for i in range(2):\\n\\tprint(i)"\n'
    file = write(tmp_path / "ok.yaml", lesson("ok", steps=steps))
    library = DeckLoader([file]).load()
    assert library.errors == []
    assert library.lessons[0].snippets[0].code == "for i in range(2):\n\tprint(i)"


def test_hidden_files_and_folders_in_a_deck_folder_are_not_decks(tmp_path: Path) -> None:
    """A decks folder kept in git: CI config, pre-commit config, an Emacs lock link."""
    decks = tmp_path / "decks"
    write(decks / "01-good.yaml", lesson("good"))
    write(decks / ".github" / "workflows" / "ci.yml", "name: ci\non: [push]\njobs: {}\n")
    write(decks / ".pre-commit-config.yaml", "repos: []\n")
    write(decks / "sub" / ".hidden" / "old.yaml", "not: a deck\n")
    os.symlink("root@host.123:1700000000", decks / ".#01-good.yaml")
    library = DeckLoader([decks], named=True).load()
    assert library.errors == [] and library.skipped == []
    assert [lesson.id for lesson in library.lessons] == ["good"]


def test_a_deck_folder_inside_a_hidden_folder_is_still_searched(tmp_path: Path) -> None:
    """Only what lies below the folder searched counts: ``~/.config/…/decks`` is fine."""
    decks = tmp_path / ".config" / "decks"
    write(decks / "good.yaml", lesson("good"))
    library = DeckLoader([decks], named=True).load()
    assert library.errors == [] and [lesson.id for lesson in library.lessons] == ["good"]


def test_a_hidden_deck_file_named_explicitly_still_loads(tmp_path: Path) -> None:
    file = write(tmp_path / ".draft.yaml", lesson("draft"))
    library = DeckLoader([file], named=True).load()
    assert library.errors == [] and [lesson.id for lesson in library.lessons] == ["draft"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("{type: [text], body: b}", "unknown type [text];"),
        ("{type: {quiz: 1}, body: b}", "unknown type {quiz: 1};"),
        ("{type: quiz, kind: [single], id: yn.q, question: Q}", "unknown kind [single];"),
    ],
)
def test_an_unknown_tag_is_shown_as_written(tmp_path: Path, written: str, shown: str) -> None:
    file = write(tmp_path / "yn.yaml", lesson("yn", steps=f"  - {written}\n"))
    (error,) = errors_of(file)
    assert shown in error.message and "YNode" not in error.message, error


@pytest.mark.parametrize("code", ['""', "''", '"  "'])
def test_empty_code_is_said_to_be_empty(tmp_path: Path, code: str) -> None:
    steps = f"  - type: code\n    id: empty.c\n    code: {code}\n"
    file = write(tmp_path / "empty.yaml", lesson("empty", steps=steps))
    (error,) = errors_of(file)
    assert (error.path, error.line, error.column) == ("steps[0].code", 8, 11)
    assert error.message == "text is empty", error


def test_an_unknown_field_no_longer_hides_the_files_other_problems(tmp_path) -> None:
    """One unknown field kept the rules from looking at the file: its other problems showed one
    fix at a time, where validate names every problem."""
    steps = (
        "  - {type: text, body: b, tarce: 1}\n"
        '  - {type: code, id: mu.c, code: "1"}\n'
        '  - {type: code, id: mu.c, code: "2"}\n'
    )
    path = write(tmp_path / "m.yaml", lesson("mu", "minutes: 0\n", steps))
    found = errors_of(path)
    assert [(e.path, e.line) for e in found] == [
        ("minutes", 5),
        ("steps[0].tarce", 7),
        ("steps[2].id", 9),
    ], [e.line_in("en") for e in found]
    assert DeckLoader([path]).load().lessons == []  # a deck with problems is never loaded
