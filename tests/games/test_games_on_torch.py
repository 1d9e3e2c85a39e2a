"""The games make torch claims too, so they are checked on torch like every quiz and card.

Shape Guesser's formulas must give the shape torch really produces; every Bug Hunt puzzle's demo
must show the symptom its explanation describes, and applying its fix must make the symptom go.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from itertools import pairwise

import pytest

from sandbox import Sandbox
from tutor.games import bug_hunt, shape_guesser

SEEDS = range(6)


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    with Sandbox(timeout_s=60) as box:
        yield box


@pytest.mark.parametrize("kind", sorted(shape_guesser.KINDS))
def test_shape_formulas_agree_with_torch(sb: Sandbox, kind: str) -> None:
    for seed in SEEDS:
        challenge = shape_guesser.new_challenge(random.Random(seed), kind)
        result = sb.run(challenge.code, device="cpu")
        assert result.status == "ok", (challenge.code, result.error)
        assert result.stdout.strip() == str(challenge.expected), challenge.code


# Kinds whose bug is a missing statement: the fix is inserted; the others replace a wrong line.
MISSING_STATEMENT = frozenset({"no_super", "eval_forgotten", "no_zero_grad"})


def _inserted(lines: list[str], gap: int, statement: str) -> str:
    """``lines`` with ``statement`` put before line ``gap`` (1-based; one past the end appends),
    indented like the line it lands before, so it joins that line's block."""
    follows = lines[gap - 1] if gap <= len(lines) and lines[gap - 1].strip() else lines[gap - 2]
    indent = follows[: len(follows) - len(follows.lstrip())]
    return "\n".join([*lines[: gap - 1], indent + statement.strip(), *lines[gap - 1 :]])


def _fixed_at(puzzle: bug_hunt.BugPuzzle, line: int) -> list[str]:
    """The demos with the fix put at ``line``, as a learner pointing there means it: a missing
    statement right before or right after that line, a wrong line replaced."""
    lines = puzzle.demo.split("\n")
    if puzzle.kind in MISSING_STATEMENT:
        return [_inserted(lines, line, puzzle.fix), _inserted(lines, line + 1, puzzle.fix)]
    return ["\n".join([*lines[: line - 1], puzzle.fix, *lines[line:]])]


def _with_fix(puzzle: bug_hunt.BugPuzzle) -> str:
    """The demo with the puzzle's fix applied where the feedback shows it: a missing statement
    right after the ``answer`` line, a wrong one replaced."""
    return _fixed_at(puzzle, puzzle.answer)[-1]


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?|nan|inf", text)]


def _symptom(kind: str, stdout: str, result_error: str) -> object:
    """What the explanation says the learner will see, as a comparable value."""
    if kind == "no_super":
        return "cannot assign module before Module.__init__() call" in result_error
    if kind == "plain_list":
        registered, total = _numbers(stdout)
        return registered < total
    if kind == "eval_forgotten":
        return stdout.strip() == "False"
    if kind == "no_return":
        return stdout.strip() == "None"
    if kind == "double_softmax":  # the gradient through the model is a fraction of the true one
        through_model, from_logits = _numbers(stdout)
        return through_model < 0.5 * from_logits
    if kind == "no_zero_grad":  # the loss does not go steadily down
        losses = [float(n) for n in re.findall(r"loss (\S+)", stdout)]
        return not (losses[-1] < losses[0] and losses == sorted(losses, reverse=True))
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", sorted(bug_hunt.KINDS))
def test_bug_demo_shows_the_symptom_and_the_fix_removes_it(sb: Sandbox, kind: str) -> None:
    for seed in SEEDS:
        puzzle = bug_hunt.new_puzzle(random.Random(seed), kind)
        for code, buggy in ((puzzle.demo, True), (_with_fix(puzzle), False)):
            result = sb.run("torch.manual_seed(0)\n" + code, device="cpu")
            error = f"{result.error.type}: {result.error.message}" if result.error else ""
            assert result.status == ("error" if buggy and kind == "no_super" else "ok"), error
            assert _symptom(kind, result.stdout, error) is buggy, (code, result.stdout, error)


def test_double_softmax_demo_shows_the_shrunken_gradient_for_every_seed(sb: Sandbox) -> None:
    """The puzzle asks why the loss gets stuck; its demo must show the tiny gradient the
    explanation blames, whatever the puzzle's sizes and torch's random draws."""
    for seed in range(200):
        puzzle = bug_hunt.new_puzzle(random.Random(seed), "double_softmax")
        result = sb.run(f"torch.manual_seed({seed})\n" + puzzle.demo, device="cpu")
        assert result.status == "ok", result.error
        assert _symptom("double_softmax", result.stdout, "") is True, (seed, result.stdout)


@pytest.mark.parametrize("kind", sorted(bug_hunt.KINDS))
def test_accepted_lines_are_exactly_where_the_fix_works(sb: Sandbox, kind: str) -> None:
    """A learner who points at a line where the fix really removes the symptom is right, and
    only then: the accepted lines are checked against torch, not hand-picked."""
    for seed in range(3):
        puzzle = bug_hunt.new_puzzle(random.Random(seed), kind)
        works: set[int] = set()
        coded = [n for n, text in enumerate(puzzle.lines, start=1) if text.strip()]
        for line in coded:  # a blank line holds no code to be wrong
            for code in _fixed_at(puzzle, line):
                result = sb.run("torch.manual_seed(0)\n" + code, device="cpu")
                if result.status != "ok":  # the fix put there breaks the code instead
                    continue
                try:
                    if _symptom(kind, result.stdout, "") is False:
                        works.add(line)
                except (ValueError, IndexError):  # it broke what the demo prints
                    pass
        assert puzzle.bug_lines == works, (seed, puzzle.code)


def test_missing_zero_grad_makes_the_loss_bounce(sb: Sandbox) -> None:
    for seed in SEEDS:
        puzzle = bug_hunt.new_puzzle(random.Random(seed), "no_zero_grad")
        curves = []
        for code in (puzzle.demo, _with_fix(puzzle)):
            result = sb.run("torch.manual_seed(0)\n" + code, device="cpu")
            assert result.status == "ok", result.error
            curves.append([float(n) for n in re.findall(r"loss (\S+)", result.stdout)])
        buggy, fixed = curves
        assert len(buggy) == 5 and buggy[-1] > fixed[-1], (buggy, fixed)
        assert any(later > earlier for earlier, later in pairwise(buggy)), buggy  # bounces
        assert fixed == sorted(fixed, reverse=True), fixed  # with zero_grad it settles
