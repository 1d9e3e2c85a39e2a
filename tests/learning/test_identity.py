"""The card id is the key: edits keep history (marked "edited"), vanished ids become orphans."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.learning.conftest import FIXTURE_DECKS, NO_FUZZ, finish_lessons, load_library
from tutor.learning import FixedClock, Learning


def _copy_decks(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, decks)
    return decks


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_edited_card_keeps_its_history_and_is_marked(config, tmp_path, clock: FixedClock):
    decks = _copy_decks(tmp_path)
    with Learning.open(config, load_library(decks), settings=NO_FUZZ, clock=clock) as learning:
        learning.rate("tensors.card-bias", 3)
        before = learning.store.card("tensors.card-bias")
        assert not learning.is_edited("tensors.card-bias")

    _edit(decks / "cards-tensors.yaml", 'back: {en: "`None`."', 'back: {en: "`None`, always."')
    clock.advance(minutes=10)
    with Learning.open(config, load_library(decks), settings=NO_FUZZ, clock=clock) as learning:
        assert learning.is_edited("tensors.card-bias")
        assert learning.edited() == ["tensors.card-bias"]
        assert learning.store.card("tensors.card-bias") == before  # history intact
        learning.rate("tensors.card-bias", 3)  # the learner has now seen the new text
        after = learning.store.card("tensors.card-bias")
        assert after.id == before.id
        assert after.content_hash != before.content_hash
        assert not learning.is_edited("tensors.card-bias")
        assert learning.store.review_count() == 2


def test_vanished_card_is_an_orphan_not_deleted(config, tmp_path, clock: FixedClock):
    decks = _copy_decks(tmp_path)
    with Learning.open(config, load_library(decks), settings=NO_FUZZ, clock=clock) as learning:
        finish_lessons(learning)  # the card deck waits for its lesson
        learning.rate("tensors.card-call", 1)
        row = learning.store.card("tensors.card-call")

    _edit(decks / "cards-tensors.yaml", "id: tensors.card-call", "id: tensors.card-call-renamed")
    with Learning.open(config, load_library(decks), settings=NO_FUZZ, clock=clock) as learning:
        assert learning.orphans() == ["tensors.card-call"]
        assert learning.stats()["orphans"] == ["tensors.card-call"]
        assert learning.store.card("tensors.card-call") == row
        due = [c.id for c in learning.due_now()]
        assert "tensors.card-call" not in due  # nothing to show for it
        assert "tensors.card-call-renamed" in due  # a new id is a new card

    _edit(decks / "cards-tensors.yaml", "id: tensors.card-call-renamed", "id: tensors.card-call")
    clock.advance(minutes=1)  # the Again step
    with Learning.open(config, load_library(decks), settings=NO_FUZZ, clock=clock) as learning:
        assert learning.orphans() == []
        assert "tensors.card-call" in [c.id for c in learning.due_now()]  # history back, due
