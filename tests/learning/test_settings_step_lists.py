"""``nn-tutor settings --learning-steps / --relearning-steps``: an empty item between commas is
refused (``1,,2`` was kept as "1, 2", exit 0), a blank list means no steps, as the help says, and
FSRS then schedules in days at once."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from tests.learning.test_settings_cli import _settings
from tutor.cli import main as cli_main
from tutor.learning import Learning


def stored(config, capsys) -> dict:
    """The settings as ``settings --json`` shows them."""
    capsys.readouterr()
    assert _settings(config, "--json") == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("option", ["--learning-steps", "--relearning-steps"])
@pytest.mark.parametrize("value", ["1,,2", "1,", ",10", "1, ,2"])
def test_an_empty_step_between_commas_is_refused(config, capsys, option, value):
    before = stored(config, capsys)
    assert _settings(config, option, value) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert option in err and f"'{value}'" in err and "empty step" in err
    assert stored(config, capsys) == before


def test_the_empty_step_is_said_in_chinese(config, capsys):
    args = ["--lang", "zh", "--data-dir", str(config.data_dir), "settings"]
    assert cli_main([*args, "--relearning-steps", "1,,2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("nn-tutor settings：--relearning-steps") and "“1,,2”" in err
    words = re.sub(r"--[a-z-]+", "", err.removeprefix("nn-tutor settings："))
    assert not re.search(r"[A-Za-z]{3,}", words), err


def test_a_word_for_a_step_names_the_option(config, capsys):
    assert _settings(config, "--relearning-steps", "a,b") == 2
    assert "--relearning-steps: steps must be minutes" in capsys.readouterr().err


def test_a_blank_list_means_no_steps_and_fsrs_schedules_in_days(config, library, clock, capsys):
    assert _settings(config, "--learning-steps", "", "--relearning-steps", " ") == 0
    shown = stored(config, capsys)
    assert shown["learning_steps_min"] == [] and shown["relearning_steps_min"] == []
    with Learning.open(config, library, clock=clock) as learning:
        learning.rate("tensors.card-count", 1)  # Again on a new card: no step to repeat it on
        assert learning.next_due() - clock.now() >= timedelta(days=1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_help_says_a_blank_list_means_no_steps(capsys, lang):
    with pytest.raises(SystemExit):
        cli_main(["--lang", lang, "settings", "--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps the help
    assert text.count("''") == 2, text
