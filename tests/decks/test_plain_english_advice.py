"""Advice for prose written as one plain string (QA pass 5): a Chinese learner reads an English
question, prompt or hint as written, and an exercise check's plain assert message too; a plain
label or bit of code is the same in every language and gets none."""

from __future__ import annotations

from pathlib import Path

from tutor.decks import DeckLoader
from tutor.decks.advice import deck_advice, is_prose

DECK = """\
format: 1
kind: lesson
id: plain
title: plain
summary: {en: "Plain strings.", zh: "普通字符串。"}
steps:
  - type: quiz
    kind: single
    id: plain.q
    question: What does `nn.Dropout(0.5)` do in eval mode, pick one?
    options:
      - text: "`nn.Identity()`"
        why: {en: "Right.", zh: "对。"}
      - text: {en: "It zeroes half the entries", zh: "把一半元素清零"}
        why: {en: "Train mode.", zh: "训练模式。"}
    answer: a
    verify: |
      assert True
  - type: exercise
    id: plain.ex
    title: {en: "Switch it off", zh: "关掉它"}
    prompt: {en: "Make `net` deterministic.", zh: "让 `net` 的输出确定。"}
    starter: |
      net = nn.Dropout(0.5)
    check: |
      assert not net.training, "net is still in training mode"
      assert net is not None, "eval"
      assert net(torch.ones(2)).sum() == 2, {"en": "two calls still differ", "zh": "仍不同"}
      assert net.p == 0.5, f"p is {net.p}, not what the starter set it to"
    solution: |
      net = nn.Dropout(0.5).eval()
    hints:
      - Which mode turns dropout off, do you think?
"""


def _advice(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "plain.yaml"
    path.write_text(DECK, encoding="utf-8")
    library = DeckLoader([path]).load()
    assert library.ok, library.errors
    return path, [str(a) for a in deck_advice(library)]


def _place(needle: str) -> tuple[int, int]:
    """(line, 1-based column) where ``needle`` starts in the deck."""
    for number, line in enumerate(DECK.splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


PLAIN = (
    "advice: this text is one plain string, so every learner reads it as written, whatever "
    "their language; write it with en: and zh: keys"
)
PLAIN_ASSERT = (
    "advice: this assert's message is one plain string, so every learner reads it as written, "
    'whatever their language; give a dict with "en" and "zh" keys'
)


def test_plain_prose_gets_advice_at_its_place(tmp_path: Path) -> None:
    path, advice = _advice(tmp_path)
    question = _place("What does")
    hint = _place("Which mode")
    assert f"{path}:{question[0]}:{question[1]}: steps[0].question: {PLAIN}" in advice
    assert f"{path}:{hint[0]}:{hint[1]}: steps[1].hints[0]: {PLAIN}" in advice


def test_plain_assert_messages_in_a_check_get_advice(tmp_path: Path) -> None:
    path, advice = _advice(tmp_path)
    first = _place('"net is still')
    fstring = _place('f"p is')
    assert f"{path}:{first[0]}:{first[1]}: plain.ex.check: {PLAIN_ASSERT}" in advice
    assert f"{path}:{fstring[0]}:{fstring[1]}: plain.ex.check: {PLAIN_ASSERT}" in advice


def test_labels_code_and_bilingual_texts_get_none(tmp_path: Path) -> None:
    _, advice = _advice(tmp_path)
    # the title "plain", the option "`nn.Identity()`", the short "eval", the dict message
    assert len(advice) == 4, "\n".join(advice)


def test_prose_is_words_outside_inline_code() -> None:
    assert is_prose("What does this code print here?")
    assert not is_prose("`nn.Linear(2, 3, bias=False)` and `x.shape`")
    assert not is_prose("Four words only here")


def test_code_and_shapes_are_no_words() -> None:
    """A token with code characters in it is no word: shapes and calls stay plain."""
    assert not is_prose("torch.Size([1, 2, 3, 4, 5])")
    assert not is_prose("(2, 3, 4, 5, 6)")
    assert not is_prose("F.pad(x, (1, 1, 2, 2))")
    assert is_prose('"Hello," she said, don\'t you think?')


def test_chinese_prose_counts_by_its_characters() -> None:
    assert is_prose("这个张量的形状是什么？")
    assert not is_prose("张量的形状")
    assert not is_prose("`这个张量的形状是什么`")  # inline code is left out


SHAPES = """\
format: 1
kind: lesson
id: shapes
title: shapes
summary: {en: "Shapes.", zh: "形状。"}
steps:
  - type: quiz
    kind: single
    id: shapes.q
    question: {en: "What is y.shape?", zh: "y.shape 是什么？"}
    options:
      - text: "torch.Size([1, 2, 3, 4, 5])"
        why: {en: "Right.", zh: "对。"}
      - text: "(2, 3, 4, 5, 6)"
        why: 这个形状的元素个数不对。
    answer: a
    verify: |
      assert True
"""


def test_a_shape_option_gets_none_and_plain_chinese_prose_gets_advice(tmp_path: Path) -> None:
    path = tmp_path / "shapes.yaml"
    path.write_text(SHAPES, encoding="utf-8")
    library = DeckLoader([path]).load()
    assert library.ok, library.errors
    advice = [str(a) for a in deck_advice(library)]
    why = next(n for n, line in enumerate(SHAPES.splitlines(), start=1) if "这个形状" in line)
    assert advice == [f"{path}:{why}:14: steps[0].options[1].why: {PLAIN}"]
