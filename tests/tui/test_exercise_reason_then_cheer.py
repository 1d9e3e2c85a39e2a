"""A failed exercise's reason and the cheer under it read as two sentences: a check's reason
that ends without a stop ("shape is (4, 5), expected (4, 3)") gets its language's full stop,
while one that ends in a printed value (a tensor over several lines) is left as it is."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from textual.widgets import Static

from tutor.widgets.step_base import cheer, closed_sentence

from .conftest import check_exercise, make_app, open_exercise

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
TWIN = "l01.ex-functional-twin"
WRONG_SHAPE = "def my_linear(x, layer):\n    return x\n"  # the check: "shape is (4, 5), ..."


@pytest.mark.parametrize(
    ("lang", "reason"),
    [("en", "shape is (4, 5), expected (4, 3)."), ("zh", "形状是 (4, 5)，应为 (4, 3)。")],
)
async def test_a_reason_without_a_stop_ends_its_sentence_before_the_cheer(
    tmp_path, real_sandbox, lang, reason
):
    app = make_app(tmp_path, lang, sandbox=real_sandbox(), decks=[LESSONS])
    async with app.run_test(size=(110, 45)) as pilot:
        view = await open_exercise(pilot, TWIN)
        await check_exercise(pilot, view, WRONG_SHAPE)
        said = view.query_one(".feedback", Static).content.plain
        encouragement = cheer("wrong", f"{TWIN}:{view.state['attempts']}", lang)
        # the reason's sentence ends, then the cheer begins its own line
        assert f"{reason}\n{encouragement}" in said


@pytest.mark.parametrize(
    ("reason", "closed"),
    [
        ("got 3", "got 3."),
        ("loss was tensor(3.)", "loss was tensor(3.)."),  # a number's point ends no sentence
        ("ReLU? (see above.)", "ReLU? (see above.)"),  # the stop inside the brackets ends it
        ("write nn.Linear(3, 1, ...)", "write nn.Linear(3, 1, ...)."),  # code's dots do not
        ("forget to `return` it?", "forget to `return` it?"),
        ("use `nn.Linear`", "use `nn.Linear`."),
        (
            "不要调用这个层本身：用它的张量去调用 F.linear",
            "不要调用这个层本身：用它的张量去调用 F.linear。",
        ),
        ("x（在你的代码第 2 行引发）", "x（在你的代码第 2 行引发）。"),
        ("wait…", "wait…"),
        (
            "it got\nnothing\nits size must follow max_len",
            "it got\nnothing\nits size must follow max_len.",
        ),
        ("", ""),
    ],
)
def test_a_reason_is_closed_by_its_languages_stop(reason, closed):
    lang = "zh" if closed.endswith("。") else "en"  # the language it would be shown in
    assert closed_sentence(reason, lang) == closed


def test_a_reason_ending_in_a_printed_value_is_left_as_it_is():
    """Lesson 11's check says "…, got" and the tensor on the lines below: a stop after its last
    bracket would read as part of the value."""
    causal = torch.ones(3, 3, dtype=torch.bool).triu(1)
    for reason in (f"causal should be True above the diagonal, got\n{causal}", f"got\n{[1, 2]}"):
        assert closed_sentence(reason, "en") == reason
    fenced = "your code:\n```\nx = 1\n```"
    assert closed_sentence(fenced, "en") == fenced
