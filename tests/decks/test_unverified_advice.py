"""Advice on a card or quiz with no ``verify`` block: nothing checks its claim on the installed
torch, and ``nn-tutor check`` runs only what is there, so ``nn-tutor validate`` names each one by
file, line, column and field. A predict quiz (its snippet runs) and an exercise (its solution and
starter run) are checked by running already: no advice for them."""

from __future__ import annotations

from pathlib import Path

from tests.decks.test_advice import write_deck
from tutor.cli import main as cli_main
from tutor.decks import DeckLoader
from tutor.decks.advice import deck_advice, unverified_claims

ADVICE_EN = (
    "advice: this has no verify block, so nothing checks its claim on the installed torch; "
    "add a verify that asserts it"
)
ADVICE_ZH = "建议：这里没有 verify 块，所以没有任何代码在已安装的 torch 上检验它的说法"

LESSON = """\
format: 1
kind: lesson
id: unproven
title: {en: "Unproven", zh: "未证明"}
summary: {en: "Claims.", zh: "说法。"}
steps:
  - type: text
    body: {en: "Read.", zh: "读。"}
  - type: quiz
    kind: single
    id: unproven.single
    question: {en: "Which?", zh: "哪个？"}
    options:
      - {text: "a", why: {en: "Yes.", zh: "是。"}}
      - {text: "b", why: {en: "No.", zh: "不是。"}}
    answer: a
  - type: quiz
    kind: predict
    id: unproven.predict
    question: {en: "Prints?", zh: "打印什么？"}
    code: |
      print(1)
    why: {en: "One.", zh: "一。"}
  - type: quiz
    kind: true_false
    id: unproven.proven
    question: {en: "True?", zh: "对吗？"}
    answer: true
    why: {en: "Yes.", zh: "是。"}
    verify: |
      assert nn.Linear(2, 3).weight.shape == (3, 2)
  - type: exercise
    id: unproven.ex
    title: {en: "Ex", zh: "练习"}
    prompt: {en: "Set y.", zh: "设置 y。"}
    starter: |
      y = 0
    check: |
      assert y == 1, {"en": "y is not 1", "zh": "y 不是 1"}
    solution: |
      y = 1
  - type: card
    id: unproven.card
    front: {en: "Front?", zh: "正面？"}
    back: {en: "Back.", zh: "背面。"}
  - type: quiz
    kind: order
    id: unproven.order
    question: {en: "Order?", zh: "顺序？"}
    items:
      - {text: "one"}
      - {text: "two"}
"""

CARDS = """\
format: 1
kind: cards
id: unproven-cards
title: {en: "Cards", zh: "卡片"}
cards:
  - id: unproven-cards.proven
    front: {en: "Proven?", zh: "证明了？"}
    back: {en: "Yes.", zh: "是。"}
    verify: |
      assert nn.ReLU()(torch.tensor([-1.0])).item() == 0.0
  - id: unproven-cards.bare
    front: {en: "Bare?", zh: "没证明？"}
    back: {en: "Yes.", zh: "是。"}
"""


def _place(text: str, first_line: str) -> tuple[int, int]:
    """The (line, column) of the one item whose first line reads ``first_line``: where its
    mapping's first key starts, 1-based, as errors and advice name an item's own place."""
    return text.splitlines().index(first_line) + 1, first_line.index("- ") + 3


def test_each_unverified_card_and_quiz_is_advised_by_file_line_column_and_field(
    tmp_path: Path,
) -> None:
    lesson = write_deck(tmp_path, LESSON, "unproven.yaml")
    cards = write_deck(tmp_path, CARDS, "unproven-cards.yaml")
    library = DeckLoader([lesson, cards]).load()
    assert library.ok, library.errors
    # each step's place: its ``type:`` key, past the "  - "
    steps = [(n, 5) for n, line in enumerate(LESSON.splitlines(), 1) if line.startswith("  - ")]
    advised = [
        (lesson, *steps[1], "steps[1].verify"),  # the single-choice quiz
        (lesson, *steps[5], "steps[5].verify"),  # the card step
        (lesson, *steps[6], "steps[6].verify"),  # the order quiz
        (cards, *_place(CARDS, "  - id: unproven-cards.bare"), "cards[1].verify"),
    ]
    got = [(a.file, a.line, a.column, a.path, a.message) for a in deck_advice(library)]
    assert sorted(got) == sorted((*place, ADVICE_EN) for place in advised)


def test_the_rule_names_each_item_once_with_its_path_in_the_file(tmp_path: Path) -> None:
    """The rule the shipped course's own test uses: the items themselves, predict and exercise
    left out (they run), a verified quiz or card left out."""
    lesson = write_deck(tmp_path, LESSON, "unproven.yaml")
    cards = write_deck(tmp_path, CARDS, "unproven-cards.yaml")
    library = DeckLoader([lesson, cards]).load()
    named = [
        (item.id, path)
        for deck in [*library.lessons, *library.card_decks]
        for item, path in unverified_claims(deck)
    ]
    assert named == [
        ("unproven.single", "steps[1]"),
        ("unproven.card", "steps[5]"),
        ("unproven.order", "steps[6]"),
        ("unproven-cards.bare", "cards[1]"),
    ]


def test_validate_prints_the_advice_in_both_languages_and_still_passes(
    tmp_path: Path, capsys
) -> None:
    cards = write_deck(tmp_path, CARDS, "unproven-cards.yaml")
    line, column = _place(CARDS, "  - id: unproven-cards.bare")
    where = f"{cards}:{line}:{column}: cards[1].verify: "
    assert cli_main(["--lang", "en", "validate", str(cards)]) == 0
    err = capsys.readouterr().err
    assert where + ADVICE_EN in err.splitlines()
    assert cli_main(["--lang", "zh", "validate", str(cards)]) == 0
    err = capsys.readouterr().err
    assert any(line.startswith(where + ADVICE_ZH) for line in err.splitlines()), err
