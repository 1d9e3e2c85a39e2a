"""``nn-tutor check`` counts only what ran, so a card or quiz with no ``verify`` block passed
unseen: its summary now says how many it could not check, in the learner's language, and says
nothing more when there are none. Runs the real sandbox."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from tests.decks.test_unverified_advice import LESSON
from tutor.commands import check
from tutor.config import TutorConfig
from tutor.decks import DeckLoader

VERIFIED = (
    "  - id: unv.proven\n    front: F\n    back: B\n"
    "    verify: |\n      assert nn.Linear(2, 3).bias is not None\n"
)
BARE = "  - id: unv.bare{n}\n    front: F\n    back: B\n"


def _deck(tmp_path: Path, bare: int) -> Path:
    """A card deck of one verified card and ``bare`` cards with no verify."""
    deck = tmp_path / "unv.yaml"
    cards = VERIFIED + "".join(BARE.format(n=n) for n in range(bare))
    deck.write_text(f"kind: cards\nid: unv\ntitle: T\ncards:\n{cards}", encoding="utf-8")
    return deck


def _check(
    capsys: pytest.CaptureFixture[str], deck: Path, lang: str, *, as_json: bool = False
) -> list[str]:
    """What ``nn-tutor check`` prints on stdout for ``deck``, line by line (it must pass)."""
    config = TutorConfig.resolve(data_dir=deck.parent / "data", lang=lang)
    assert check.main(argparse.Namespace(paths=[str(deck)], json=as_json), config) == 0
    return capsys.readouterr().out.splitlines()


def test_the_unverified_are_counted_after_the_summary(tmp_path: Path, capsys) -> None:
    summary, said = _check(capsys, _deck(tmp_path, bare=2), "en")
    assert summary.startswith("check: 1 passed, 0 failed, 0 skipped; 0 deck errors;")
    assert said == (
        "check: 2 cards or quizzes with no verify block, so not checked "
        "(nn-tutor validate names them)"
    )


def test_one_unverified_is_counted_in_chinese(tmp_path: Path, capsys) -> None:
    summary, said = _check(capsys, _deck(tmp_path, bare=1), "zh")
    assert summary.startswith("检查：1 项通过，0 项失败，0 项跳过")
    assert (
        said
        == "检查：有 1 项卡片或测验因为没有 verify 块而未能检查（nn-tutor validate 会逐一列出）"
    )


def test_with_none_unverified_nothing_more_is_said(tmp_path: Path, capsys) -> None:
    (summary,) = _check(capsys, _deck(tmp_path, bare=0), "en")
    assert summary.startswith("check: 1 passed, 0 failed, 0 skipped; 0 deck errors;")


def test_json_gives_the_count(tmp_path: Path, capsys) -> None:
    report = json.loads("\n".join(_check(capsys, _deck(tmp_path, bare=1), "en", as_json=True)))
    assert (report["passed"], report["unverified"]) == (1, 1)


def test_a_lessons_unverified_are_its_cards_and_quizzes_but_predict(tmp_path: Path) -> None:
    """Counted by the rule ``validate`` advises by: a predict quiz and an exercise run, so they
    are not among them; no sandbox needed to count."""
    deck = tmp_path / "unproven.yaml"
    deck.write_text(LESSON, encoding="utf-8")
    assert check.unverified_count(DeckLoader([deck]).load()) == 3
