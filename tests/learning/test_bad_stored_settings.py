"""Saved settings that no longer pass validation do not lock the learner out.

A future fsrs expecting another parameter count, a value out of range, a wrong type or a damaged
JSON value in ``meta``: the commands and the TUI fall back to the defaults for what cannot be
used, say so in one line, and ``nn-tutor settings`` writes a valid value over it.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.learning.tui_helpers import make_app
from tutor.cli import main as cli_main
from tutor.config import TutorConfig
from tutor.learning import Learning
from tutor.learning.service import PARAMETERS_KEY, SETTINGS_KEY

# what each damage does to the stored settings (as SQL on the meta table), and the setting named
DAMAGE = {
    "params_short": (f"INSERT OR REPLACE INTO meta VALUES ('{PARAMETERS_KEY}', '[0.1,0.2,0.3]')",),
    "params_nan": (f"INSERT OR REPLACE INTO meta VALUES ('{PARAMETERS_KEY}', '[NaN,1,2]')",),
    "retention_5": (
        f"UPDATE meta SET value = json_set(value, '$.desired_retention', 5) "
        f"WHERE key = '{SETTINGS_KEY}'",
    ),
    "steps_text": (
        f"UPDATE meta SET value = json_set(value, '$.learning_steps_min', 'soon') "
        f"WHERE key = '{SETTINGS_KEY}'",
    ),
    "not_json": (f"UPDATE meta SET value = '{{not json' WHERE key = '{SETTINGS_KEY}'",),
}


def command(config: TutorConfig, *args: str) -> int:
    base = ["--lang", "en", "--data-dir", str(config.data_dir)]
    return cli_main([*base, "--decks", str(config.deck_paths[0]), *args])


def damage(database: Path, case: str) -> None:
    with sqlite3.connect(database) as conn:
        for statement in DAMAGE[case]:
            conn.execute(statement)
    conn.close()


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request, config: TutorConfig, capsys) -> str:
    """A store whose settings were set (new cards a day: 7), then damaged as ``request.param``."""
    assert command(config, "settings", "--new-per-day", "7") == 0
    damage(config.paths.database, request.param)
    capsys.readouterr()
    return request.param


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def test_commands_fall_back_to_defaults_and_say_so_once(config, damaged, capsys):
    assert command(config, "stats") == 0
    said = one_line(capsys.readouterr().err)
    assert "could not be used" in said and str(config.paths.database) in said

    assert command(config, "settings", "--json") == 0
    out, err = capsys.readouterr()
    assert one_line(err) == said
    shown = json.loads(out)
    assert shown["parameters"] is None  # fsrs' defaults
    if damaged != "not_json":  # what can still be read stays as the learner set it
        assert shown["new_per_day"] == 7


def test_settings_writes_a_valid_value_over_it(config, damaged, capsys):
    assert command(config, "settings", "--retention", "0.85") == 0
    capsys.readouterr()
    assert command(config, "settings", "--json") == 0
    out, err = capsys.readouterr()
    assert err == ""  # repaired: nothing more to say
    assert json.loads(out)["desired_retention"] == 0.85
    with Learning.from_config(config) as learning:
        assert learning.notice is None and learning.settings.desired_retention == 0.85


async def test_the_tui_opens_with_defaults_and_a_notice(config, capsys):
    assert command(config, "settings", "--new-per-day", "7") == 0
    damage(config.paths.database, "retention_5")
    app = make_app(config)
    async with app.run_test(size=(100, 32)) as pilot:
        for _ in range(200):
            if app._learning_settled.is_set():
                break
            await pilot.pause(0.05)
        assert app.learning is not None, app.learning_error
        assert app.learning.settings.desired_retention == 0.9
        assert app.learning.settings.new_per_day == 7

        def warned() -> list[str]:
            return [n.message for n in app._notifications if n.severity == "warning"]

        # the notice is a message the app handles after the store settled (a loaded CI read
        # the notifications before it)
        for _ in range(200):
            if warned():
                break
            await pilot.pause(0.05)
        await pilot.pause()
        assert len(warned()) == 1 and "desired_retention" in warned()[0]
