"""``nn-tutor settings`` shows the language it speaks and where that came from, as it shows the
theme kept: the one chosen with f2 in the TUI (kept in the UI state), else the locale's; a
``--lang`` is for its command only, and the line says which language is kept without it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.learning.conftest import FIXTURE_DECKS
from tutor.cli import main as cli_main
from tutor.ui_state import LANG_KEY, UiState


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def settings(
    data: Path, capsys: pytest.CaptureFixture[str], *options: str, as_json: bool = False
) -> str:
    """What ``nn-tutor [options] settings [--json]`` prints on ``data``."""
    command = ["settings", "--json"] if as_json else ["settings"]
    assert (
        cli_main(["--data-dir", str(data), "--decks", str(FIXTURE_DECKS), *options, *command]) == 0
    )
    return capsys.readouterr().out


def lang_line(out: str) -> str:
    [line] = [line for line in out.splitlines() if line.startswith(("Language:", "语言："))]
    return line


def test_the_locales_language_is_said_to_be_the_locales(tmp_path, capsys):
    assert (
        lang_line(settings(tmp_path, capsys))
        == "Language: English (your locale's; f2 in the tutor changes it)"
    )


def test_the_language_chosen_with_f2_is_said_so(tmp_path, capsys):
    UiState(tmp_path).write(LANG_KEY, "zh")
    assert lang_line(settings(tmp_path, capsys)) == "语言：中文（在 tutor 里按 f2 选定）"


@pytest.mark.parametrize(("kept", "without"), [("zh", "中文"), (None, "English")])
def test_lang_is_said_to_be_for_this_command_with_the_language_without_it(
    tmp_path, capsys, kept, without
):
    if kept:
        UiState(tmp_path).write(LANG_KEY, kept)
    assert lang_line(settings(tmp_path, capsys, "--lang", "en")) == (
        f"Language: English (set by --lang for this command; without it: {without})"
    )
    zh = lang_line(settings(tmp_path, capsys, "--lang", "zh"))
    assert zh == f"语言：中文（由 --lang 为这条命令指定；不加它时：{without}）"
    # a space is for a Latin word among Han ones, never between two Han ones
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", zh), zh


@pytest.mark.parametrize(
    ("kept", "options", "shown"),
    [
        (None, [], {"lang": "en", "lang_from": "locale"}),
        ("zh", [], {"lang": "zh", "lang_from": "f2"}),
        ("fr", [], {"lang": "en", "lang_from": "locale"}),  # a hand edit: passed over
        ("zh", ["--lang", "en"], {"lang": "en", "lang_from": "--lang"}),
    ],
)
def test_the_json_says_the_language_and_where_it_came_from(tmp_path, capsys, kept, options, shown):
    if kept:
        UiState(tmp_path).write(LANG_KEY, kept)
    printed = json.loads(settings(tmp_path, capsys, *options, as_json=True))
    assert {key: printed.get(key) for key in shown} == shown
