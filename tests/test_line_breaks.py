"""Chinese line breaking: Rich and Textual wrap between characters, keep punctuation and code
whole, and wrap text without Chinese exactly as before."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich import _wrap
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.content import Content

from tutor import line_breaks
from tutor.learning.anki_export import markdown_html
from tutor.line_breaks import CJK_WORD, east_asian_markdown
from tutor.widgets.prose import ProseMarkdown

RICH_WORD = re.compile(r"\s*\S+\s*")  # Rich's own splitter, as the module replaced it
CLOSING = set("，。、；：！？）」』】")
OPENING = set("（「『【“")

PARAGRAPH = (
    "所谓“状态”，就是在两次调用之间一直存在的东西：可学习的参数（parameter）、不可学习的缓冲区"
    "（buffer，比如 BatchNorm 的滑动均值）、子模块，以及训练模式标志。F 里的函数一样都没有：它没法"
    "被保存、没法搬到 GPU、也没法切到训练模式——因为里面根本没有东西可存、可搬。层有 Linear、Conv2d、"
    "Embedding、Dropout、RNN，用 model.to(device) 搬到设备上。"
)


def split(pattern: re.Pattern[str], text: str) -> list[str]:
    words, position = [], 0
    while (match := pattern.match(text, position)) is not None:
        words.append(match.group(0))
        position = match.end()
    return words


@pytest.fixture(autouse=True)
def installed() -> None:
    assert line_breaks.install(), "this Rich has no rich._wrap.re_word to replace"
    assert _wrap.re_word is CJK_WORD


def wrap(text: str, width: int) -> list[str]:
    console = Console(width=width, file=None, color_system=None)
    return [line.plain for line in Text(text).wrap(console, width)]


def test_a_chinese_paragraph_fills_its_lines():
    for width in (24, 37, 60):
        lines = wrap(PARAGRAPH, width)
        assert "".join(lines).replace(" ", "") == PARAGRAPH.replace(" ", "")
        for line, following in itertools.pairwise(lines):
            # Greedy: a line ends early only where the next word would not have fitted.
            first_word = split(CJK_WORD, following)[0].rstrip()
            assert cell_len(line) + cell_len(first_word) > width, (width, lines)
        for line in lines:
            assert cell_len(line) <= width
            assert line[0] not in CLOSING and line.rstrip()[-1] not in OPENING, lines
        for word in ("Embedding、", "Dropout、", "BatchNorm", "model.to(device)", "parameter"):
            assert any(word in line for line in lines), (word, lines)


def test_ragged_lines_are_gone():
    """Before, everything from "GPU、" to the "。" was one word and jumped to a new line."""
    lines = wrap(
        "它没法被保存、没法搬到 GPU、也没法切到训练模式——因为里面根本没有东西可存、可搬。", 30
    )
    assert [cell_len(line) for line in lines[:-1]] == [30] * (len(lines) - 1)


def test_textual_content_wraps_the_same_way():
    lines = Content(PARAGRAPH).wrap(37)
    assert [line.plain.rstrip() for line in lines] == [x.rstrip() for x in wrap(PARAGRAPH, 37)]


chinese = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
marks = st.sampled_from(sorted(CLOSING | OPENING | set("…—”’·“‘()[]{}%.,;:!?")))
latin = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
spaces = st.sampled_from([" ", "\n", "\t", "\u3000"])


@given(st.text(st.one_of(latin, spaces, st.sampled_from(list("…—”’·“‘é🔬")))))
def test_text_without_chinese_splits_as_rich_did(text: str):
    assert split(CJK_WORD, text) == split(RICH_WORD, text)


@given(st.text(st.one_of(chinese, marks, latin, spaces)))
def test_words_tile_the_text_and_never_strand_a_mark(text: str):
    words = split(CJK_WORD, text)
    assert "".join(words) == (text if text.strip() else "")
    position = 0
    for word in words[:-1]:
        position += len(word)
        before, after = text[position - 1], text[position]
        if not before.isspace():  # a break where no space was: between Chinese characters
            assert after not in CLOSING, (before, after, words)
            assert before not in OPENING, (before, after, words)


ZH_PARAGRAPH = (
    "代码里，`nn` 就是 `torch.nn`，都已经导入好了。\n今天的**核心思想**\n一句话就能说完。"
)


def test_markdown_joins_chinese_lines_without_a_space():
    html = east_asian_markdown().render(
        f"{ZH_PARAGRAPH}\nEnglish words\nstay apart, and 中文\nafter English too.\n\n"
        "```\n中文一行\n中文二行\n```\n"
    )
    # after full-width punctuation no space, even before a Latin word; between English, one
    assert "导入好了。今天的<strong>核心思想</strong>一句话就能说完。English words\nstay" in html
    assert "中文\nafter English" in html  # a space between Chinese and English stays
    assert "<code>中文一行\n中文二行\n</code>" in html  # code keeps its lines


def test_markdown_joins_beside_full_width_marks_and_keeps_korean_apart():
    html = east_asian_markdown().render(
        "可以切片），\nModuleList 是配电盘——\n以及\n한국어 문장\n다음 줄"
    )
    assert "可以切片），ModuleList 是配电盘——以及\n한국어 문장\n다음 줄" in html


@pytest.mark.parametrize(
    ("before", "after", "joins"),
    [
        ("字", "字", True),
        ("，", "M", True),  # after full-width punctuation, even before a Latin word
        ("a", "（", True),
        ("—", "以", True),  # a mark Chinese shares with English, beside an ideograph
        ("字", "“", True),
        ("字", "M", False),  # Chinese and a Latin word keep their space
        ("a", "b", False),
        ("—", "—", False),
        ("어", "다", False),  # Korean breaks at spaces, as English does
        ("", "字", False),
    ],
)
def test_which_line_breaks_chinese_drops(before, after, joins):
    assert line_breaks.joins_without_space(before, after) is joins


def test_folded_lines_lose_only_the_folds():
    """YAML folds ``>`` lines with a space; only those spaces go, never one written in a line."""
    written = ['    用 `print("你好 世界")` 打印，', "    然后再看", "    ModuleList 一行", "  "]
    value = '用 `print("你好 世界")` 打印， 然后再看 ModuleList 一行'
    assert (
        line_breaks.join_folded_lines(value, written)
        == '用 `print("你好 世界")` 打印，然后再看 ModuleList 一行'
    )
    # the lines after the scalar, or text that is not its lines, change nothing
    assert line_breaks.join_folded_lines("一 二", ["next: key"]) == "一 二"


def test_anki_export_joins_chinese_lines_too():
    assert "导入好了。今天的" in markdown_html(ZH_PARAGRAPH)


async def test_lesson_prose_shows_chinese_without_stray_spaces():
    from textual.app import App, ComposeResult

    class ProseApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ProseMarkdown(ZH_PARAGRAPH)

    app = ProseApp()
    async with app.run_test(size=(80, 8)) as pilot:
        await pilot.pause()
        paragraph = app.query_one(ProseMarkdown).query("MarkdownParagraph").first()
        text = str(paragraph.render())  # what the paragraph block wraps and draws
        assert "导入好了。今天的核心思想一句话就能说完。" in text
