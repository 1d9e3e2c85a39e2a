"""``nn-tutor check`` starts a sandbox per extra str hash seed only where a predict quiz will
actually run: each is a worker process that imports torch (seconds of start-up), wasted where
every predict is skipped (a CUDA-only quiz without a GPU, a ``torch_min`` newer than installed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.checking import collect_units
from tutor.decks import DeckLoader

DECK = """\
kind: lesson
id: seeds
title: T
summary: S
steps:
  - type: code
    id: seeds.code
    code: |
      print(1 + 1)
  - type: quiz
    kind: predict
    id: seeds.future
    question: q
    torch_min: '99.0'
    code: |
      print(2)
    why: w
  - type: quiz
    kind: predict
    id: seeds.gpu
    question: q
    device: cuda
    code: |
      print(3)
    why: w
"""

RUNNABLE_PREDICT = """\
  - type: quiz
    kind: predict
    id: seeds.now
    question: q
    code: |
      print(4)
    why: w
"""


def _started_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deck_text: str
) -> tuple[list[str | None], dict[str, str]]:
    """The PYTHONHASHSEED of each sandbox whose workers ``run_units`` started (in start order),
    and each unit's verdict: the real sandboxes run, their ``start`` is only watched."""
    from sandbox import Sandbox
    from tutor.commands import check

    started: list[str | None] = []
    start = Sandbox.start

    def watched_start(self: Sandbox) -> Sandbox:
        result = start(self)
        started.append(self._core.env.get("PYTHONHASHSEED") if self._core.env else None)
        return result

    monkeypatch.setattr(Sandbox, "start", watched_start)
    deck = tmp_path / "deck.yaml"
    deck.write_text(deck_text, encoding="utf-8")
    units = collect_units(DeckLoader([deck]).load())
    outcomes = check.run_units(units, cuda=False)
    return started, {o.unit.item_id: o.verdict for o in outcomes}


def test_no_seed_sandbox_starts_when_every_predict_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.commands import check

    started, verdicts = _started_seeds(tmp_path, monkeypatch, DECK)
    assert verdicts == {"seeds.code": "pass", "seeds.future": "skip", "seeds.gpu": "skip"}
    # only the first seed's sandbox, the one every unit runs in
    assert started == [check.HASH_SEEDS[0]]


def test_every_seed_sandbox_starts_when_a_predict_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.commands import check

    started, verdicts = _started_seeds(tmp_path, monkeypatch, DECK + RUNNABLE_PREDICT)
    assert verdicts["seeds.now"] == "pass"
    assert sorted(started) == sorted(check.HASH_SEEDS)
