"""Bilingual comments in deck code: each language sees its own, and the program is unchanged."""

from __future__ import annotations

import io
import tokenize

from hypothesis import given
from hypothesis import strategies as st

from tutor.decks.code_comments import (
    follow_language,
    localize_comments,
    needs_translation,
    untranslated_comments,
)

ENDS = (tokenize.NEWLINE, tokenize.NL)
CODE = """\
layer = nn.Linear(4, 3)   # owns .weight  #zh: 拥有 .weight
# full-line note  #zh: 整行注释
s = "#zh: inside a string, not a comment"
x = layer(torch.randn(2, 4))  # plain English only
x.shape
"""


def program(code: str) -> list[tuple[int, str, tuple[int, int] | int]]:
    """The tokens Python runs, where they stand: comments left out, and line ends by line only
    (they move with the comment before them)."""
    return [
        (t.type, t.string, t.start[0] if t.type in ENDS else t.start)
        for t in tokenize.generate_tokens(io.StringIO(code).readline)
        if t.type != tokenize.COMMENT
    ]


def test_each_language_sees_its_own_comments():
    english = localize_comments(CODE, "en")
    chinese = localize_comments(CODE, "zh")
    assert "# owns .weight\n" in english and "拥有" not in english
    assert "# 拥有 .weight\n" in chinese and "owns" not in chinese
    assert "# full-line note\n" in english and "# 整行注释\n" in chinese
    for shown in (english, chinese):
        assert '"#zh: inside a string, not a comment"' in shown  # strings are code
        assert "# plain English only" in shown  # no Chinese given: shown as written
        assert program(shown) == program(CODE)  # the same program on the same lines


def test_half_written_code_is_localized_as_far_as_it_tokenizes():
    broken = 'x = 1  # one  #zh: 一\ns = """never closed  #zh: inside the string\n'
    assert localize_comments(broken, "zh") == (
        'x = 1  # 一\ns = """never closed  #zh: inside the string\n'
    )


def test_what_needs_a_translation():
    assert needs_translation("# 0 = padding")
    assert needs_translation("# tie!")
    assert not needs_translation("# tie!  #zh: 绑定权重！")
    for neutral in ("# -> _parameters", "# (3, 4, 3)", "# ValueError", "# 20 + 20 + 5"):
        assert not needs_translation(neutral), neutral
    assert untranslated_comments(CODE) == [(4, 30, "# plain English only")]


words = st.text(st.sampled_from("abc xyz_.()中文"), min_size=1).filter(
    lambda s: s.strip() and "\n" not in s
)


@given(st.lists(st.tuples(words, words), min_size=1, max_size=5))
def test_any_bilingual_comments_keep_the_program(pairs: list[tuple[str, str]]):
    code = "".join(f"v{i} = {i}  # {en}  #zh: {zh}\n" for i, (en, zh) in enumerate(pairs))
    for lang in ("en", "zh"):
        shown = localize_comments(code, lang)
        assert program(shown) == program(code)
        assert "#zh:" not in shown


def test_an_untouched_starter_follows_the_language_and_an_edit_stays():
    template = "x = 1  # one  #zh: 一\n"
    assert follow_language(template, template, "zh") == "x = 1  # 一\n"
    assert follow_language("x = 1  # 一\n", template, "en") == "x = 1  # one\n"
    assert follow_language("x = 2  # 一\n", template, "en") == "x = 2  # 一\n"
