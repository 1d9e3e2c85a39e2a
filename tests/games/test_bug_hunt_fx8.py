"""Bug Hunt's missing statements (fixer 8): a pick means "it goes right after this line", as the
feedback says, and the right picks are exactly the lines where that fixes the bug in torch, for
every variant the game draws: zero_grad() right after step() (lesson 03's idiom) is right, right
after backward() (it wipes the gradient the step needs) is wrong; eval() inside no_grad() works."""

from __future__ import annotations

import contextlib
import io
import random
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from tutor.games.bug_hunt import new_puzzle

MISSING = ("no_super", "eval_forgotten", "no_zero_grad")


def _variants(kind: str) -> dict[str, object]:
    """Every distinct puzzle of ``kind`` the first seeds draw (they cover every size choice)."""
    puzzles = (new_puzzle(random.Random(seed), kind) for seed in range(40))
    return {p.code: p for p in puzzles}


def _after(lines: list[str], line: int, statement: str) -> str:
    """``lines`` with ``statement`` right after line ``line``, in that line's block (a line
    opening a block, ending in a colon, puts it in the block's body)."""
    here = lines[line - 1]
    body = lines[line] if here.rstrip().endswith(":") and line < len(lines) else here
    indent = body[: len(body) - len(body.lstrip())]
    return "\n".join([*lines[:line], indent + statement.strip(), *lines[line:]])


def _fixed(kind: str, code: str) -> bool:
    """Whether ``code`` runs without the puzzle's symptom."""
    out = io.StringIO()
    torch.manual_seed(0)
    try:
        with contextlib.redirect_stdout(out):
            exec(code, {"torch": torch, "nn": nn, "F": F})
    except Exception:  # the fix put there broke the code (or did not fix it)
        return False
    if kind == "no_super":
        return True
    if kind == "eval_forgotten":
        return out.getvalue().strip() == "True"
    losses = [float(n) for n in re.findall(r"loss (\S+)", out.getvalue())]
    return len(losses) == 5 and losses == sorted(losses, reverse=True) and losses[-1] < losses[0]


@pytest.mark.parametrize("kind", MISSING)
def test_right_picks_are_exactly_where_the_fix_works_right_after(kind):
    for puzzle in _variants(kind).values():
        lines = puzzle.demo.rstrip("\n").split("\n")
        coded = [n for n, text in enumerate(puzzle.lines, start=1) if text.strip()]
        works = {n for n in coded if _fixed(kind, _after(lines, n, puzzle.fix))}
        assert puzzle.right_lines == works, puzzle.code
        assert not _fixed(kind, puzzle.demo)  # and the puzzle does show the bug


def test_zero_grad_after_step_is_right_after_backward_is_wrong():
    for puzzle in _variants("no_zero_grad").values():
        number = {text.strip(): n for n, text in enumerate(puzzle.lines, start=1)}
        assert puzzle.check(number["opt.step()"])
        assert not puzzle.check(number["loss.backward()"])


def test_eval_right_after_no_grad_is_right():
    for puzzle in _variants("eval_forgotten").values():
        number = {text.strip(): n for n, text in enumerate(puzzle.lines, start=1)}
        assert puzzle.check(number["with torch.no_grad():"])
        assert not puzzle.check(number["first = model(x_test)"])  # too late: first differs
