"""Flagged cards are named by their fronts, in the learner's language, on the stats screen and in
``nn-tutor stats`` (they were listed by id, "🚩 tensors.card-bias", which a learner cannot tell
apart); a long front is cut with … to keep to a line, and a card no deck has any more keeps its
id, said to be gone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.learning.conftest import FIXTURE_DECKS, load_library
from tests.learning.test_stats_screen import open_stats
from tests.learning.tui_helpers import make_app
from tutor.cli import main as cli_main
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.i18n import localize, tr
from tutor.learning import Learning
from tutor.stats_text import FRONT_CELLS

BIAS_FRONT = {"en": "What is `bias` with `bias=False`?", "zh": "`bias=False` 时 `bias` 是什么？"}
GONE = "tensors.card-dropped"


def flagged_lines(out: str, lang: str) -> list[str]:
    """The lines listed under the flagged cards' heading of ``nn-tutor stats``."""
    lines = out.splitlines()
    start = lines.index(tr("stats.flagged", lang, count=2)) + 1
    listed = lines[start : start + 2]
    assert all(line.startswith("  ") for line in listed)
    return [line.strip() for line in listed]


def stats_text(config: TutorConfig, lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    options = ["--data-dir", str(config.data_dir), "--decks", str(config.deck_paths[0])]
    assert cli_main([*options, "--lang", lang, "stats"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nn_tutor_stats_names_a_flagged_card_by_its_front(
    config: TutorConfig, library: DeckLibrary, capsys, lang
):
    with Learning.open(config, library) as learning:
        learning.flag(GONE)
        learning.flag("tensors.card-bias", "two answers fit")
    assert flagged_lines(stats_text(config, lang, capsys), lang) == [
        tr("stats.flagged_note", lang, card=BIAS_FRONT[lang], note="two answers fit"),
        tr("stats.flagged_gone", lang, card_id=GONE),
    ]


def test_a_long_front_is_cut_to_a_line(tmp_path: Path, capsys):
    decks = tmp_path / "decks"
    shutil.copytree(FIXTURE_DECKS, decks)
    cards = decks / "cards-tensors.yaml"
    long_front = "Which of these " + "very " * 30 + "long\\nwords is the card about?"
    text = cards.read_text(encoding="utf-8")
    cards.write_text(text.replace(BIAS_FRONT["en"], long_front), encoding="utf-8")
    config = TutorConfig.resolve(data_dir=tmp_path / "data", decks=[decks], lang="en")
    with Learning.open(config, load_library(decks)) as learning:
        learning.flag("tensors.card-bias")
        learning.flag("tensors.card-count")
    shown = flagged_lines(stats_text(config, "en", capsys), "en")[1]
    assert shown.startswith("Which of these very very") and shown.endswith("…")
    assert cell_len(shown) == FRONT_CELLS


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_stats_screen_names_a_flagged_card_by_its_front(config, lang):
    app = make_app(config, lang=lang)
    async with app.run_test(size=(110, 44)) as pilot:
        _, screen = await open_stats(pilot, app)
        cards = str(screen.query_one("#stats-cards").render())
    front = localize(BIAS_FRONT, lang)
    assert tr("stats.flagged_note", lang, card=front, note="two answers fit") in cards
    assert "tensors.card-bias" not in cards
