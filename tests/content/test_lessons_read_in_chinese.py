"""What a Chinese learner reads in every lesson is Chinese as the rest of the course writes it.

A docstring cannot carry its Chinese the way a comment does (``#zh:``, see
:mod:`tutor.decks.code_comments`), so the code a learner reads holds no English prose in one: QA
found l10's health monitor, then l03's ``Poly``, explained in Chinese comments under an English
docstring. Chinese prose quotes with “…”; QA found lesson 10's vital-signs table saying "关掉" and
lesson 01's diagram saying "可学习".
"""

from __future__ import annotations

import ast
import re

from tutor.decks import DeckLibrary
from tutor.decks.advice import displayed_code
from tutor.decks.code_comments import needs_translation
from tutor.decks.walk import iter_texts

ASCII_QUOTED_CHINESE = re.compile(r'"[\u4e00-\u9fff][^"\n]*"')


def docstrings(code: str) -> list[str]:
    """The docstring of ``code`` itself and of each class and function in it."""
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    found = (
        ast.get_docstring(node) for node in ast.walk(ast.parse(code)) if isinstance(node, kinds)
    )
    return [text for text in found if text]


def test_no_code_a_learner_reads_keeps_english_prose_in_a_docstring(library: DeckLibrary) -> None:
    english = [
        (f"{lesson.id}/{owner.id}.{name}", text)
        for lesson in library.lessons
        for owner, name, code in displayed_code(lesson)
        for text in docstrings(code)
        if needs_translation(f"# {text}")
    ]
    assert english == []


def test_chinese_prose_quotes_with_chinese_quotation_marks(library: DeckLibrary) -> None:
    quoted = [
        (f"{lesson.id}/{path}", found)
        for lesson in library.lessons
        for path, text in iter_texts(lesson)
        if isinstance(text, dict)
        for found in ASCII_QUOTED_CHINESE.findall(text.get("zh", ""))
    ]
    assert quoted == []
