"""Bug Hunt's right answers for a missing statement (QA pass 36, revised by fixer 8): the lines
it works right after, as the feedback says "add it right after line X".
Shape Guesser's shape reading: words and negative sizes are no shape; full-width punctuation is."""

from __future__ import annotations

import random

import pytest

from tutor.games.bug_hunt import KINDS, new_puzzle
from tutor.quiz import parse_shape


def _line(puzzle, needle: str) -> int:
    return next(n for n, text in enumerate(puzzle.lines, start=1) if needle in text)


@pytest.mark.parametrize("seed", range(4))
def test_eval_forgotten_is_fixed_right_after_no_grad_too(seed):
    """(fixer 8: a pick means "right after this line"; eval() there works, torch says so in
    tests/games/test_bug_hunt_fx8.py, and right after the first prediction it is too late.)"""
    puzzle = new_puzzle(random.Random(seed), "eval_forgotten")
    assert puzzle.right_lines == {
        _line(puzzle, "model.train()"),
        _line(puzzle, "x_test = torch.randn"),
        _line(puzzle, "with torch.no_grad()"),
    }


@pytest.mark.parametrize("seed", range(4))
def test_no_zero_grad_is_answered_after_the_step_not_after_backward(seed):
    """(fixer 8: right after backward() it wipes the gradient the step needs; right after
    step() is lesson 03's idiom.)"""
    puzzle = new_puzzle(random.Random(seed), "no_zero_grad")
    assert puzzle.check(_line(puzzle, "opt.step()"))
    assert not puzzle.check(_line(puzzle, "backward"))
    assert puzzle.check(_line(puzzle, "for step in"))
    assert puzzle.check(_line(puzzle, "loss = F.mse_loss"))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_right_line_is_one_where_the_fix_works(kind):
    """``bug_lines`` are checked on torch (tests/games/test_games_on_torch.py): a right pick
    must be among them, and the answer shown is the first right one."""
    for seed in range(6):
        puzzle = new_puzzle(random.Random(seed), kind)
        assert puzzle.right_lines <= puzzle.bug_lines
        assert puzzle.answer == min(puzzle.right_lines)


@pytest.mark.parametrize("typed", ["shape", "size", "Size", "torch.Size", "shape:", "-1", "-3, 4"])
def test_words_and_negative_sizes_are_no_shape(typed):
    assert parse_shape(typed) is None  # the format hint, not a wrong answer


@pytest.mark.parametrize(
    ("typed", "shape"),
    [
        ("（2，3）。", (2, 3)),
        ("(2, 3).", (2, 3)),
        ("shape: (4, 2)", (4, 2)),
        ("torch.Size([])", ()),
        ("()", ()),
        ("[]", ()),
        ("torch.Size([4, 2])", (4, 2)),
    ],
)
def test_shapes_are_read_with_their_punctuation(typed, shape):
    assert parse_shape(typed) == shape


@pytest.mark.parametrize("kind", ["conv1d", "conv2d", "maxpool2d"])
def test_the_worked_formula_is_this_rounds_arithmetic(kind):
    """The wrong-answer feedback works the rule through with the round's numbers: evaluating
    it must give the size the round expects."""
    from tutor.games.shape_guesser import new_challenge

    for seed in range(20):
        challenge = new_challenge(random.Random(seed), kind)
        formula, result = challenge.worked.split(" ⇒ ")
        inside = formula.split("⌊(")[1].split(")")[0].replace("·", "*").replace("−", "-")
        stride = int(formula.split(") / ")[1].split("⌋")[0])
        size = int(formula.split(" = ")[-1])
        assert eval(inside) // stride + 1 == size == challenge.expected[-1]
        assert result == str(challenge.expected)
