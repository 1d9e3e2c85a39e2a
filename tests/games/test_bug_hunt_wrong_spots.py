"""Bug Hunt's reason for a wrong spot of a missing statement: what each puzzle says happens when
the statement goes right after a line where it does not fix the bug is what torch really does
there, for every variant the game draws. The UI never imports torch, so the reasons are data on
the puzzle (``BugPuzzle.misses``), and this test derives them again from running the code:
an error raised before the statement runs (too late), an error raised by the statement itself
(it breaks the code), the bug's symptom still shown (it stays), or no gradients left
whenever the optimizer steps (nothing learns)."""

from __future__ import annotations

import contextlib
import io
import random
import re
import traceback
from collections.abc import Iterator

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.optimizer import register_optimizer_step_pre_hook

from tests.games.test_bug_hunt_fx8 import _after
from tutor.games.bug_hunt import KINDS, BugPuzzle, Miss, new_puzzle
from tutor.i18n import LANGS, catalog_keys

MISSING = ("no_super", "eval_forgotten", "no_zero_grad")
PUZZLE = "<puzzle>"


def _variants(kind: str) -> Iterator[BugPuzzle]:
    """Every distinct puzzle of ``kind`` the first seeds draw (they cover every size choice)."""
    puzzles = (new_puzzle(random.Random(seed), kind) for seed in range(40))
    yield from {p.code: p for p in puzzles}.values()


def _symptom_shown(kind: str, stdout: str) -> bool:
    """Whether the demo's output still shows the bug (no_super's bug is its error)."""
    if kind == "eval_forgotten":
        return stdout.strip() == "False"
    if kind == "no_zero_grad":
        losses = [float(n) for n in re.findall(r"loss (\S+)", stdout)]
        return not (losses[-1] < losses[0] and losses == sorted(losses, reverse=True))
    return False


def _what_happens(puzzle: BugPuzzle, line: int) -> Miss | None:
    """What torch does with the fix right after ``line``: ``None`` when it fixes the bug."""
    code = _after(puzzle.demo.rstrip("\n").split("\n"), line, puzzle.fix)
    fix_at = line + 1  # the statement's own line in ``code``; the lines after it moved down
    try:
        compiled = compile(code, PUZZLE, "exec")
    except SyntaxError as error:
        return Miss("breaks", f"SyntaxError: {error.msg}")
    grads_at_steps: list[bool] = []  # per optimizer step: were all the gradients zero?

    def seen_step(optimizer: torch.optim.Optimizer, *_: object) -> None:
        grads = [p.grad for group in optimizer.param_groups for p in group["params"]]
        grads_at_steps.append(all(g is None or not g.any() for g in grads))

    out = io.StringIO()
    torch.manual_seed(0)
    handle = register_optimizer_step_pre_hook(seen_step)
    try:
        with contextlib.redirect_stdout(out):
            exec(compiled, {"torch": torch, "nn": nn, "F": F})
    except Exception as error:
        said = f"{type(error).__name__}: {error}"
        where = [
            f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == PUZZLE
        ]
        raised = where[-1]  # the puzzle's line that raised it (the deepest one)
        if raised == fix_at:
            return Miss("breaks", said)
        assert raised < fix_at, (code, said)  # an error after the fix is no reason we know
        return Miss("too_late", said, at=raised)
    finally:
        handle.remove()
    if grads_at_steps and all(grads_at_steps):
        return Miss("stuck")
    if _symptom_shown(puzzle.kind, out.getvalue()):
        return Miss("stays")
    return None


def _same(said: Miss, happens: Miss | None) -> bool:
    """The puzzle's reason matches what happens; its error is the start of torch's message (a
    SyntaxError's hint after it varies with Python's version)."""
    if happens is None:
        return False
    return (
        said.outcome == happens.outcome
        and said.at == happens.at
        and happens.error.startswith(said.error)
    )


@pytest.mark.parametrize("kind", MISSING)
def test_each_wrong_spots_reason_is_what_torch_does_there(kind: str) -> None:
    for puzzle in _variants(kind):
        coded = [n for n, text in enumerate(puzzle.lines, start=1) if text.strip()]
        for line in coded:
            said, happens = puzzle.misses.get(line), _what_happens(puzzle, line)
            if puzzle.check(line):
                assert said is None and happens is None, (line, puzzle.code)
            else:
                assert said is not None and _same(said, happens), (line, said, happens, puzzle.code)
        assert set(puzzle.misses) <= set(coded)  # no reason for a blank line or one past the end


def test_zero_grad_right_after_backward_is_nothing_learns() -> None:
    """The case QA named: right after ``loss.backward()`` the step finds no gradient at all."""
    for puzzle in _variants("no_zero_grad"):
        backward = next(n for n, t in enumerate(puzzle.lines, 1) if "loss.backward()" in t)
        assert puzzle.misses[backward] == Miss("stuck")
        loop = next(n for n, t in enumerate(puzzle.lines, 1) if t.startswith("for step in"))
        # before the loop (once `opt` exists) the gradients still pile up: the symptom is said
        assert puzzle.misses[loop - 1] == Miss("stays") and puzzle.symptom is not None


def test_a_wrong_line_puzzle_has_no_spot_reasons() -> None:
    for kind in ("plain_list", "double_softmax", "no_return"):
        puzzle = new_puzzle(random.Random(0), kind)
        assert not puzzle.missing and puzzle.misses == {}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_stays_reason_has_a_symptom_in_both_languages(kind: str) -> None:
    """A ``stays`` reason names the puzzle's symptom: a kind with one must say it in en and zh
    (a missing one would show the learner a reason with a hole in it)."""
    for puzzle in _variants(kind):
        if not any(miss.outcome == "stays" for miss in puzzle.misses.values()):
            continue
        assert puzzle.symptom is not None, (kind, puzzle.code)
        assert puzzle.symptom.key in catalog_keys(), (kind, puzzle.symptom.key)
        for lang in LANGS:
            assert puzzle.symptom.text(lang).strip(), (kind, lang)
