"""``nn-tutor settings`` changes what the scheduler really uses, and refuses nonsense."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tutor.cli import main as cli_main
from tutor.learning import Learning


def _settings(config, *args: str) -> int:
    return cli_main(
        [
            "--data-dir",
            str(config.data_dir),
            "--decks",
            str(config.deck_paths[0]),
            "settings",
            *args,
        ]
    )


def test_changes_persist_and_reach_the_scheduler(config, library, clock, capsys):
    assert _settings(config, "--retention", "0.8", "--learning-steps", "2,20", "--no-fuzz") == 0
    capsys.readouterr()
    assert _settings(config, "--new-per-day", "5", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["desired_retention"] == 0.8 and shown["new_per_day"] == 5
    assert shown["learning_steps_min"] == [2.0, 20.0] and shown["enable_fuzzing"] is False

    with Learning.open(config, library, clock=clock) as learning:
        assert learning.settings.desired_retention == 0.8
        learning.rate("tensors.card-count", 3)  # Good on a new card: on to the second step
        assert learning.next_due() - clock.now() == timedelta(minutes=20)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--retention", "1.5"], "between 0.70 and 0.99"),
        (["--learning-steps", "a,b"], "minutes separated by commas"),
        (["--relearning-steps", "-3"], "positive minutes"),
        (["--learning-steps", "1,nan"], "positive minutes"),
        (["--learning-steps", "inf"], "positive minutes"),
        (["--relearning-steps", "1e12"], "at most 525600"),
        (["--max-interval", "10000000"], "1 to 36500 days"),
        (["--max-interval", "0"], "1 to 36500 days"),
        (["--new-per-day", "-1"], "(--new-per-day) must be 0 or more"),
    ],
)
def test_bad_values_are_one_line_errors_and_change_nothing(config, capsys, args, message):
    assert _settings(config, *args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert _settings(config, "--json") == 0
    assert json.loads(capsys.readouterr().out)["desired_retention"] == 0.9


def test_text_output_in_both_languages(config, capsys):
    assert _settings(config) == 0
    assert "Desired retention: 0.90" in capsys.readouterr().out
    assert cli_main(["--lang", "zh", "--data-dir", str(config.data_dir), "settings"]) == 0
    assert "目标记忆保持率：0.90" in capsys.readouterr().out


def test_text_shows_the_retention_as_stored_not_rounded(config, capsys):
    """0.875 is kept and scheduled with as 0.875; the text says so rather than 0.88."""
    assert _settings(config, "--retention", "0.875") == 0
    assert "Desired retention: 0.875\n" in capsys.readouterr().out
    assert cli_main(["--lang", "zh", "--data-dir", str(config.data_dir), "settings"]) == 0
    assert "目标记忆保持率：0.875\n" in capsys.readouterr().out
