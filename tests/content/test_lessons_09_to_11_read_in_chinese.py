"""What a Chinese learner reads in lessons 09–11 is Chinese as the rest of the course writes it.

A docstring cannot carry its Chinese the way a comment does (``#zh:``, see
:mod:`tutor.decks.code_comments`), so the code a learner reads holds no English prose in one: QA
found l10's health monitor explained in Chinese comments under an English docstring. Chinese prose
quotes with “…”, as the other lessons do; QA found lesson 10's vital-signs table saying "关掉".
"""

from __future__ import annotations

import ast
import re

import pytest

from tutor.decks import DeckLibrary, model
from tutor.decks.advice import displayed_code
from tutor.decks.code_comments import needs_translation
from tutor.decks.walk import iter_texts

LESSONS = ("state-dict", "debugging", "attention")

ASCII_QUOTED_CHINESE = re.compile(r'"[\u4e00-\u9fff][^"\n]*"')


def lesson(library: DeckLibrary, lesson_id: str) -> model.LessonDeck:
    deck = library.lesson(lesson_id)
    assert deck is not None, lesson_id
    return deck


def docstrings(code: str) -> list[str]:
    """The docstring of ``code`` itself and of each class and function in it."""
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = (
        ast.get_docstring(node) for node in ast.walk(ast.parse(code)) if isinstance(node, kinds)
    )
    return [text for text in found if text]


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_no_code_a_learner_reads_keeps_english_prose_in_a_docstring(
    library: DeckLibrary, lesson_id: str
) -> None:
    english = [
        (f"{owner.id}.{name}", text)
        for owner, name, code in displayed_code(lesson(library, lesson_id))
        for text in docstrings(code)
        if needs_translation(f"# {text}")
    ]
    assert english == []


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_chinese_prose_quotes_with_chinese_quotation_marks(
    library: DeckLibrary, lesson_id: str
) -> None:
    quoted = [
        (path, found)
        for path, text in iter_texts(lesson(library, lesson_id))
        if isinstance(text, dict)
        for found in ASCII_QUOTED_CHINESE.findall(text.get("zh", ""))
    ]
    assert quoted == []
