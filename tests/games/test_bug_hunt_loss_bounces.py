"""Bug Hunt's ``no_zero_grad`` puzzle asks "Why does the loss bounce around instead of going
down?". The game runs its demo in the sandbox unseeded, so the question must be true whatever
torch draws: under every seed the printed loss climbs back at least once, and with the fix it
goes steadily down. With 32 rows of data, 100 steps and a print every 20, the printed losses of
2-5 % of seeds fell steadily, and the question was false on screen."""

from __future__ import annotations

import contextlib
import io
import re
from itertools import pairwise

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from tests.games.test_bug_hunt_fx8 import _after, _variants
from tutor.games.bug_hunt import BugPuzzle

SEEDS = range(200)
VARIANTS = list(_variants("no_zero_grad").values())


def _sizes(puzzle: BugPuzzle) -> str:
    """A variant's test id: its model and learning rate (``nn.Linear(4, 1) lr=0.05``)."""
    model, opt = puzzle.lines[:2]
    return f"{model.split(' = ')[1]} {opt.split(', ')[1].rstrip(')')}"


def _printed_losses(code: str, seed: int) -> list[float]:
    """The losses ``code`` prints under ``torch.manual_seed(seed)``, run with the names the
    sandbox gives it (torch, nn, F)."""
    out = io.StringIO()
    torch.manual_seed(seed)
    with contextlib.redirect_stdout(out):
        exec(code, {"torch": torch, "nn": nn, "F": F})
    return [float(n) for n in re.findall(r"loss (\S+)", out.getvalue())]


@pytest.mark.parametrize("puzzle", VARIANTS, ids=_sizes)
def test_the_printed_loss_climbs_back_under_every_seed(puzzle: BugPuzzle) -> None:
    demo = puzzle.demo
    steady = [
        seed
        for seed in SEEDS
        if not any(later > earlier for earlier, later in pairwise(_printed_losses(demo, seed)))
    ]
    assert steady == [], f"{len(steady)} of {len(SEEDS)} seeds show no bounce: {steady[:10]}"


@pytest.mark.parametrize("puzzle", VARIANTS, ids=_sizes)
def test_with_the_fix_the_printed_loss_goes_steadily_down_under_every_seed(
    puzzle: BugPuzzle,
) -> None:
    fixed = _after(puzzle.demo.rstrip("\n").split("\n"), puzzle.answer, puzzle.fix)
    for seed in SEEDS:
        losses = _printed_losses(fixed, seed)
        assert len(losses) == 5 and losses == sorted(losses, reverse=True), (seed, losses)
        assert losses[-1] < losses[0], (seed, losses)
