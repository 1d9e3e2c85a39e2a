"""Lessons 07 and 08 read in Chinese as they do in English, from a Chinese QA walk of both.

QA found l08.ex-evaluate's third hint and solution comment saying only "子模块说了算": the
English says why (``m.train()`` switches a module's children too, so each child is restored
after its parent and its own flag is the one that stays). Two check messages read as
word-for-word English: l07's failed ``load_state_dict`` and l08's saved-but-rebuilt table.
(QA's typography finds, a space after "。" and ASCII brackets around Chinese words, are checked
course-wide in ``test_lessons_read_in_chinese.py``.)
"""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary
from tutor.decks.code_comments import localize_comments

from .test_exercise_alternatives import failed_check_message
from .test_exercise_hints_nudge import exercise


def test_evaluate_says_why_each_child_is_restored_after_its_parent(library: DeckLibrary) -> None:
    step = exercise(library, "l08.ex-evaluate")
    restore_hint = step.hints[2]
    assert isinstance(restore_hint, dict)
    english, chinese = restore_hint["en"], restore_hint["zh"]
    assert "each child gets the last word" in english, english
    for words in ("`m.train(mode)`", "会连带切换子模块", "子模块要后恢复", "它自己的标志为准"):
        assert words in chinese, f"hint 3 does not say {words!r}: {chinese!r}"
    comment = next(
        line for line in localize_comments(step.solution, "zh").splitlines() if "父模块在前" in line
    )
    assert "子模块后恢复" in comment and "它自己的标志为准" in comment, comment


NAMED_CHECKPOINT_OF_OTHER_WIDTHS = (
    "from collections import OrderedDict\n"
    "autoencoder = nn.Sequential(OrderedDict(\n"
    "    encoder=nn.Linear(3, 6), act=nn.ReLU(), decoder=nn.Linear(6, 3)))\n"
)
PERSISTENT_BUFFER = (
    "class PositionalBias(nn.Module):\n"
    "    def __init__(self, length=5):\n"
    "        super().__init__()\n"
    '        self.register_buffer("offsets", torch.linspace(-1.0, 1.0, length))\n\n'
    "    def forward(self, x):\n"
    "        return x + self.offsets\n"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("exercise_id", "code", "chinese"),
    [
        (
            "l07.ex-named-checkpoint",
            NAMED_CHECKPOINT_OF_OTHER_WIDTHS,
            "加载按 Linear(6, 3) 和 Linear(3, 6) 保存的 checkpoint 时，load_state_dict(ckpt) 失败了",
        ),
        (
            "l08.ex-buffer-follows",
            PERSISTENT_BUFFER,
            "每个 checkpoint 都会多存一张表，而这张表 __init__ 本来就会重新生成",
        ),
    ],
    ids=["l07-checkpoint-of-other-widths", "l08-buffer-saved"],
)
def test_the_check_says_it_in_chinese_word_order(
    exercise_id: str, code: str, chinese: str, library: DeckLibrary, sb: Sandbox
) -> None:
    message = failed_check_message(code, exercise(library, exercise_id), sb)
    assert isinstance(message, dict), message
    assert chinese in message["zh"], message["zh"]
