"""Each file in bad/ holds one kind of mistake; the loader must name it in one line, never raise."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.decks import DeckLoader, load_file, yaml_source

BAD = Path(__file__).parent / "bad"
SHIPPED = Path(__file__).resolve().parents[2]

# file -> (line, column or None, field path, words the message must contain)
EXPECTED = {
    "yaml_syntax.yaml": (
        5,
        None,
        "summary[1]",
        "YAML syntax error: the [ list that starts at line 4 is not closed with ]",
    ),
    "tabs.yaml": (6, 1, "", "tab character"),
    "empty.yaml": (1, 1, "", "empty"),
    "top_level_list.yaml": (1, 1, "", "must be a mapping"),
    "duplicate_key.yaml": (5, 1, "", "duplicate key 'title' (first defined at line 3)"),
    "missing_field.yaml": (1, 1, "summary", "missing required field"),
    "unknown_field.yaml": (9, 5, "steps[0].tarce", "did you mean 'trace'?"),
    "wrong_type.yaml": (9, 12, "steps[0].trace", "expected true or false, got text"),
    "answer_not_in_options.yaml": (
        13,
        13,
        "steps[0].answer",
        "answer 'c' is not among the options (a, b)",
    ),
    # the item's own column, not that of the flow list's '['
    "unknown_reference.yaml": (5, 17, "prerequisites[0]", "unknown lesson 'no-such-lesson'"),
    "undecodable.yaml": (4, 13, "", "byte 0xe9 is not valid UTF-8"),
    "alias_bomb.yaml": (None, None, "", "alias bomb"),
    "too_deep.yaml": (5, None, "", "nested deeper than"),
    "python_tag.yaml": (3, 8, "", "unsupported tag"),
    "code_syntax.yaml": (10, None, "steps[0].code", "Python syntax error in code line 2"),
    "unknown_language.yaml": (3, 20, "title", "unknown language 'fr'"),
    "bad_id.yaml": (2, 5, "id", "must be lower-case"),
    "unknown_step_type.yaml": (6, 11, "steps[0].type", "unknown type 'vidoe'"),
    "duplicate_id_in_deck.yaml": (10, 9, "steps[1].id", "already used"),
    "two_documents.yaml": (6, 1, "", "more than one YAML document"),
    # YAML reads 2.10 as the number 2.1: only quoted text can say which release
    "torch_min_unquoted.yaml": (
        9,
        16,
        "cards[0].torch_min",
        'expected a torch release in quotes, like "2.5", got float 2.1',
    ),
    "torch_min_not_a_release.yaml": (
        9,
        16,
        "cards[0].torch_min",
        "'>=2.5' is not a torch release; write one as numbers with dots",
    ),
}


def test_corpus_has_one_file_per_error_class() -> None:
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_deck_reports_file_line_field_and_message(name: str) -> None:
    line, column, path, words = EXPECTED[name]
    library = DeckLoader([BAD / name]).load()
    assert library.errors, f"{name} loaded without errors"
    error = library.errors[0]
    text = str(error)
    assert "\n" not in text and "Traceback" not in text
    assert text.startswith(f"{BAD / name}:")
    assert error.file == BAD / name
    if line is not None:
        assert error.line == line, text
    if column is not None:
        assert error.column == column, text
    assert error.path == path, text
    assert words in error.message, text


def test_reference_errors_keep_the_deck_but_own_errors_skip_it() -> None:
    ref = DeckLoader([BAD / "unknown_reference.yaml"]).load()
    assert [lesson.id for lesson in ref.lessons] == ["bad-ref"]
    own = DeckLoader([BAD / "wrong_type.yaml"]).load()
    assert own.lessons == [] and [s.file.name for s in own.skipped] == ["wrong_type.yaml"]


def test_one_bad_deck_never_stops_the_good_ones() -> None:
    library = DeckLoader(
        [SHIPPED / "lessons" / "00-welcome.yaml", SHIPPED / "cards" / "welcome.yaml", BAD]
    ).load()
    assert library.lesson("welcome") is not None
    assert library.card_deck("welcome-cards") is not None
    skipped = {s.file.name for s in library.skipped}
    assert skipped >= {"wrong_type.yaml", "tabs.yaml", "alias_bomb.yaml", "undecodable.yaml"}
    assert "unknown_reference.yaml" not in skipped


def test_ids_duplicated_across_files_skip_the_later_deck() -> None:
    cross = Path(__file__).parent / "cross"
    library = DeckLoader([cross]).load()
    assert [d.id for d in library.card_decks] == ["cross-a"]
    (error,) = library.errors
    assert error.file.name == "b.yaml" and "already used in" in error.message
    assert str(cross / "a.yaml") in error.message


def test_a_deck_skipped_for_an_id_clash_is_no_unknown_lesson_to_those_naming_it(
    tmp_path: Path,
) -> None:
    """b.yaml reuses a step id of a.yaml and is skipped: a.yaml's prerequisite ``b`` was then
    reported as an "unknown lesson", though the deck exists and its own error says what to fix
    (a deck skipped for any other error was never reported so)."""
    text = "format: 1\nkind: lesson\nid: {id}\ntitle: T\nsummary: S.\n{prereq}steps:\n"
    step = "  - type: text\n    id: shared.id\n    body: hi\n"
    (tmp_path / "a.yaml").write_text(text.format(id="a", prereq="prerequisites: [b]\n") + step)
    (tmp_path / "b.yaml").write_text(text.format(id="b", prereq="") + step)
    library = DeckLoader([tmp_path]).load()
    (error,) = library.errors
    assert error.file.name == "b.yaml" and error.path == "steps[0].id"
    assert [s.file.name for s in library.skipped] == ["b.yaml"]


def test_absurdly_large_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"kind: cards\n" + b"# filler\n" * (yaml_source.MAX_FILE_BYTES // 9 + 1))
    deck, errors = load_file(big)
    assert deck is None
    assert "limited to" in errors[0].message and errors[0].line == 1


def test_missing_path_is_an_error_not_a_crash(tmp_path: Path) -> None:
    library = DeckLoader([tmp_path / "nope"]).load()
    assert "no such deck file or folder" in library.errors[0].message


def test_python_tags_never_construct_objects(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    deck = tmp_path / "evil.yaml"
    deck.write_text(
        f'kind: cards\nid: e\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n'
        "cards: [{id: e.c, front: f, back: b}]\n"
    )
    _, errors = load_file(deck)
    assert errors and not marker.exists()


def test_a_key_with_a_newline_still_makes_a_one_line_error(tmp_path: Path) -> None:
    deck = tmp_path / "odd-key.yaml"
    deck.write_text(
        'kind: lesson\nid: odd\ntitle: t\nsummary: s\n"two\\nlines": 1\n'
        "steps:\n  - type: text\n    body: hi\n",
        encoding="utf-8",
    )
    _, errors = load_file(deck)
    (error,) = errors
    assert "\n" not in str(error)
    assert str(error).startswith(f"{deck}:5:1: two\\nlines: unknown field")
