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


def _with_fix(puzzle: bug_hunt.BugPuzzle) -> str:
    """The demo with the puzzle's fix applied: a missing statement is inserted, a wrong one
    replaced (the puzzle's ``answer`` line is where the fix goes)."""
    lines = puzzle.demo.split("\n")
    at = puzzle.answer - 1
    if puzzle.kind == "no_super":  # missing first statement of __init__
        lines.insert(at + 1, puzzle.fix)
    elif puzzle.kind in ("eval_forgotten", "no_zero_grad"):  # missing before the answer line
        lines.insert(at, puzzle.fix)
    else:
        lines[at] = puzzle.fix
    return "\n".join(lines)


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
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["no_super", "plain_list", "eval_forgotten", "no_return"])
def test_bug_demo_shows_the_symptom_and_the_fix_removes_it(sb: Sandbox, kind: str) -> None:
    for seed in SEEDS:
        puzzle = bug_hunt.new_puzzle(random.Random(seed), kind)
        for code, buggy in ((puzzle.demo, True), (_with_fix(puzzle), False)):
            result = sb.run("torch.manual_seed(0)\n" + code, device="cpu")
            error = f"{result.error.type}: {result.error.message}" if result.error else ""
            assert result.status == ("error" if buggy and kind == "no_super" else "ok"), error
            assert _symptom(kind, result.stdout, error) is buggy, (code, result.stdout, error)


def test_softmax_before_cross_entropy_shrinks_the_gradients(sb: Sandbox) -> None:
    for seed in SEEDS:
        puzzle = bug_hunt.new_puzzle(random.Random(seed), "double_softmax")
        probe = (
            puzzle.code
            + "torch.manual_seed(0)\n"
            + "logits = torch.randn(4, net_out, requires_grad=True)\n"
            + "target = torch.randint(0, net_out, (4,))\n"
            + "loss_fn(logits, target).backward()\n"
            + "direct = logits.grad.norm().item()\n"
            + "logits.grad = None\n"
            + "loss_fn(logits.softmax(-1), target).backward()\n"
            + "print(direct, logits.grad.norm().item())\n"
        )
        classes = int(re.search(r"nn\.Linear\(\d+, (\d+)\)", puzzle.code).group(1))
        result = sb.run(f"net_out = {classes}\n" + probe, device="cpu")
        assert result.status == "ok", result.error
        direct, squashed = _numbers(result.stdout)
        assert squashed < 0.5 * direct, result.stdout
        demo = sb.run(puzzle.demo, device="cpu")
        assert demo.status == "ok" and "loss on softmax" in demo.stdout


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
