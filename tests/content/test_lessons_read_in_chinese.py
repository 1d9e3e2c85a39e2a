"""What a Chinese learner reads in every lesson and card deck is Chinese as the rest of the course
writes it.

Punctuation, course-wide: a Chinese QA walk of lessons 07 and 08 found a space after "。" where a
bold lead-in ends a sentence (the renderer shows "名字就是位置编号。 state_dict") and English-style
"(输出, 权重)" around Chinese words; the same slips were in other lessons and cards, so the checks
run on every deck: prose only, since fenced blocks and code spans keep their own spacing and
punctuation. Chinese prose quotes with “…”; QA found lesson 10's vital-signs table saying "关掉"
and lesson 01's diagram saying "可学习".

A docstring cannot carry its Chinese the way a comment does (``#zh:``, see
:mod:`tutor.decks.code_comments`), so the code a learner reads holds no English prose in one: QA
found l10's health monitor, then l03's ``Poly``, explained in Chinese comments under an English
docstring.
"""

from __future__ import annotations

import ast
import html
import re

import pytest

from tests.content.test_diagrams import DECK_FILES, deck_from
from tutor.decks import DeckLibrary, model
from tutor.decks.advice import displayed_code
from tutor.decks.code_comments import needs_translation
from tutor.decks.walk import iter_texts
from tutor.line_breaks import east_asian_markdown, joins_without_space

CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
"""Fenced blocks and code spans: code keeps its own spacing and punctuation."""

SPACE_AFTER_CHINESE_STOP = re.compile(r"[。！？；：，](?:\*\*)? +(?=[^\s|])")
"""A full-width mark (a bold lead-in's closing ``**`` may follow it), then a space, then text; a
table cell's closing ``|`` may follow a space."""

ASCII_PARENTHESES_AROUND_CHINESE = re.compile(r"\([^()\n]*[\u4e00-\u9fff][^()\n]*\)")

ASCII_QUOTED_CHINESE = re.compile(r'"[\u4e00-\u9fff][^"\n]*"')

BOLD_LEFT_OPEN = re.compile(r"\*\*")

RENDERED_CODE = re.compile(r"<code[^>]*>.*?</code>", re.S)
"""Code as Markdown renders it: a fence's ``**kwargs`` is code, not a bold mark left open."""

HTML_TAG = re.compile(r"<[^>]+>")

SPACE_RUN = re.compile(r"(?<=\S) +(?=\S)")
"""Spaces between two characters on a line of rendered text."""

STRAY_SPACE_FIX = (
    "a space shows between Chinese words: take it out. Where it was put there so that a closing "
    "** or * after a bracket or mark still closes (**参数（Parameter）** 是), put the ** or * "
    "right after the Chinese word instead, before the bracket: **参数**（Parameter）是"
)
"""What the author of a deck does about a space Chinese does not have."""

DECK_FILES_BY_NAME = {f"{file.parent.name}/{file.stem}": file for file in DECK_FILES}
"""Every shipped lesson and card deck, by a name such as ``lessons/04-layers``."""


def deck_of(library: DeckLibrary, deck_file: str) -> model.LessonDeck | model.CardDeck:
    """The lesson or card deck loaded from the file named ``deck_file``."""
    return deck_from(library, DECK_FILES_BY_NAME[deck_file])


def chinese_texts(deck: model.LessonDeck | model.CardDeck) -> list[tuple[str, str]]:
    """``(field path, zh text)`` for every localized text of ``deck``."""
    return [
        (path, text["zh"])
        for path, text in iter_texts(deck)
        if isinstance(text, dict) and "zh" in text
    ]


def chinese_prose(deck: model.LessonDeck | model.CardDeck) -> list[tuple[str, str]]:
    """``(field path, zh text with its code taken out)`` for every text of ``deck``."""
    return [(path, CODE.sub("``", text)) for path, text in chinese_texts(deck)]


def docstrings(code: str) -> list[str]:
    """The docstring of ``code`` itself and of each class and function in it."""
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = (
        ast.get_docstring(node) for node in ast.walk(ast.parse(code)) if isinstance(node, kinds)
    )
    return [text for text in found if text]


@pytest.mark.parametrize("deck_file", sorted(DECK_FILES_BY_NAME))
def test_no_space_follows_a_chinese_full_stop(library: DeckLibrary, deck_file: str) -> None:
    spaced = [
        (path, text[max(found.start() - 12, 0) : found.end() + 12])
        for path, text in chinese_prose(deck_of(library, deck_file))
        for found in SPACE_AFTER_CHINESE_STOP.finditer(text)
    ]
    assert spaced == []


@pytest.mark.parametrize("deck_file", sorted(DECK_FILES_BY_NAME))
def test_every_bold_lead_in_still_renders_bold(library: DeckLibrary, deck_file: str) -> None:
    """A closing ``**`` right after "。" and before a letter is no closing mark to a Markdown
    renderer: the "。" goes after the ``**`` instead."""
    markdown = east_asian_markdown()  # the parser the app renders lessons and cards with
    left_as_stars = [
        path
        for path, text in chinese_texts(deck_of(library, deck_file))
        if BOLD_LEFT_OPEN.search(RENDERED_CODE.sub("", markdown.render(text)))
    ]
    assert left_as_stars == []


def shown_text(markdown_text: str) -> str:
    """The words a learner sees of ``markdown_text``, as the app renders it, code left out."""
    rendered = RENDERED_CODE.sub("``", east_asian_markdown().render(markdown_text))
    return html.unescape(HTML_TAG.sub("", rendered))


def spaces_between_chinese(shown: str) -> list[str]:
    """Each space of ``shown`` (rendered text) where Chinese has none, with the text around it:
    the app's own rule (:func:`~tutor.line_breaks.joins_without_space`), which joins lines there
    without one: beside full-width marks (``」 的``, ``参见 《``), between ideographs, and between
    an ideograph and a mark Chinese shares with English (``跑了—— 用``, ``…… 但``)."""
    return [
        shown[max(found.start() - 12, 0) : found.end() + 8]
        for found in SPACE_RUN.finditer(shown)
        if joins_without_space(shown[found.start() - 1], shown[found.end()])
    ]


@pytest.mark.parametrize("deck_file", sorted(DECK_FILES_BY_NAME))
def test_no_space_shows_between_chinese_words(library: DeckLibrary, deck_file: str) -> None:
    """Checked on the rendered text: QA saw "参数（Parameter） 是配方" and "版本变化： 老教程",
    where the space sits after an emphasis's closing ``*``/``**`` (``**参数（Parameter）** 是``),
    which the check on the Markdown source above does not look past."""
    spaced = [
        (path, around)
        for path, text in chinese_texts(deck_of(library, deck_file))
        for around in spaces_between_chinese(shown_text(text))
    ]
    assert spaced == [], STRAY_SPACE_FIX


@pytest.mark.parametrize("deck_file", sorted(DECK_FILES_BY_NAME))
def test_chinese_prose_lists_in_full_width_parentheses(
    library: DeckLibrary, deck_file: str
) -> None:
    ascii_parenthesised = [
        (path, found)
        for path, text in chinese_prose(deck_of(library, deck_file))
        for found in ASCII_PARENTHESES_AROUND_CHINESE.findall(text)
    ]
    assert ascii_parenthesised == []


def test_chinese_prose_quotes_with_chinese_quotation_marks(library: DeckLibrary) -> None:
    quoted = [
        (f"{lesson.id}/{path}", found)
        for lesson in library.lessons
        for path, text in chinese_texts(lesson)
        for found in ASCII_QUOTED_CHINESE.findall(text)
    ]
    assert quoted == []


def test_no_code_a_learner_reads_keeps_english_prose_in_a_docstring(library: DeckLibrary) -> None:
    english = [
        (f"{lesson.id}/{owner.id}.{name}", text)
        for lesson in library.lessons
        for owner, name, code in displayed_code(lesson)
        for text in docstrings(code)
        if needs_translation(f"# {text}")
    ]
    assert english == []
