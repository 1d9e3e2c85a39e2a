"""F2's language is kept for the next start, as the palette's theme is: a Chinese learner on an
English machine pressed F2 at every start. ``--lang`` wins for its session and leaves the kept
choice as it was; every command speaks the kept language (``nn-tutor settings`` here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.tui.conftest import DECKS, FakeSandbox, scripted, wait_for
from tutor import cli
from tutor.app import TutorApp
from tutor.i18n import Lang, tr
from tutor.ui_state import LANG_KEY, UiState


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")


def started(data: Path, monkeypatch: pytest.MonkeyPatch, *options: str) -> TutorApp:
    """The app ``nn-tutor [options]`` starts on ``data``, built by the command line itself but
    not run (the test drives it), with a scripted sandbox in place of a real one."""
    built: list[TutorApp] = []
    monkeypatch.setattr(cli, "missing_terminal", lambda args: None)
    monkeypatch.setattr(TutorApp, "run", lambda app, *args, **kwargs: built.append(app))
    assert cli.main(["--data-dir", str(data), "--decks", str(DECKS), *options]) == 0
    app = built[-1]
    app.autostart_sandbox = False
    app.sandbox, app.cuda = FakeSandbox(scripted), False
    return app


async def switched_with_f2(app: TutorApp) -> None:
    async with app.run_test() as pilot:
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.lang is Lang.ZH)
        await pilot.press("ctrl+q")


async def test_the_language_chosen_with_f2_is_the_next_starts(tmp_path, monkeypatch):
    first = started(tmp_path, monkeypatch)
    assert first.lang is Lang.EN  # the locale's
    await switched_with_f2(first)
    assert started(tmp_path, monkeypatch).lang is Lang.ZH


async def test_lang_wins_for_its_session_and_leaves_the_choice_kept(tmp_path, monkeypatch):
    await switched_with_f2(started(tmp_path, monkeypatch))
    assert started(tmp_path, monkeypatch, "--lang", "en").lang is Lang.EN
    assert UiState(tmp_path).read()[LANG_KEY] == "zh"
    assert started(tmp_path, monkeypatch).lang is Lang.ZH


async def test_f2_after_lang_is_kept(tmp_path, monkeypatch):
    """F2 is the learner's own choice, even in a session that ``--lang`` started."""
    await switched_with_f2(started(tmp_path, monkeypatch, "--lang", "en"))
    assert started(tmp_path, monkeypatch).lang is Lang.ZH


@pytest.mark.parametrize("kept", ["fr", 3, None])
def test_a_kept_value_that_is_no_language_leaves_the_locales(tmp_path, monkeypatch, kept):
    UiState(tmp_path).write(LANG_KEY, kept)  # type: ignore[arg-type]  # a hand edit
    assert started(tmp_path, monkeypatch).lang is Lang.EN


def test_commands_speak_the_kept_language_unless_lang_says(tmp_path, capsys):
    UiState(tmp_path).write(LANG_KEY, "zh")
    options = ["--data-dir", str(tmp_path), "--decks", str(DECKS)]
    theme_zh = tr("settings.theme", Lang.ZH, theme="")
    assert cli.main([*options, "settings"]) == 0
    assert theme_zh in capsys.readouterr().out
    assert cli.main([*options, "--lang", "en", "settings"]) == 0
    assert theme_zh not in capsys.readouterr().out


def test_the_command_line_still_starts_without_textual() -> None:
    """Reading the kept language before every command must not import Textual: ``nn-tutor
    validate`` never pays for it (:mod:`tutor.cli`)."""
    probe = "import sys, tutor.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
