"""Each deck error points at the place an author fixes: a list item's own line and column (not
its list's first item), the prerequisite that closes a cycle (not the deck's first line), a tab in
real indentation (never one inside a ``|`` block, which YAML allows); and the id rule is said as
it is, start character included."""

from __future__ import annotations

from pathlib import Path

from tutor.decks import DeckError, DeckLoader
from tutor.decks.advice import deck_advice


def lesson(lesson_id: str, head: str = "", steps: str = "  - type: text\n    body: hi\n") -> str:
    """A lesson deck's text: ``head`` holds extra top-level lines, ``steps`` the step list."""
    return f"kind: lesson\nid: {lesson_id}\ntitle: t\nsummary: s\n{head}steps:\n{steps}"


def place(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the ``occurrence``-th ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    before = text[:start]
    return before.count("\n") + 1, start - (before.rfind("\n") + 1) + 1


def errors_of(file: Path) -> list[DeckError]:
    return DeckLoader([file]).load().errors


def test_each_block_list_item_is_named_at_its_own_line(tmp_path: Path) -> None:
    text = lesson(
        "pb",
        "prerequisites:\n  - pb\n  - nope-one\n  - nope-two\n",
        "  - type: code\n    id: pb.demo\n    code: x = 1\n"
        "  - type: card\n    id: pb.card\n    front: f\n    back: b\n"
        "    related:\n      - pb.demo\n      - nowhere-card\n",
    )
    # pb requiring itself is its own rule; the unknown ones are what this test looks at
    text = text.replace("  - pb\n", "  - pb.demo-lesson\n")
    file = tmp_path / "pb.yaml"
    file.write_text(text, encoding="utf-8")
    found = {e.path: (e.line, e.column) for e in errors_of(file)}
    assert found == {
        "prerequisites[0]": place(text, "pb.demo-lesson"),
        "prerequisites[1]": place(text, "nope-one"),
        "prerequisites[2]": place(text, "nope-two"),
        "steps[1].related[1]": place(text, "nowhere-card"),
    }


def test_each_flow_list_item_is_named_at_its_own_column(tmp_path: Path) -> None:
    text = lesson("flow", "prerequisites: [aaa, bbb]\n")
    file = tmp_path / "flow.yaml"
    file.write_text(text, encoding="utf-8")
    found = [(e.path, e.line, e.column) for e in errors_of(file)]
    assert found == [
        ("prerequisites[0]", *place(text, "aaa")),
        ("prerequisites[1]", *place(text, "bbb")),
    ]


def test_advice_on_a_list_text_names_the_item(tmp_path: Path) -> None:
    """A recap point without Chinese: the advice names that point's line, not the first one's."""
    steps = "  - type: recap\n    points:\n      - {en: one, zh: 一}\n      - {en: two}\n"
    text = lesson("recap", steps=steps)
    file = tmp_path / "recap.yaml"
    file.write_text(text, encoding="utf-8")
    library = DeckLoader([file]).load()
    assert library.ok, library.errors
    found = [(a.path, a.line, a.column) for a in deck_advice(library)]
    assert found == [("steps[0].points[1]", *place(text, "{en: two}"))]


def test_a_prerequisite_cycle_points_at_the_item_that_closes_it(tmp_path: Path) -> None:
    texts = {
        "one": lesson("one", "prerequisites:\n  - zero\n  - two\n"),
        "two": lesson("two", "prerequisites: [one]\n"),
        "zero": lesson("zero"),
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    cycles = [e for e in errors_of(tmp_path) if "cycle" in e.message]
    assert len(cycles) == 1, cycles
    error = cycles[0]
    # the cycle keeps file order, so one's prerequisite two, placed after it, closes it
    assert (error.file.name, error.path) == ("one.yaml", "prerequisites[1]")
    assert (error.line, error.column) == place(texts["one"], "two")


def test_a_tab_inside_a_block_scalar_is_text(tmp_path: Path) -> None:
    """Python indented with a tab inside ``code: |``: YAML allows it and the deck loads."""
    steps = "  - type: code\n    id: tabbed.demo\n    code: |\n      for i in range(2):\n      \tprint(i)\n"
    file = tmp_path / "tabbed.yaml"
    file.write_text(lesson("tabbed", steps=steps), encoding="utf-8")
    library = DeckLoader([file]).load()
    assert library.errors == []
    assert library.lessons[0].snippets[0].code == "for i in range(2):\n\tprint(i)\n"


def test_a_tab_starting_a_quoted_scalars_next_line_is_text(tmp_path: Path) -> None:
    """A quoted text going on over a line that starts with a tab: YAML folds the tab away as
    whitespace between words, and the deck loads (review: it was refused as indentation)."""
    for quote in ('"', "'"):
        steps = f"  - type: text\n    body: {quote}one\n    \ttwo{quote}\n"
        file = tmp_path / "quoted.yaml"
        file.write_text(lesson("quoted", steps=steps), encoding="utf-8")
        library = DeckLoader([file]).load()
        assert library.errors == [], quote
        assert "two" in library.lessons[0].steps[0].body


def test_a_tab_in_real_indentation_is_still_named_at_its_line(tmp_path: Path) -> None:
    """After a block scalar that holds a tab, a key indented with a tab is still an error."""
    steps = (
        "  - type: code\n    id: tabbed.demo\n    code: |\n      if True:\n      \tpass\n"
        "  - type: text\n  \tbody: hi\n"
    )
    text = lesson("tabbed", steps=steps)
    file = tmp_path / "tabbed.yaml"
    file.write_text(text, encoding="utf-8")
    errors = errors_of(file)
    assert [(e.line, e.column, e.path) for e in errors] == [(*place(text, "\tbody"), "")]
    assert "tab character in indentation" in errors[0].message


def test_an_id_starting_with_a_dash_is_told_the_start_rule(tmp_path: Path) -> None:
    file = tmp_path / "dash.yaml"
    file.write_text(lesson("-x"), encoding="utf-8")
    (error,) = errors_of(file)
    assert (error.path, error.line, error.column) == ("id", 2, 5)
    assert "start with a lower-case letter or digit" in error.message
    assert "以小写字母或数字开头" in error.message_in("zh")
