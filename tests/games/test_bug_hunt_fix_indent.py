"""Bug Hunt's missing line, put right after the line the feedback names with the indent it
needs (:meth:`BugPuzzle.fix_after`), fixes the bug in torch at every right line of every
variant: at column 0 after a loop's last line it ran after the loop (the loss still bounced),
and after ``with torch.no_grad():`` it did not parse."""

from __future__ import annotations

import random

import pytest

from tutor.games.bug_hunt import new_puzzle

from .test_bug_hunt_fx8 import MISSING, _fixed


@pytest.mark.parametrize("kind", MISSING)
def test_the_fix_as_shown_works_at_every_right_line(kind: str) -> None:
    puzzles = {p.code: p for p in (new_puzzle(random.Random(s), kind) for s in range(120))}
    for puzzle in puzzles.values():
        demo = puzzle.demo.rstrip("\n").split("\n")
        for line in sorted(puzzle.right_lines):
            # the statement goes in verbatim, indent and all: no test-side re-indenting
            code = "\n".join([*demo[:line], puzzle.fix_after(line), *demo[line:]])
            assert _fixed(kind, code), code


def test_zero_grad_after_the_loops_last_line_stays_in_the_loop() -> None:
    puzzle = new_puzzle(random.Random(109), "no_zero_grad")
    step = next(n for n, text in enumerate(puzzle.lines, 1) if text.strip() == "opt.step()")
    assert puzzle.fix_after(step) == "    opt.zero_grad()"
    train = new_puzzle(random.Random(0), "eval_forgotten")
    after = next(n for n, text in enumerate(train.lines, 1) if "model.train()" in text)
    assert train.fix_after(after) == "model.eval()"  # a statement at the top level
