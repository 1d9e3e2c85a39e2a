"""``nn-tutor check`` runs a predict quiz again under other str hash seeds and fails it when the
last line changes: the runs must differ as learners' do, in their str hash seed too. A learner's
tutor starts its own sandbox worker, with a hash seed of its own (PYTHONHASHSEED is not pinned),
and a set of strings prints in that seed's order: a quiz printing one has no one right answer."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tutor.checking import CheckUnit, collect_units, judge
from tutor.checking.judge import shows_string_set
from tutor.decks import DeckLoader
from tutor.i18n import tr

DECK = """\
kind: lesson
id: hs
title: T
summary: S
steps:
  - type: quiz
    kind: predict
    id: hs.set
    question: q
    code: |
      print({'alpha', 'beta', 'gamma', 'delta', 'epsilon'})
    why: w
  - type: quiz
    kind: predict
    id: hs.iterated
    question: q
    code: |
      names = {'alpha', 'beta', 'gamma', 'delta', 'epsilon'}
      print(next(iter(names)), len(names))
    why: w
  - type: quiz
    kind: predict
    id: hs.buffers
    question: q
    code: |
      print({'running_mean', 'running_var'})
    why: w
  - type: quiz
    kind: predict
    id: hs.modes
    question: q
    code: |
      print({'train', 'eval'})
    why: w
  - type: quiz
    kind: predict
    id: hs.sorted
    question: q
    code: |
      print(sorted({'alpha', 'beta', 'gamma', 'delta', 'epsilon'}))
    why: w
  - type: quiz
    kind: predict
    id: hs.seeded
    question: q
    code: |
      torch.manual_seed(0)
      print(nn.Dropout(0.5)(torch.ones(8)).tolist())
    why: w
"""


def _verdicts(tmp_path: Path) -> dict[str, tuple[str, str]]:
    from tutor.commands import check

    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK, encoding="utf-8")
    units = collect_units(DeckLoader([deck]).load())
    return {o.unit.item_id: (o.verdict, o.reason) for o in check.run_units(units, cuda=False)}


def test_a_predict_whose_line_depends_on_the_hash_seed_fails(tmp_path: Path) -> None:
    verdicts = _verdicts(tmp_path)
    unstable = ("fail", tr("check.why.predict_unstable", "en"))
    string_set = ("fail", tr("check.why.predict_string_set", "en"))
    # a set printed is said as such, whatever the seeds did (its fix is sorted(), not a seed)
    assert verdicts["hs.set"] == string_set
    assert verdicts["hs.buffers"] == string_set
    assert verdicts["hs.modes"] == string_set
    # a set's order shown otherwise is caught by the seeds' runs
    assert verdicts["hs.iterated"] == unstable
    # what no hash seed changes still passes
    assert verdicts["hs.sorted"] == ("pass", "")
    assert verdicts["hs.seeded"] == ("pass", "")


@pytest.mark.parametrize(
    ("line", "a_set"),
    [
        ("{'train', 'eval'}", True),
        ("kept: frozenset({'weight', 'bias'})", True),
        ('{"a b", "it\'s"}', True),
        ("{'it\\'s', 'x'}", True),
        ("{b'a', b'b'}", True),
        ("{'weight': 1, 'bias': 2}", False),  # a dict keeps its insertion order
        ("{'weight'}", False),  # one string has one order
        ("{1, 2, 3}", False),  # small ints hash to themselves
        ("['train', 'eval']", False),
    ],
)
def test_a_last_line_showing_a_set_of_strings_is_known(line: str, a_set: bool) -> None:
    assert shows_string_set(line) is a_set


def test_a_set_every_seed_orders_alike_still_fails() -> None:
    """Two strings come in one order under every seed about one time in seven: the line itself
    says it is a set, and the verdict does not wait on the seeds disagreeing."""
    unit = CheckUnit("x.p", "predict", Path("deck.yaml"), 1, "print({'a', 'b'})")
    ran = SimpleNamespace(status="ok", stdout="{'a', 'b'}\n", error=None, duration_s=0.0)
    outcome = judge(unit, ran, "en", again=[ran, ran, ran])
    assert (outcome.verdict, outcome.reason) == ("fail", tr("check.why.predict_string_set", "en"))
