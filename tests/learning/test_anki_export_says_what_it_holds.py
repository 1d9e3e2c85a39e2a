"""``nn-tutor export-anki`` says truly what the package holds: the cards, those of lessons not
opened yet too, and not the learner's review schedule or history, so Anki starts each card as
new. It said only "Import it in Anki; re-exporting later updates the same notes", and learners
took their reviews to be in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS
from tutor.cli import main as cli_main
from tutor.i18n import tr

SAID = {
    "en": (
        "whether or not you have opened their lesson",
        "not your review schedule or history",
        "Anki starts each as a new card",
    ),
    "zh": ("不论你是否已打开它们所属的课程", "不含你的复习安排和复习记录", "都会从新卡片开始"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_export_says_it_holds_the_cards_not_the_schedule(tmp_path: Path, capsys, lang):
    out = tmp_path / "out.apkg"
    options = ["--data-dir", str(tmp_path / "data"), "--decks", str(FIXTURE_DECKS)]
    assert cli_main([*options, "--lang", lang, "export-anki", str(out)]) == 0
    said = capsys.readouterr().out.strip()
    assert said == tr("export.done", lang, count=4, path=out)
    for words in SAID[lang]:
        assert words in said
