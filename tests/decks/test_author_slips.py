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


# -- a new deck author's QA pass: slips validate let through or said without the fix ------------


def choice(*texts: str) -> str:
    """A single-choice quiz step whose options have ``texts`` (YAML flow values as written)."""
    options = "".join(f"      - text: {text}\n        why: w\n" for text in texts)
    return (
        "  - type: quiz\n    kind: single\n    id: st.q\n    question: Q\n"
        f"    options:\n{options}    answer: a\n"
    )


def order(*texts: str) -> str:
    """An order quiz step whose items have ``texts``."""
    items = "".join(f"      - text: {text}\n" for text in texts)
    return f"  - type: quiz\n    kind: order\n    id: st.o\n    question: Q\n    items:\n{items}"


# two texts a learner reading one language cannot tell apart: the field named, the words said
SAME_TEXTS = {
    "same English, other Chinese": (
        choice("{en: one, zh: 一}", "{en: one, zh: 壹}"),
        "steps[0].options[1].text",
        "the same English text as options[0]",
    ),
    "same Chinese, other English": (
        choice("{en: one, zh: 一}", "{en: uno, zh: 一}"),
        "steps[0].options[1].text",
        "the same Chinese text as options[0]",
    ),
    "order items with the same Chinese": (
        order("{en: a, zh: 甲}", "{en: b, zh: 乙}", "{en: c, zh: 乙}"),
        "steps[0].items[2].text",
        "the same Chinese text as items[1]",
    ),
    "a plain string is every language's text": (
        choice("one", "{en: one, zh: 一}"),
        "steps[0].options[1].text",
        "the same English text as options[0]",
    ),
    "the same in both languages": (
        choice("{en: one, zh: 一}", "{zh: 一, en: one}"),
        "steps[0].options[1].text",
        "the same text as options[0]",
    ),
}


@pytest.mark.parametrize("name", sorted(SAME_TEXTS))
def test_options_with_the_same_text_in_one_language_are_refused(tmp_path: Path, name: str) -> None:
    steps, path, words = SAME_TEXTS[name]
    file = write(tmp_path / "st.yaml", lesson("st", steps=steps))
    found = errors_of(file)
    assert [(e.path, words in e.message) for e in found] == [(path, True)], [str(e) for e in found]


def test_options_that_differ_in_every_language_pass(tmp_path: Path) -> None:
    """A text lacking a language shows its other one: these differ in both."""
    steps = choice("{en: one, zh: 一}", "{en: two, zh: 二}", "{en: three}", "{zh: 四}")
    assert errors_of(write(tmp_path / "st.yaml", lesson("st", steps=steps))) == []


def test_the_same_text_in_one_language_is_said_in_chinese_too(tmp_path: Path) -> None:
    steps = choice("{en: one, zh: 一}", "{en: uno, zh: 一}")
    (error,) = errors_of(write(tmp_path / "st.yaml", lesson("st", steps=steps)))
    assert error.message_in("zh") == "中文文本与 options[0] 相同；读中文的学习者分不清它们"


CODE_STEPS = (
    "  - type: code\n    id: sp.c\n    caption: see\n    raises: ValueError\n"
    "    code: |\n      x = 1\n      y = 2\n"
)
# a no-break or full-width space typed where YAML wants a space: (mended line, 1-based) ->
# its line as written, and the line and column the error must name (the character's own)
ODD_SPACES = {
    "no-break space indenting a key": ((9, "\u00a0   raises: ValueError"), (9, 1), "U+00A0"),
    "full-width space indenting a key": ((9, "\u3000  raises: ValueError"), (9, 1), "U+3000"),
    "no-break space inside the indentation": ((9, "  \u00a0 raises: ValueError"), (9, 3), "U+00A0"),
    "no-break space after a colon": ((9, "    raises:\u00a0ValueError"), (9, 12), "U+00A0"),
    "full-width space after a colon": ((9, "    raises:\u3000ValueError"), (9, 12), "U+3000"),
    "no-break space indenting code": ((12, "\u00a0     y = 2"), (12, 1), "U+00A0"),
    "no-break space after an item's dash": ((6, "  -\u00a0type: code"), (6, 4), "U+00A0"),
}


@pytest.mark.parametrize("name", sorted(ODD_SPACES))
def test_a_space_yaml_reads_as_a_letter_is_named_where_it_is(tmp_path: Path, name: str) -> None:
    (number, written), (line, column), code = ODD_SPACES[name]
    lines = lesson("sp", steps=CODE_STEPS).splitlines()
    lines[number - 1] = written
    file = write(tmp_path / "sp.yaml", "\n".join(lines) + "\n")
    (error,) = errors_of(file)
    assert (error.line, error.column) == (line, column), str(error)
    assert code in error.message and "delete it and type plain" in error.message, str(error)
    assert code in error.message_in("zh") and "请删掉它，改用半角空格" in error.message_in("zh")


@pytest.mark.parametrize(("space", "code"), [("\u00a0", "U+00A0"), ("\u3000", "U+3000")])
def test_a_space_before_a_colon_is_named_in_the_key(tmp_path: Path, space: str, code: str) -> None:
    """YAML reads ``raises\\u00a0: x`` as a key of its own: the error names the character."""
    steps = CODE_STEPS.replace("    raises: ", f"    raises{space}: ")
    (error,) = errors_of(write(tmp_path / "sp.yaml", lesson("sp", steps=steps)))
    assert (error.line, error.column) == (9, 11), str(error)
    assert code in error.message and error.message.endswith("did you mean 'raises'?"), str(error)


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ("'raises\u00a0'", 12),  # a quoted key's text begins a column after its quote
        ('"raises\u3000"', 12),
        ('"raises\\u00a0"', 5),  # spelt as an escape: the key's own start (its quote)
    ],
)
def test_a_space_in_a_quoted_key_is_named_at_its_column(
    tmp_path: Path, written: str, column: int
) -> None:
    steps = CODE_STEPS.replace("    raises: ", f"    {written}: ")
    (error,) = errors_of(write(tmp_path / "sp.yaml", lesson("sp", steps=steps)))
    assert (error.line, error.column) == (9, column), str(error)
    assert error.message.endswith("did you mean 'raises'?"), str(error)


def test_such_spaces_inside_texts_and_code_are_text(tmp_path: Path) -> None:
    """A Chinese paragraph indented with a full-width space, a no-break space in a title: text."""
    steps = (
        "  - type: text\n    title: a\u00a0b\n    body: |\n      \u3000\u3000第一段。\n"
        + CODE_STEPS.replace("x = 1", "x = '\u00a0'")
    )
    assert errors_of(write(tmp_path / "sp.yaml", lesson("sp", steps=steps))) == []


@pytest.mark.parametrize(
    ("expect", "said"),
    [
        (
            "[1.0, 1.0, 1.0]",
            "expected text, got [1.0, 1.0, 1.0], which YAML reads as a list; to mean the text"
            ' as written, put it in quotes: "[1.0, 1.0, 1.0]"',
        ),
        (
            "{a: 1}",
            "expected text, got {a: 1}, which YAML reads as a mapping; to mean the text as"
            ' written, put it in quotes: "{a: 1}"',
        ),
        (  # the author's own quotes kept: what print(['a', 'b']) prints
            "['a', 'b']  # the list printed",
            "expected text, got ['a', 'b'], which YAML reads as a list; to mean the text as"
            " written, put it in quotes: \"['a', 'b']\"",
        ),
        (
            '{"k": "v w"}',
            'expected text, got {"k": "v w"}, which YAML reads as a mapping; to mean the text'
            ' as written, put it in quotes: "{\\"k\\": \\"v w\\"}"',
        ),
        (
            "[[1, 2], [3, 4]]",
            "expected text, got a list: YAML reads [ … ] as a list and { … } as a mapping; to"
            " mean the text as written, put it in quotes",
        ),
    ],
)
def test_a_predicted_list_written_bare_is_told_to_be_quoted(
    tmp_path: Path, expect: str, said: str
) -> None:
    steps = (
        "  - type: quiz\n    kind: predict\n    id: ex.p\n    question: Q\n"
        f"    code: print([1.0])\n    why: w\n    expect: {expect}\n"
    )
    (error,) = errors_of(write(tmp_path / "ex.yaml", lesson("ex", steps=steps)))
    assert (error.path, error.message) == ("steps[0].expect", said)


def test_a_prerequisite_cycle_names_its_chain(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", lesson("cy-a", "prerequisites: [cy-b]\n"))
    write(tmp_path / "b.yaml", lesson("cy-b", "prerequisites: [cy-c]\n"))
    write(tmp_path / "c.yaml", lesson("cy-c", "prerequisites: [cy-a]\n"))
    error = DeckLoader([tmp_path]).load().errors[0]  # said once: see test_related_kinds_and_cycles
    assert error.message.startswith(
        "prerequisite 'cy-b' is part of a cycle: cy-a → cy-b → cy-c → cy-a"
    ), str(error)


def test_a_prerequisite_naming_a_card_says_it_is_no_lesson(tmp_path: Path) -> None:
    steps = "  - type: card\n    id: pc-a.card\n    front: f\n    back: b\n"
    write(tmp_path / "a.yaml", lesson("pc-a", steps=steps))
    write(tmp_path / "b.yaml", lesson("pc-b", "prerequisites: [pc-a.card]\n"))
    (error,) = DeckLoader([tmp_path]).load().errors
    assert error.message == (
        "'pc-a.card' is the id of a card, not of a lesson; name a lesson deck's id here;"
        " did you mean 'pc-a', the lesson it belongs to?"
    ), str(error)


@pytest.mark.parametrize(
    ("card_id", "related"),
    [
        # a step's id in a lesson not loaded: like the card's own id only by the deck's prefix
        ("qa5-dropout.card-scale", "qa5-dropout.demo"),
        # a slip of the card's own id: a card is never related to itself
        ("qa5-dropout.card-scale", "qa5-dropout.card-scal"),
    ],
)
def test_did_you_mean_never_suggests_the_card_itself(
    tmp_path: Path, card_id: str, related: str
) -> None:
    cards = (
        "kind: cards\nid: dm-cards\ntitle: t\nsummary: s\ncards:\n"
        f"  - id: {card_id}\n    front: f\n    back: b\n    related: [{related}]\n"
    )
    (error,) = errors_of(write(tmp_path / "c.yaml", cards))
    assert error.message == f"unknown id {related!r}", str(error)


def test_did_you_mean_suggests_only_ids_a_related_may_name(tmp_path: Path) -> None:
    """An exercise practises cards: a code step's id is no suggestion, a card's is."""
    steps = (
        "  - type: code\n    id: rk.card-norm\n    code: x = 1\n"
        "  - type: card\n    id: rk.card-norms\n    front: f\n    back: b\n"
        "  - type: exercise\n    id: rk.ex\n    title: t\n    prompt: p\n"
        "    starter: x = 0\n    check: assert x == 1\n    solution: x = 1\n"
        "    related: [rk.card-nrm]\n"
    )
    (error,) = errors_of(write(tmp_path / "rk.yaml", lesson("rk", steps=steps)))
    assert error.message == "unknown id 'rk.card-nrm'; did you mean 'rk.card-norms'?", str(error)


@pytest.mark.parametrize(
    ("head", "steps", "said"),
    [
        ("", "  type: text\n", "steps: expected a list of mappings with type: "),
        ("tags: 3\n", GOOD_STEPS, "tags: expected a list of texts, got int 3"),
        ("prerequisites: {a: 1}\n", GOOD_STEPS, "prerequisites: expected a list of ids, got"),
    ],
)
def test_a_list_is_said_in_the_plural(tmp_path: Path, head: str, steps: str, said: str) -> None:
    (error,) = errors_of(write(tmp_path / "pl.yaml", lesson("pl", head, steps)))
    assert f"{error.path}: {error.message}".startswith(said), str(error)


def test_a_quoted_torch_min_that_is_no_release_says_what_one_looks_like(tmp_path: Path) -> None:
    steps = '  - type: code\n    id: tm.c\n    code: x = 1\n    torch_min: "two point five"\n'
    (error,) = errors_of(write(tmp_path / "tm.yaml", lesson("tm", steps=steps)))
    assert error.message == (
        "'two point five' is not a torch release; write one as numbers with dots, in quotes:"
        ' "2.5" or "2.5.1"'
    )


def test_a_prerequisite_leading_into_a_cycle_names_that_cycle(tmp_path: Path) -> None:
    """``cy-a`` is on no cycle itself: it waits on one further on, which is the chain named."""
    write(tmp_path / "a.yaml", lesson("cy-a", "prerequisites: [cy-b]\n"))
    write(tmp_path / "b.yaml", lesson("cy-b", "prerequisites: [cy-c]\n"))
    write(tmp_path / "c.yaml", lesson("cy-c", "prerequisites: [cy-b]\n"))
    error = DeckLoader([tmp_path]).load().errors[0]
    assert (error.file.name, error.message) == (
        "a.yaml",
        "prerequisite 'cy-b' waits on a cycle: cy-b → cy-c → cy-b; remove one of those"
        " prerequisites",
    ), str(error)
