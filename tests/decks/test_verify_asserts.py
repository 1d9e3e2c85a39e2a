"""Advice on a verify block that asserts nothing: it passes whatever torch does, so it cannot
catch a card or quiz whose claim has gone false. ``nn-tutor validate`` names its file, line and
field; a block that asserts, raises or calls an ``assert…`` function gets no such advice."""

from __future__ import annotations

from pathlib import Path

from tests.decks.test_advice import write_deck as write_advised
from tutor.cli import main as cli_main
from tutor.decks import DeckLoader
from tutor.decks.advice import deck_advice

DECK = """\
format: 1
kind: cards
id: verified
title: {en: "Verified", zh: "已验证"}
cards:
  - id: verified.silent
    front: {en: "Silent?", zh: "无声？"}
    back: {en: "It runs.", zh: "它会运行。"}
    verify: |
      out = nn.Linear(2, 2)(torch.zeros(1, 2))
      out.shape == (1, 2)
  - id: verified.asserts
    front: {en: "Asserts?", zh: "断言？"}
    back: {en: "Yes.", zh: "是。"}
    verify: |
      assert nn.Linear(2, 2)(torch.zeros(1, 2)).shape == (1, 2)
  - id: verified.raises
    front: {en: "Raises?", zh: "抛出？"}
    back: {en: "Yes.", zh: "是。"}
    verify: |
      try:
          nn.Linear(3, 2)(torch.zeros(1, 2))
          raise AssertionError("no error")
      except RuntimeError:
          pass
  - id: verified.assert-close
    front: {en: "Assert close?", zh: "近似断言？"}
    back: {en: "Yes.", zh: "是。"}
    verify: |
      torch.testing.assert_close(torch.ones(2), torch.ones(2))
"""


def write_deck(tmp_path: Path) -> Path:
    return write_advised(tmp_path, DECK, "verified.yaml")


def test_a_verify_that_asserts_nothing_is_advised_by_file_line_and_field(tmp_path: Path):
    path = write_deck(tmp_path)
    library = DeckLoader([path]).load()
    assert library.ok, library.errors
    # The advice points at the silent card's ``verify:`` key, the field the author must fix.
    lines = DECK.splitlines()
    silent = lines.index("  - id: verified.silent")
    verify_line = next(n for n in range(silent, len(lines)) if "verify: |" in lines[n]) + 1
    advice = [(a.line, a.path, str(a)) for a in deck_advice(library)]
    assert [(line, field) for line, field, _ in advice] == [(verify_line, "verified.silent.verify")]
    assert "asserts nothing" in advice[0][2]


def test_validate_prints_the_verify_advice_in_both_languages(tmp_path: Path, capsys):
    path = write_deck(tmp_path)
    assert cli_main(["--lang", "en", "validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count("advice:") == 1 and "verified.silent.verify" in err
    assert cli_main(["--lang", "zh", "validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count("建议：") == 1 and "verified.silent.verify" in err
