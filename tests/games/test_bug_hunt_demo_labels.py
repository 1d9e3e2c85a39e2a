"""Bug Hunt's demos print their labels in the learner's language: in Chinese the code still
runs on torch and prints the same values, each behind its Chinese label with no space after its
full-width colon ("已注册的参数个数：1234"). Only the lines the demo adds say them so: the
puzzle's own code keeps any words a label shares with it."""

from __future__ import annotations

import contextlib
import dataclasses
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
        for printed, lang in ((english, "en"), (chinese, "zh")):
            # each line: its label, then the value with no space of the code's own in between
            for label, line in zip(puzzle.labels, printed.splitlines(), strict=True):
                assert re.fullmatch(re.escape(label.text(lang)) + r"\d[\d.]*", line), line
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


@pytest.mark.parametrize("kind", ["plain_list", "double_softmax"])
def test_a_labels_english_in_the_puzzles_own_code_is_left_alone(kind: str) -> None:
    """A puzzle whose own code prints, or comments on, a label's English keeps it: only the
    harness's prints are said in the learner's language."""
    puzzle = new_puzzle(random.Random(0), kind)
    _, harness = puzzle.harness
    first_print = next(line for line in harness.splitlines() if line.startswith("print("))
    own = f"# {puzzle.labels[0].text('en')} as the code says it\n{first_print}\n"
    quoting = dataclasses.replace(puzzle, code=puzzle.code + own, demo=puzzle.code + own + harness)
    chinese = quoting.labelled(quoting.demo, "zh")
    assert chinese.startswith(quoting.code)  # the puzzle's own lines, as written
    assert puzzle.labels[0].text("zh") in chinese[len(quoting.code) :]
