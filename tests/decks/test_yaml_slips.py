"""A YAML syntax error is told as the slip a deck author made, with its fix, in their language."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.decks.yaml_source import DeckSourceError, parse_tree

# text -> (line, field path, words of the English message, words of the Chinese one)
SLIPS = {
    "a:\n  en: Note: mind the colon\n": (2, "a", "a ': ' where no key can start", "含有“: ”的文本"),
    'a:\n  en: "quoted" and more\n': (2, "a", "text goes on after the value ended", "却还有文字"),
    "a:\n  en: 'it's'\n": (2, "a", "write ' as '' inside '…'", "把 ' 写成 ''"),
    "a:\n  en: one\n zh: two\n": (
        3,
        "",
        "does not line up with the keys above",
        "没有和上面的键对齐",
    ),
    "a:\n  - one\n  b: 1\n": (
        3,
        "a[1]",
        "lined up with the keys of the item above",
        "既不是新的列表项",
    ),
    'a:\n  en: "never closed\n  zh: x\nb: 1\n': (
        5,
        "a.en",
        "the quoted text that starts at line 2 is never closed",
        "从第 2 行开始的引号文本没有闭合",
    ),
    "a:\n  en: `code` first\n": (
        2,
        "a.en",
        "cannot start with '`' unless it is quoted",
        "'`' 开头",
    ),
    "a:\n  en: **bold** first\n": (2, "a.en", "cannot start with '*'", "'*' 开头"),
    "a:\n  en: - dash first\n": (2, "a.en", "cannot start with '- '", "'- ' 开头"),
    'a:\n  en: "C:\\path"\n': (2, "a.en", "write \\\\ for a backslash", "反斜杠请写成 \\\\"),
    "tags: [a, b\nmin: 3\n": (
        2,
        "tags[2]",
        "the [ list that starts at line 1",
        "[ 列表没有用 ] 闭合",
    ),
    "t: {en: x, zh: y\nmin: 3\n": (2, "t", "the '{' mapping that starts at line 1", "'{' 映射"),
    "a:\n  en: |\n    block\n  stray\n  zh: z\n": (
        5,
        "a",
        "line 4 is neither 'key: value' nor part of a text",
        "第 4 行既不是“键: 值”",
    ),
    "a:\n  en: | text\n": (2, "a.en", "only a comment may follow | or >", "只能跟注释"),
    # inside a one-line {…} or […] that is closed: never "not closed" (review of the change)
    't: {en: "He said "hi" to me", zh: "x"}\n': (
        1,
        "t",
        "does not end where it should",
        "没有在该结束的地方结束",
    ),
    "t: {en: 'it's here', zh: x}\n": (1, "t", "write ' as '' inside", "把 ' 写成 ''"),
    't: {en: "x" zh: "y"}\n': (1, "t", "a comma missing between entries", "缺了逗号"),
    'r: ["a" "b"]\n': (1, "r[1]", "an entry inside {…} / […]", "{…} / […] 里有一项"),
    "a:\n  body: |x| is the norm\n": (2, "a.body", "starts with | or > goes in quotes", "请加引号"),
    "title {en: x, zh: y}\nmin: 3\n": (1, "", "the key 'title' needs ': '", "键 'title' 后面"),
    'title:{en: "x", zh: "y"}\nmin: 3\n': (1, "", "the key 'title' needs ': '", "一个半角冒号"),
    'a: "C:\\Users\\me"\n': (1, "a", "write \\\\ for a backslash", "反斜杠请写成"),
    # a plain text's next line holding ': ' is no key without its colon
    "body:\n  en: this is a long\n    text continued: more\n": (
        3,
        "body",
        "holding ': '",
        "含有“: ”",
    ),
    # QA of the slips: a quote left open reads on and fails further down, on a line that is fine
    'a:\n  en: "no closing quote\n  zh: "x"\nb: 1\n': (
        3,
        "a",
        "the quote opened on line 2",
        "第 2 行",
    ),
    't: {en: "x", zh: "y}\nb:\n  c: "d"\n': (3, "t", "the quote opened on line 1", "第 1 行"),
    # an unclosed [ before a line holding its own list is not an entry running on
    "tags: [a, b\nmin: [c]\n": (
        2,
        "tags[2]",
        "the [ list that starts at line 1",
        "列表没有用 ] 闭合",
    ),
    "a: [1, 2]]\n": (1, "", "a stray ']'", "多了一个 ']'"),
    "a:\n  answer:b\n  why: w\n": (3, "", "the key 'answer' needs ': '", "键 'answer'"),
    'a:\n  zh："x"\n  b: 1\n': (3, "", "the key 'zh' needs ': '", "半角冒号"),
    # not a common slip: the parser's own words, inside a sentence in the learner's language
    "a: !x!y z\n": (
        1,
        "a",
        "YAML syntax error: while parsing a node",
        "YAML 语法错误：while parsing",
    ),
}


def _error(text: str) -> DeckSourceError:
    with pytest.raises(DeckSourceError) as caught:
        parse_tree(Path("deck.yaml"), text)
    return caught.value


@pytest.mark.parametrize("text", sorted(SLIPS))
def test_a_yaml_slip_is_named_with_its_fix_at_its_line_and_field(text: str) -> None:
    line, path, english, chinese = SLIPS[text]
    error = _error(text).error
    assert (error.line, error.path) == (line, path)
    assert english in error.message_in("en")
    assert chinese in error.message_in("zh")
    assert error.message_in("zh").startswith("YAML 语法错误：")
