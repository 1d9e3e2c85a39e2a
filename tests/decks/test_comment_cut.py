"""An unquoted text with `` #`` in it is cut there by YAML (the rest is a comment): validate
advises, at the ``#``, to quote it; comments that cut no text are left alone."""

from __future__ import annotations

from pathlib import Path

from tutor.decks import DeckLoader
from tutor.decks.advice import deck_advice
from tutor.i18n import Lang

ROOT = Path(__file__).resolve().parents[2]
CUT = "deck.advice.comment_cut"

DECK = """\
kind: lesson
id: cut
title: Cut here  # the learner never reads this
summary: "quoted  # kept"
steps:
  # a comment on its own line
  - type: text
    id: cut.t   # an id is no learner's text
    title:
      en: use x  # not a comment
      zh: 用 x
    body: |
      a block  # kept, and so is this
    # another
  - type: recap
    points: [first  # cut
      , second]
  - type: recap
    points:
      - 'single quoted'  # after a quoted text: nothing cut
      - >-
        folded  # kept
"""


def _advice(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    file = tmp_path / "deck.yaml"
    file.write_text(text, encoding="utf-8")
    library = DeckLoader([file]).load()
    assert library.ok, library.errors  # advice: the deck still loads
    return [(a.line, a.column, a.path) for a in deck_advice(library) if a.said.key == CUT]


def test_a_text_cut_by_a_comment_is_advised_at_its_hash(tmp_path: Path) -> None:
    assert _advice(tmp_path, DECK) == [
        (3, 18, "title"),
        (10, 18, "steps[0].title.en"),
        (16, 21, "steps[1].points[0]"),
    ]


def test_the_advice_says_what_yaml_did_in_each_language(tmp_path: Path) -> None:
    file = tmp_path / "deck.yaml"
    file.write_text(DECK, encoding="utf-8")
    first = next(a for a in deck_advice(DeckLoader([file]).load()) if a.said.key == CUT)
    assert first.line_in(Lang.EN).endswith(
        "deck.yaml:3:18: title: advice: the text ends at ' #': YAML reads the rest as a comment;"
        " quote the text to keep it"
    )
    assert "引号" in first.message_in(Lang.ZH)


def test_comments_that_cut_no_text_are_left_alone(tmp_path: Path) -> None:
    quoted = DECK.replace("Cut here  #", "'Cut here'  #").replace("use x  #", '"use x"  #')
    assert _advice(tmp_path, quoted.replace("[first  # cut", "['first'  # cut")) == []


def test_the_shipped_decks_have_no_cut_text() -> None:
    library = DeckLoader([ROOT / "lessons", ROOT / "cards"]).load()
    assert library.ok
    assert [str(a) for a in deck_advice(library) if a.said.key == CUT] == []


def test_a_deck_skipped_for_a_text_a_comment_emptied_is_told_why(tmp_path: Path) -> None:
    """``summary: #1 of 12`` leaves no summary, so the deck is skipped: the error says the
    summary is missing, the advice what YAML did (it was said only of decks that loaded)."""
    file = tmp_path / "deck.yaml"
    file.write_text(DECK.replace('summary: "quoted  # kept"', "summary: #1 of 12"), "utf-8")
    library = DeckLoader([file]).load()
    assert [(e.line, e.path) for e in library.errors] == [(4, "summary")]
    cuts = [(a.line, a.column, a.path) for a in deck_advice(library) if a.said.key == CUT]
    assert (4, 10, "summary") in cuts and (3, 18, "title") in cuts


def test_a_skipped_file_no_text_can_be_read_of_gets_no_advice(tmp_path: Path) -> None:
    latin1 = "kind: lesson\nid: caf\xe9\ntitle: Cut here  # c\n"
    (tmp_path / "latin1.yaml").write_bytes(latin1.encode("latin-1"))
    (tmp_path / "broken.yaml").write_text("kind: lesson\nid: [unclosed  # cut\n", "utf-8")
    library = DeckLoader([tmp_path]).load()
    assert len(library.skipped) == 2
    assert deck_advice(library) == []


def test_a_byte_order_mark_leaves_the_columns_as_written(tmp_path: Path) -> None:
    file = tmp_path / "deck.yaml"
    title_first = "title: Cut here  # c\n" + DECK.replace("title: Cut here  # the", "# the")
    file.write_text("\ufeff" + title_first, encoding="utf-8")
    library = DeckLoader([file]).load()
    cuts = [(a.line, a.column) for a in deck_advice(library) if a.said.key == CUT]
    assert cuts[:1] == [(1, 18)]
