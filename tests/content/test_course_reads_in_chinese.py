"""Every lesson and card deck reads in Chinese with Chinese punctuation, course-wide.

A Chinese QA walk of lessons 07 and 08 found a space after "。" where a bold lead-in ends a
sentence (the renderer shows "名字就是位置编号。 state_dict") and English-style "(输出, 权重)"
around Chinese words; the same slips were in other lessons and cards, so the checks run on every
deck: prose only, since fenced blocks and code spans keep their own spacing and punctuation.
"""

from __future__ import annotations

import re

import pytest

from tests.content.test_diagrams import DECK_FILES, deck_from
from tutor.decks import DeckLibrary, model
from tutor.decks.walk import iter_texts
from tutor.line_breaks import east_asian_markdown

CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
"""Fenced blocks and code spans: code keeps its own spacing and punctuation."""

SPACE_AFTER_CHINESE_STOP = re.compile(r"[。！？；：，](?:\*\*)? +(?=[^\s|])")
"""A full-width mark (a bold lead-in's closing ``**`` may follow it), then a space, then text; a
table cell's closing ``|`` may follow a space."""

ASCII_PARENTHESES_AROUND_CHINESE = re.compile(r"\([^()\n]*[\u4e00-\u9fff][^()\n]*\)")

BOLD_LEFT_OPEN = re.compile(r"\*\*")

RENDERED_CODE = re.compile(r"<code[^>]*>.*?</code>", re.S)
"""Code as Markdown renders it: a fence's ``**kwargs`` is code, not a bold mark left open."""

DECK_FILES_BY_NAME = {f"{file.parent.name}/{file.stem}": file for file in DECK_FILES}
"""Every shipped lesson and card deck, by a name such as ``lessons/04-layers``."""


def deck_of(library: DeckLibrary, deck_file: str) -> model.LessonDeck | model.CardDeck:
    """The lesson or card deck loaded from the file named ``deck_file``."""
    return deck_from(library, DECK_FILES_BY_NAME[deck_file])


def chinese_texts(library: DeckLibrary, deck_file: str) -> list[tuple[str, str]]:
    """``(field path, zh text)`` for every localized text of the deck."""
    return [
        (path, text["zh"])
        for path, text in iter_texts(deck_of(library, deck_file))
        if isinstance(text, dict) and "zh" in text
    ]


def chinese_prose(library: DeckLibrary, deck_file: str) -> list[tuple[str, str]]:
    """``(field path, zh text with its code taken out)`` for every text of the deck."""
    return [(path, CODE.sub("``", text)) for path, text in chinese_texts(library, deck_file)]


@pytest.mark.parametrize("deck_file", sorted(DECK_FILES_BY_NAME))
def test_no_space_follows_a_chinese_full_stop(library: DeckLibrary, deck_file: str) -> None:
    spaced = [
        (path, text[max(found.start() - 12, 0) : found.end() + 12])
        for path, text in chinese_prose(library, deck_file)
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
        for path, text in chinese_texts(library, deck_file)
        if BOLD_LEFT_OPEN.search(RENDERED_CODE.sub("", markdown.render(text)))
    ]
    assert left_as_stars == []


@pytest.mark.parametrize("deck_file", sorted(DECK_FILES_BY_NAME))
def test_chinese_prose_lists_in_full_width_parentheses(
    library: DeckLibrary, deck_file: str
) -> None:
    ascii_parenthesised = [
        (path, found)
        for path, text in chinese_prose(library, deck_file)
        for found in ASCII_PARENTHESES_AROUND_CHINESE.findall(text)
    ]
    assert ascii_parenthesised == []
