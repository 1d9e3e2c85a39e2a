"""Anki round trip: import an export, edit a card, re-export and re-import: updated, not duplicated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS, load_library
from tutor.cli import main as cli_main
from tutor.learning.anki_export import MODEL_ID, AnkiExporter, deck_id_for, guid_for

anki_collection = pytest.importorskip("anki.collection")


def _import(col, package: Path):
    request = anki_collection.ImportAnkiPackageRequest(
        package_path=str(package),
        options=anki_collection.ImportAnkiPackageOptions(with_scheduling=False),
    )
    return col.import_anki_package(request).log


def _notes(col) -> dict[str, object]:
    notes = (col.get_note(nid) for nid in col.find_notes(""))
    return {note["CardId"]: note for note in notes}


def test_reexport_after_an_edit_updates_the_note_in_place(tmp_path: Path):
    decks = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, decks)
    data = tmp_path / "data"
    args = ["--data-dir", str(data), "--decks", str(decks), "export-anki"]
    assert cli_main([*args, str(tmp_path / "first.apkg")]) == 0

    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        log = _import(col, tmp_path / "first.apkg")
        assert len(log.new) == 4
        before = _notes(col)
        assert "`None`" not in before["tensors.card-bias"]["Back"]
        assert "<code>None</code>" in before["tensors.card-bias"]["Back"]  # Markdown rendered
        assert "style=" in before["tensors.card-count"]["Back"]  # code highlighted inline

        cards = decks / "cards-tensors.yaml"
        cards.write_text(
            cards.read_text(encoding="utf-8").replace(
                'back: {en: "`None`."', 'back: {en: "`None` (edited)."'
            ),
            encoding="utf-8",
        )
        # re-exported within the same second: the stored timestamp still moves forward
        assert cli_main([*args, str(tmp_path / "second.apkg")]) == 0
        log = _import(col, tmp_path / "second.apkg")
        assert len(log.new) == 0
        after = _notes(col)
        assert col.note_count() == 4
        assert "(edited)" in after["tensors.card-bias"]["Back"]
        assert after["tensors.card-bias"].id == before["tensors.card-bias"].id
        assert after["tensors.card-bias"].guid == guid_for("tensors.card-bias")
        assert after["tensors.card-call"]["Back"] == before["tensors.card-call"]["Back"]
        assert col.models.get(MODEL_ID) is not None
        assert {d.name for d in col.decks.all_names_and_ids()} >= {
            "nn-tutor::00 · Tensors in a layer",
            "nn-tutor::00a · Tensor cards",
        }
    finally:
        col.close()


def test_ids_are_stable_and_deck_filter_applies(tmp_path: Path):
    library = load_library()
    assert deck_id_for("tensors") == deck_id_for("tensors") != deck_id_for("tensors-cards")
    exporter = AnkiExporter(library, "zh")
    _package, count = exporter.package("tensors-cards")
    assert count == 3
    note = exporter.note(library.review_cards("tensors-cards")[0])
    assert "六个权重" in note.fields[1]
    assert exporter.write(tmp_path / "x.apkg", 1_700_000_000.0, "tensors") == 4


def test_card_examples_show_comments_in_the_export_language():
    library = load_library(FIXTURE_DECKS)
    card = next(c for c in library.review_cards() if c.card.id == "tensors.card-count")
    fields = {lang: AnkiExporter(library, lang).note(card).fields[2] for lang in ("en", "zh")}
    assert "6 weights + 2 biases" in fields["en"] and "个权重" not in fields["en"]
    assert "6 个权重 + 2 个偏置" in fields["zh"] and "weights" not in fields["zh"]
    assert "#zh:" not in fields["en"] + fields["zh"]


def test_a_card_for_a_newer_torch_is_tagged_with_its_torch_min():
    library = load_library(FIXTURE_DECKS)
    cards = {c.card.id: c for c in library.review_cards()}
    cards["tensors.card-count"].card.torch_min = "2.5"
    exporter = AnkiExporter(library, "en")
    tagged = exporter.note(cards["tensors.card-count"]).tags
    assert list(tagged) == ["count", "linear", "tensors-cards", "torch_min::2.5"]
    assert list(exporter.note(cards["tensors.card-bias"]).tags) == ["tensors-cards"]
