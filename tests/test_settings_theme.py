"""``nn-tutor settings`` shows the theme the TUI will start in and sets it (``--theme``), in the
UI state the TUI's palette keeps it in; a name the palette does not offer changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS
from tutor.cli import main as cli_main
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.theme_styles import DEFAULT_THEME, THEMES
from tutor.ui_state import THEME_VARIABLE, UiState


@pytest.fixture(autouse=True)
def no_theme_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(THEME_VARIABLE, raising=False)


def cli(data: Path, *args: str, lang: str = "en") -> int:
    return cli_main(["--data-dir", str(data), "--decks", str(FIXTURE_DECKS), "--lang", lang, *args])


def shown_theme(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_settings_shows_the_default_theme_then_the_one_set(tmp_path, capsys):
    assert cli(tmp_path, "settings") == 0
    assert shown_theme(capsys.readouterr().out) == f"Theme: {DEFAULT_THEME}"
    assert cli(tmp_path, "settings", "--theme", "solarized-light") == 0
    assert shown_theme(capsys.readouterr().out) == "Theme: solarized-light"
    assert UiState(tmp_path).read() == {"theme": "solarized-light"}
    assert cli(tmp_path, "settings", "--json") == 0
    assert json.loads(capsys.readouterr().out)["theme"] == "solarized-light"


def test_the_theme_set_keeps_what_else_the_ui_state_holds(tmp_path, capsys):
    (tmp_path / "ui-state.json").write_text(json.dumps({"last_lesson": "tensors"}))
    assert cli(tmp_path, "settings", "--theme", "nord") == 0
    assert UiState(tmp_path).read() == {"last_lesson": "tensors", "theme": "nord"}


def test_the_tui_starts_in_the_theme_set(tmp_path, capsys):
    from tutor.app import TutorApp

    assert cli(tmp_path, "settings", "--theme", "gruvbox") == 0
    config = TutorConfig.resolve(data_dir=tmp_path, decks=[FIXTURE_DECKS], lang="en")
    assert TutorApp(config, autostart_sandbox=False, open_learning=False).theme == "gruvbox"


def test_a_theme_the_palette_does_not_offer_is_refused_with_the_choices(tmp_path, capsys):
    (tmp_path / "ui-state.json").write_text(json.dumps({"theme": "nord"}))
    assert cli(tmp_path, "settings", "--theme", "Dracula") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("nn-tutor settings: there is no theme 'Dracula'")
    assert "did you mean 'dracula'?" in line
    assert line.endswith(", ".join(THEMES))
    assert UiState(tmp_path).read() == {"theme": "nord"}  # unchanged


def test_a_name_like_no_theme_gets_no_guess_and_changes_no_other_setting(tmp_path, capsys):
    assert cli(tmp_path, "settings", "--theme", "xyzzy", "--retention", "0.8") == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "did you mean" not in line and "xyzzy" in line
    assert not (tmp_path / "ui-state.json").exists()
    assert cli(tmp_path, "settings", "--json") == 0
    assert json.loads(capsys.readouterr().out)["desired_retention"] != 0.8


def test_the_theme_variable_is_said_to_override_the_one_kept(tmp_path, capsys, monkeypatch):
    assert cli(tmp_path, "settings", "--theme", "nord") == 0
    capsys.readouterr()
    monkeypatch.setenv(THEME_VARIABLE, "dracula")
    assert cli(tmp_path, "settings") == 0
    assert shown_theme(capsys.readouterr().out) == tr(
        "settings.theme_overridden", "en", theme="dracula", variable=THEME_VARIABLE, kept="nord"
    )
    monkeypatch.setenv(THEME_VARIABLE, "no-such-theme")  # the TUI passes it over: so does this
    assert cli(tmp_path, "settings") == 0
    assert shown_theme(capsys.readouterr().out) == "Theme: nord"


def test_the_theme_is_said_in_chinese(tmp_path, capsys):
    assert cli(tmp_path, "settings", "--theme", "nord", lang="zh") == 0
    assert shown_theme(capsys.readouterr().out) == "主题：nord"
    assert cli(tmp_path, "settings", "--theme", "Nord", lang="zh") == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("nn-tutor settings：没有“Nord”这个主题（你想输入的是“nord”吗？）")


def test_a_ui_state_that_cannot_be_written_is_said_in_one_line(tmp_path, capsys):
    (tmp_path / "ui-state.json").mkdir()  # a folder where the file goes: no write replaces it
    assert cli(tmp_path, "settings", "--theme", "nord") == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("The theme was not saved in ") and "ui-state.json" in line


@pytest.mark.parametrize("kept", ["{not json", "null", "[1, 2]", '"nord"'])
def test_a_damaged_or_odd_ui_state_reads_as_empty_and_is_written_over(tmp_path, capsys, kept):
    (tmp_path / "ui-state.json").write_text(kept, encoding="utf-8")
    assert UiState(tmp_path).read() == {}
    assert cli(tmp_path, "settings") == 0
    assert shown_theme(capsys.readouterr().out) == f"Theme: {DEFAULT_THEME}"
    assert cli(tmp_path, "settings", "--theme", "nord") == 0
    assert UiState(tmp_path).read() == {"theme": "nord"}


@pytest.mark.parametrize("more", [[], ["--retention", "0.85"]])
def test_a_store_that_cannot_be_opened_leaves_the_theme_as_it_was(tmp_path, capsys, more):
    """The command fails (exit 1) and changes nothing: the theme is kept only once the store
    has opened and taken the other changes."""
    (tmp_path / "ui-state.json").write_text(json.dumps({"theme": "gruvbox"}))
    (tmp_path / "progress.sqlite3").mkdir()  # a folder where the database goes
    assert cli(tmp_path, "settings", "--theme", "nord", *more) == 1
    assert "progress database" in capsys.readouterr().err
    assert UiState(tmp_path).read() == {"theme": "gruvbox"}
