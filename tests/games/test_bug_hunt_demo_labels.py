"""Bug Hunt's demos print their labels in the learner's language: in Chinese the code still
runs on torch and prints the same values, each behind its Chinese label."""

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


def _printed(code: str) -> str:
    out = io.StringIO()
    torch.manual_seed(0)
    with contextlib.redirect_stdout(out):
        exec(code, {"torch": torch, "nn": nn, "F": F})
    return out.getvalue()


@pytest.mark.parametrize("kind", ["plain_list", "double_softmax"])
def test_the_chinese_demo_prints_chinese_labels_and_the_same_values(kind: str) -> None:
    for seed in range(6):
        puzzle = new_puzzle(random.Random(seed), kind)
        assert puzzle.labels  # the demo prints labels
        english, chinese = (_printed(puzzle.labelled(puzzle.demo, lang)) for lang in ("en", "zh"))
        assert english == _printed(puzzle.demo)  # the English demo is the demo as written
        for label in puzzle.labels:
            assert label.text("en") in english and label.text("en") not in chinese
            assert label.text("zh") in chinese
        number = r"[\d.]+$"
        values = [re.findall(number, line) for line in english.splitlines()]
        assert values == [re.findall(number, line) for line in chinese.splitlines()]


def test_the_plain_list_demo_says_what_its_second_number_is() -> None:
    """The count the layers would add once registered: what nn.ModuleList really gives."""
    puzzle = new_puzzle(random.Random(0), "plain_list")
    registered, if_registered = (
        int(line.rsplit(" ", 1)[1]) for line in _printed(puzzle.demo).splitlines()
    )
    fixed = puzzle.demo.replace(puzzle.lines[min(puzzle.bug_lines) - 1], puzzle.fix)
    assert registered < if_registered == int(_printed(fixed).splitlines()[0].rsplit(" ", 1)[1])
    assert "if the layers in the list were registered: " in _printed(puzzle.demo)
