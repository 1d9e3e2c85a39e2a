"""``export-anki`` and ``stats`` say which decks failed to load (on stderr, as ``validate``
does) rather than leave their cards out in silence; a ``--decks`` path that is not there fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.learning.conftest import FIXTURE_DECKS
from tutor.cli import main as cli_main

BAD_DECK = """\
format: 1
kind: cards
id: own-cards
title: {en: "Own cards", zh: "自己的卡片"}
cards:
  - id: own.card-one
    front: {en: "Front", zh: "正面"}
    back: {en: "Back", zh: "反面"}
    bogus: 1
"""


def _decks_with_a_bad_one(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, decks)
    (decks / "cards-own.yaml").write_text(BAD_DECK, encoding="utf-8")
    return decks


def _run(tmp_path: Path, decks: Path, *command: str) -> int:
    data = ["--data-dir", str(tmp_path / "data"), "--lang", "en"]
    return cli_main([*data, "--decks", str(decks), *command])


def test_export_names_the_deck_left_out_and_exports_the_rest(tmp_path, capsys):
    out = tmp_path / "cards.apkg"
    rc = _run(tmp_path, _decks_with_a_bad_one(tmp_path), "export-anki", str(out))
    said = capsys.readouterr()
    assert rc == 0 and out.exists()  # the good cards are exported
    assert "cards-own.yaml:" in said.err  # validate's one-line form, file first
    assert "left out" in said.err


def test_stats_name_the_deck_left_out(tmp_path, capsys):
    rc = _run(tmp_path, _decks_with_a_bad_one(tmp_path), "stats", "--json")
    said = capsys.readouterr()
    assert rc == 0 and said.out.startswith("{")
    assert "cards-own.yaml:" in said.err


def test_stats_json_lists_the_decks_left_out_as_validate_does(tmp_path, capsys):
    """A script reading ``stats --json`` learnt of a deck left out only from stderr: the JSON
    lists them too, each with ``validate --json``'s fields (file, line, field, message)."""
    decks = _decks_with_a_bad_one(tmp_path)
    assert _run(tmp_path, decks, "validate", "--json", str(decks)) == 1
    problems = json.loads(capsys.readouterr().out)["errors"]
    assert problems and all(p["file"].endswith("cards-own.yaml") for p in problems)
    assert _run(tmp_path, decks, "stats", "--json") == 0
    said = capsys.readouterr()
    assert json.loads(said.out)["deck_errors"] == problems
    assert "cards-own.yaml:" in said.err  # still said there too
    assert _run(tmp_path, FIXTURE_DECKS, "stats", "--json") == 0
    assert json.loads(capsys.readouterr().out)["deck_errors"] == []


def test_a_missing_decks_path_fails_both(tmp_path, capsys):
    typo = tmp_path / "no-such-decks"
    assert _run(tmp_path, typo, "export-anki", str(tmp_path / "x.apkg")) == 1
    assert str(typo) in capsys.readouterr().err
    assert not (tmp_path / "x.apkg").exists()
    assert _run(tmp_path, typo, "stats") == 1
    said = capsys.readouterr()
    assert str(typo) in said.err and said.out == ""


UNKNOWN_RELATED = BAD_DECK.replace("    bogus: 1\n", "    related: [no.such-card]\n")


def test_a_problem_that_leaves_no_deck_out_is_said_without_claiming_one_was(tmp_path, capsys):
    """An unknown ``related`` id is a problem validate reports, but its deck still loads and its
    cards are exported: QA found the commands still said "the cards of those decks are left
    out". The left-out line counts the decks that could not be loaded."""
    decks = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, decks)
    (decks / "cards-own.yaml").write_text(UNKNOWN_RELATED, encoding="utf-8")
    assert _run(tmp_path, decks, "stats", "--json") == 0
    said = capsys.readouterr().err
    assert "cards-own.yaml:" in said and "no.such-card" in said
    assert "left out" not in said
    (decks / "cards-two.yaml").write_text(BAD_DECK.replace("own", "two"), encoding="utf-8")
    assert _run(tmp_path, decks, "stats", "--json") == 0
    said = capsys.readouterr().err
    assert "1 deck above could not be loaded" in said  # cards-two; cards-own still loads


def test_export_of_an_unknown_deck_id_names_it(tmp_path, capsys):
    """A typo in ``--deck`` is named as review names it, not "No cards to export (tensor)",
    which read as a deck with no cards."""
    out = tmp_path / "cards.apkg"
    rc = _run(tmp_path, FIXTURE_DECKS, "export-anki", str(out), "--deck", "tensor")
    said = capsys.readouterr()
    assert rc == 1 and not out.exists()
    assert said.err.splitlines() == [
        "No lesson or card deck has the id tensor; nothing was exported.",
        # the ids it takes: no screen shows them
        "Lesson ids (a lesson's export holds its card deck too): tensors. "
        "Card deck ids: tensors-cards.",
    ]
    assert _run(tmp_path, FIXTURE_DECKS, "export-anki", str(out), "--deck", "tensors") == 0
    assert out.exists()
