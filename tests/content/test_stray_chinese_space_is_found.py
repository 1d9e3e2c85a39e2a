"""The course-wide check for a space shown between Chinese words
(``test_no_space_shows_between_chinese_words``) finds every such space the app's own line
joining would leave out, on text as the app renders it: the slips QA reverted to, and those its
first, hand-written character class missed (after —— and ……, around 「」 and 《》, QA round 47);
a space between Chinese and code, a Latin word or a number stays."""

from __future__ import annotations

import pytest

from .test_lessons_read_in_chinese import shown_text, spaces_between_chinese

STRAY = {
    "bold lead-in": "- **参数（Parameter）** 是*配方*——训练过程",
    "italic lead-in": "🕰️ *版本变化：* 老教程会把张量包进 `Variable`。",
    "bold lead-in before an emoji": "**groups（分组）** 把通道切成互不相干的几份 🍰：",
    "italic quote": "这就是经典的\n*“expected all tensors to be on the same device”* 报错。",
    "between bold words": "**参数** **缓冲区**",
    "in a link's text": "见 [文档](https://x) 一节",
    "after an em dash": "起始代码让 GRU 连填充也一起跑了—— 用打包来修正它",
    "after an ellipsis": "换成 `(N, L, ·)`…… 但**不会**改变",
    "before a book title": "参见 《深度学习》一书",
    "after a corner bracket": "叫做「参数」 的东西",
    "before a single quote": "所谓 ‘缓冲区’",
    "beside an extension-A ideograph": "\u3400 字",
}
KEPT = {
    "code": "调用 `model.eval()` 之后",
    "a Latin word": "用 Module 来做",
    "a number": "第 2 层",
    "a table's cells": "| 参数 | 缓冲区 |\n|---|---|\n| 配方 | 账本 |",
    "a hard break": "第一行  \n第二行",
}


@pytest.mark.parametrize("markdown_text", STRAY.values(), ids=STRAY.keys())
def test_a_space_chinese_has_not_is_found(markdown_text: str) -> None:
    assert spaces_between_chinese(shown_text(markdown_text)), shown_text(markdown_text)


@pytest.mark.parametrize("markdown_text", KEPT.values(), ids=KEPT.keys())
def test_a_space_beside_code_latin_or_a_number_is_kept(markdown_text: str) -> None:
    assert spaces_between_chinese(shown_text(markdown_text)) == []
