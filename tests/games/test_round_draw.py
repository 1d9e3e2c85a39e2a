"""The games' next round: drawn at random, never of the kind just played."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tutor.games import bug_hunt, shape_guesser

DRAWS = {"bug_hunt": bug_hunt.new_puzzle, "shape_guesser": shape_guesser.new_challenge}
MAKERS = {"bug_hunt": bug_hunt.KINDS, "shape_guesser": shape_guesser.KINDS}


@pytest.mark.parametrize("game", sorted(DRAWS))
def test_no_kind_comes_twice_in_a_row_and_every_kind_comes(game):
    draw, rng = DRAWS[game], random.Random(7)
    last = draw(rng)
    seen = Counter([last.kind])
    for _ in range(600):
        nxt = draw(rng, after=last.kind)
        assert nxt.kind != last.kind
        seen[nxt.kind] += 1
        last = nxt
    assert set(seen) == set(MAKERS[game])
    # still at random: no kind is starved (each of 6 or 8 kinds gets well over a tenth of its share)
    assert min(seen.values()) > 600 / len(MAKERS[game]) / 3


@pytest.mark.parametrize("game", sorted(DRAWS))
def test_a_kind_asked_for_is_given_even_after_itself(game):
    draw = DRAWS[game]
    for kind in MAKERS[game]:
        assert draw(random.Random(0), kind, after=kind).kind == kind
