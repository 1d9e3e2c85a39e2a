"""The ``.apkg`` that ``export-anki`` writes, read back as Anki reads it (a zip holding a SQLite
collection): deck names in course order and the same in every language, code fences and GFM
Markdown rendered as the TUI renders them, tags that stay one tag each (QA of the export)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS
from tutor.cli import main as cli_main

# A lesson placed after the fixture's by its prerequisite, though its title sorts first; a card
# deck of no lesson whose title sorts first too; one of no lesson with a title another deck has.
_EXTRA_DECKS = {
    "lesson-later.yaml": """\
format: 1
kind: lesson
id: later
title: {en: "Aardvark layers", zh: "土豚层"}
summary: {en: "After tensors.", zh: "张量之后。"}
prerequisites: [tensors]
steps:
  - type: card
    id: later.card-diagram
    front: {en: "Where does `x` flow?", zh: "`x` 流向哪里？"}
    back:
      en: |
        Like this:

        ```
        x ──► Linear ──► y  (it's <plain>)
        ```

        | in | out |
        |----|-----|
        | 3  | 2   |

        ~~forward~~ call the module.
      zh: "见图。"
""",
    "cards-loose.yaml": """\
format: 1
kind: cards
id: loose-cards
title: {en: "A loose deck", zh: "零散卡片"}
cards:
  - id: loose.card-tags
    front: {en: "Tagged?", zh: "有标签？"}
    back: {en: "Yes.", zh: "有。"}
    tags: ["形状\u3000规则", "x\\ty", "two  spaces"]
""",
    "cards-same-title.yaml": """\
format: 1
kind: cards
id: more-tensor-cards
title: {en: "Tensor cards", zh: "张量卡片"}
cards:
  - id: more.card-one
    front: {en: "One?", zh: "一？"}
    back: {en: "One.", zh: "一。"}
""",
}


def _course(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    decks.mkdir()
    for source in FIXTURE_DECKS.iterdir():
        (decks / source.name).write_bytes(source.read_bytes())
    for name, text in _EXTRA_DECKS.items():
        (decks / name).write_text(text, encoding="utf-8")
    return decks


def _export(tmp_path: Path, decks: Path, lang: str, *extra: str) -> Path:
    out = tmp_path / f"{lang}.apkg"
    args = ["--data-dir", str(tmp_path / "data"), "--decks", str(decks), "--lang", lang]
    assert cli_main([*args, "export-anki", str(out), *extra]) == 0
    return out


def _collection(package: Path, tmp_path: Path) -> sqlite3.Connection:
    """The package's collection, opened as Anki opens it after unzipping."""
    folder = tmp_path / f"unzipped-{package.stem}"
    with zipfile.ZipFile(package) as archive:
        archive.extract("collection.anki2", folder)
    return sqlite3.connect(folder / "collection.anki2")


def _deck_names(package: Path, tmp_path: Path) -> dict[int, str]:
    """Anki deck id -> name, of the decks under ``nn-tutor`` (genanki adds Anki's "Default")."""
    db = _collection(package, tmp_path)
    (decks,) = db.execute("select decks from col").fetchone()
    db.close()
    named = {int(i): deck["name"] for i, deck in json.loads(decks).items()}
    return {i: name for i, name in named.items() if name.startswith("nn-tutor::")}


def _notes(package: Path, tmp_path: Path) -> dict[str, tuple[list[str], list[str], int]]:
    """CardId -> (fields, tags as Anki splits them: at any whitespace, deck id of its card)."""
    db = _collection(package, tmp_path)
    rows = db.execute("select n.flds, n.tags, c.did from notes n join cards c on c.nid = n.id")
    notes = {}
    for fields, tags, deck in rows:
        split = fields.split("\x1f")
        notes[split[3]] = (split, tags.split(), deck)
    db.close()
    return notes


def test_decks_sort_in_course_order_and_same_titles_stay_distinct(tmp_path: Path):
    """Anki lists decks by name and studies a parent's new cards deck by deck in that order: the
    name's number is the course order (a lesson's card deck right after it, decks of no lesson
    last), so "Study Now" on ``nn-tutor`` starts where the course starts, not at the title that
    sorts first; and two decks titled alike are two decks, not one Anki renamed to "…_"."""
    package = _export(tmp_path, _course(tmp_path), "en")
    names = _deck_names(package, tmp_path)
    course = [
        "nn-tutor::00 · Tensors in a layer",
        "nn-tutor::00a · Tensor cards",
        "nn-tutor::01 · Aardvark layers",
        "nn-tutor::A loose deck",
        "nn-tutor::Tensor cards",
    ]
    assert sorted(names.values()) == course
    decks_of = {card: names[deck] for card, (_f, _t, deck) in _notes(package, tmp_path).items()}
    assert decks_of["tensors.card-weight"] == course[0]
    assert decks_of["tensors.card-count"] == course[1]
    assert decks_of["later.card-diagram"] == course[2]
    assert decks_of["loose.card-tags"] == course[3]
    assert decks_of["more.card-one"] == course[4]


def test_one_decks_export_keeps_its_course_name(tmp_path: Path):
    """``--deck`` exports part of the course: its deck keeps the name the whole export gives it,
    so importing both puts the cards in the same Anki deck."""
    package = _export(tmp_path, _course(tmp_path), "en", "--deck", "loose-cards")
    assert list(_deck_names(package, tmp_path).values()) == ["nn-tutor::A loose deck"]


def test_a_deck_added_renames_no_other_deck(tmp_path: Path):
    """Numbered by place in the list of decks, one card deck added for the first lesson renamed
    every deck after it (review): each a new, empty deck to Anki, the cards left in the old. The
    numbers are the lessons' own on the course map."""
    decks = _course(tmp_path)
    before = set(_deck_names(_export(tmp_path, decks, "en"), tmp_path).values())
    (decks / "cards-extra.yaml").write_text(
        _EXTRA_DECKS["cards-same-title.yaml"]
        .replace("more-tensor-cards", "extra-cards")
        .replace("more.card-one", "extra.card-one")
        .replace("title:", "lesson: tensors\ntitle:"),
        encoding="utf-8",
    )
    after = set(_deck_names(_export(tmp_path, decks, "zh"), tmp_path).values())
    assert after - before == {"nn-tutor::00b · Tensor cards"}
    assert before <= after


def test_deck_names_do_not_change_with_the_export_language(tmp_path: Path):
    """Anki matches an imported deck to its own by name: a name in the export's language made a
    re-import in the other one add a second tree of (empty) decks, the cards staying in the old
    ones. The notes follow ``--lang``; the deck names are the same in every language."""
    decks = _course(tmp_path)
    english = _deck_names(_export(tmp_path, decks, "en"), tmp_path)
    chinese = _deck_names(_export(tmp_path, decks, "zh"), tmp_path)
    assert english == chinese
    assert "nn-tutor::00 · Tensors in a layer" in english.values()
    zh_notes = _notes(tmp_path / "zh.apkg", tmp_path)
    assert "的形状" in zh_notes["tensors.card-weight"][0][0]  # the cards themselves are in Chinese


def test_a_fence_without_a_language_is_plain_and_gfm_renders_like_the_tui(tmp_path: Path):
    """A fence with no language (deck-format.md suggests one for ASCII diagrams) was painted as
    Python, with red error boxes on the arrows; tables and ~~strike~~ stayed raw (CommonMark,
    where the TUI uses "gfm-like")."""
    package = _export(tmp_path, _course(tmp_path), "en")
    back = _notes(package, tmp_path)["later.card-diagram"][0][1]
    assert "<pre><code>x ──► Linear ──► y  (it's &lt;plain&gt;)\n</code></pre>" in back
    assert "border" not in back and "<span" not in back
    assert "<table>" in back and "<td>3</td>" in back
    assert "<s>forward</s>" in back


def test_a_fence_with_a_language_is_one_highlighted_box(tmp_path: Path):
    """Highlighted code is one ``<pre>`` carrying its colours, not Pygments' box inside
    markdown-it's ``<pre><code>``."""
    package = _export(tmp_path, _course(tmp_path), "en")
    back = _notes(package, tmp_path)["tensors.card-count"][0][1]
    assert back.count("<pre") == 1 and "<div" not in back, back
    assert 'class="highlight" style="background' in back
    assert "<span" in back and "numel" in back


def test_tags_with_any_whitespace_stay_one_tag(tmp_path: Path):
    """Anki splits tags at whitespace: an ideographic space made two tags of one, and a tab was
    dropped. Any run of whitespace becomes one "_"."""
    package = _export(tmp_path, _course(tmp_path), "en")
    tags = _notes(package, tmp_path)["loose.card-tags"][1]
    assert sorted(tags) == sorted(["loose-cards", "形状_规则", "x_y", "two_spaces"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_reexport_in_either_language_lands_in_the_same_anki_decks(tmp_path: Path, lang: str):
    """In a real Anki: an English export then one in ``lang`` update the same notes, in the
    same decks, with no deck left empty."""
    collection = pytest.importorskip("anki.collection")
    decks = _course(tmp_path)
    first = _export(tmp_path, decks, "en")
    col = collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        options = collection.ImportAnkiPackageOptions(with_scheduling=False)
        for package in (first, _export(tmp_path, decks, lang)):
            request = collection.ImportAnkiPackageRequest(
                package_path=str(package), options=options
            )
            col.import_anki_package(request)
        holding = {col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
        ours = {d.name for d in col.decks.all_names_and_ids() if d.name.startswith("nn-tutor::")}
        assert ours == holding and len(ours) == 5
        assert col.note_count() == 7
    finally:
        col.close()
