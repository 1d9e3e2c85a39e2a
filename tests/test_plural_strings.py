"""Counted words read "1 problem" and "2 problems", never "problem(s)", through the real catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import main as cli_main
from tutor.i18n import LANGS, catalog_keys, tr

BROKEN = Path(__file__).parent / "tui" / "fixtures" / "broken"  # one deck with one problem


@pytest.mark.parametrize(
    ("key", "one", "many"),
    [
        ("validate.advice", "1 piece of advice above", "2 pieces of advice above"),
        ("validate.problems", "1 problem", "2 problems"),
    ],
)
def test_count_strings_agree_with_their_count(key: str, one: str, many: str) -> None:
    assert one in tr(key, "en", count=1)
    assert many in tr(key, "en", count=2)
    assert many.replace("2", "0", 1) in tr(key, "en", count=0)


def test_validate_counts_problems_and_advice_each() -> None:
    said = tr("validate.problems_and_advice", "en", count=1, advice=2)
    assert said == "1 problem and 2 pieces of advice"
    said = tr("validate.problems_and_advice", "en", count=2, advice=1)
    assert said == "2 problems and 1 piece of advice"


def test_validate_counts_each_kind_of_thing_it_read() -> None:
    one = dict.fromkeys(("lessons", "card_decks", "cards", "quiz_items", "exercises"), 1)
    said = tr("validate.ok", "en", **one)
    assert said.startswith("1 lesson, 1 card deck, 1 card, 1 quiz item, 1 exercise:"), said
    many = tr("validate.ok", "en", **dict.fromkeys(one, 2))
    assert many.startswith("2 lessons, 2 card decks, 2 cards, 2 quiz items, 2 exercises:"), many


def test_check_summary_counts_deck_errors() -> None:
    values = {"passed": 5, "failed": 0, "skipped": 1, "seconds": "0.3"}
    assert "; 1 deck error;" in tr("check.summary", "en", errors=1, **values)
    assert "; 0 deck errors;" in tr("check.summary", "en", errors=0, **values)
    assert "; 3 deck errors;" in tr("check.summary", "en", errors=3, **values)


def test_home_problems_counts_decks_and_problems_each() -> None:
    assert tr("home.problems", "en", skipped=1, errors=1) == "1 deck skipped, 1 problem"
    assert tr("home.problems", "en", skipped=2, errors=1) == "2 decks skipped, 1 problem"
    assert tr("home.problems", "en", skipped=1, errors=3) == "1 deck skipped, 3 problems"
    assert tr("home.problems", "en", skipped=0, errors=0) == "0 decks skipped, 0 problems"


def test_chinese_has_no_plural_and_keeps_the_number() -> None:
    assert tr("home.problems", "zh", skipped=1, errors=2) == "跳过 1 个卡组，2 个问题"
    found = tr("validate.problems", "zh", count=2)
    assert tr("validate.failed", "zh", found=found) == "发现 2 个问题；其余卡组照常加载。"
    assert "卡组错误 1 个" in tr(
        "check.summary", "zh", passed=1, failed=0, skipped=0, errors=1, seconds="0.1"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_no_catalog_string_hedges_a_plural(lang: str) -> None:
    hedged = [key for key in catalog_keys() if "(s)" in tr(key, lang)]
    assert hedged == [], "use {n:one|other} instead of '(s)'"


def test_validate_says_one_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["--lang", "en", "validate", str(BROKEN)]) == 1
    err = capsys.readouterr().err
    assert "1 problem found; no deck loaded." in err
    assert "(s)" not in err
