"""``nn-tutor stats --json`` gives a flagged card's front beside its id, as plain text in the
learner's language (as ``nn-tutor stats`` and the Stats screen name it), and ``null`` for a card
no deck has any more; the keys it had (``card_id``, ``note``, ``at``) stay for scripts."""

from __future__ import annotations

import json

import pytest

from tutor.cli import main as cli_main
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.learning import Learning

BIAS_SHOWN = {"en": "What is bias with bias=False?", "zh": "bias=False 时 bias 是什么？"}
GONE = "tensors.card-dropped"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_stats_json_gives_each_flagged_cards_front(
    config: TutorConfig, library: DeckLibrary, capsys, lang
):
    with Learning.open(config, library) as learning:
        learning.flag("tensors.card-bias", "two answers fit")
        learning.flag(GONE)
    options = ["--data-dir", str(config.data_dir), "--decks", str(config.deck_paths[0])]
    assert cli_main([*options, "--lang", lang, "stats", "--json"]) == 0
    flagged = {flag["card_id"]: flag for flag in json.loads(capsys.readouterr().out)["flagged"]}
    assert set(flagged) == {"tensors.card-bias", GONE}
    bias = flagged["tensors.card-bias"]
    assert bias["front"] == BIAS_SHOWN[lang]
    assert bias["note"] == "two answers fit" and bias["at"]
    assert flagged[GONE]["front"] is None
