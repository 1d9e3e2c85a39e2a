"""Lessons 07 and 08 read in Chinese as they do in English, from a Chinese QA walk of both.

QA found a space after "。" where a bold lead-in ends a sentence (the renderer shows
"名字就是位置编号。 state_dict"), an English-style "autocast(前向, 损失)" in Chinese prose, and
l08.ex-evaluate's third hint and solution comment saying only "子模块说了算": the English says why
(``m.train()`` switches a module's children too, so each child is restored after its parent and
its own flag is the one that stays). Two check messages read as word-for-word English: l07's
failed ``load_state_dict`` and l08's saved-but-rebuilt table.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from sandbox import Sandbox
from tutor.decks import DeckLibrary, model
from tutor.decks.code_comments import localize_comments
from tutor.decks.walk import iter_texts

from .test_exercise_hints_nudge import exercise
from .test_lesson_wording import lesson

LESSONS = ["07-containers", "08-modes-devices"]

CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
"""Fenced blocks and code spans: code keeps its own spacing and punctuation."""

SPACE_AFTER_CHINESE_STOP = re.compile(r"[。！？；：，](?:\*\*)? +(?=[^\s|])")
"""A full-width mark (a bold lead-in's closing ``**`` may follow it), then a space, then text; a
table cell's closing ``|`` may follow a space."""

ASCII_PARENTHESES_AROUND_CHINESE = re.compile(r"\([^()\n]*[\u4e00-\u9fff][^()\n]*\)")

BOLD_LEFT_OPEN = re.compile(r"\*\*")


def chinese_prose(library: DeckLibrary, file_stem: str) -> list[tuple[str, str]]:
    """``(field path, zh text with its code taken out)`` for every text of the lesson."""
    return [
        (path, CODE.sub("``", text["zh"]))
        for path, text in iter_texts(lesson(library, file_stem))
        if isinstance(text, dict) and "zh" in text
    ]


@pytest.mark.parametrize("file_stem", LESSONS)
def test_no_space_follows_a_chinese_full_stop(library: DeckLibrary, file_stem: str) -> None:
    spaced = [
        (path, text[max(found.start() - 12, 0) : found.end() + 12])
        for path, text in chinese_prose(library, file_stem)
        for found in SPACE_AFTER_CHINESE_STOP.finditer(text)
    ]
    assert spaced == []


@pytest.mark.parametrize("file_stem", LESSONS)
def test_every_bold_lead_in_still_renders_bold(library: DeckLibrary, file_stem: str) -> None:
    """A closing ``**`` right after "。" and before a letter is no closing mark to a Markdown
    renderer: the "。" goes after the ``**`` instead."""
    markdown = MarkdownIt("commonmark")
    left_as_stars = [
        path
        for path, text in iter_texts(lesson(library, file_stem))
        if isinstance(text, dict) and "zh" in text
        if BOLD_LEFT_OPEN.search(CODE.sub("", markdown.render(text["zh"])))
    ]
    assert left_as_stars == []


@pytest.mark.parametrize("file_stem", LESSONS)
def test_chinese_prose_lists_in_full_width_parentheses(
    library: DeckLibrary, file_stem: str
) -> None:
    ascii_parenthesised = [
        (path, found)
        for path, text in chinese_prose(library, file_stem)
        for found in ASCII_PARENTHESES_AROUND_CHINESE.findall(text)
    ]
    assert ascii_parenthesised == []


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
    step: model.ExerciseStep = exercise(library, exercise_id)
    result = sb.run(code, device="cpu", check=step.check)
    assert result.check is not None and not result.ok, (result.status, result.error)
    message = result.check.message
    assert isinstance(message, dict), message
    assert chinese in message["zh"], message["zh"]
