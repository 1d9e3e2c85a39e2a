"""The language the learner gave on the command line is the one an error in another global
option is said in (``nn-tutor --lang zh --data-dir``, its value forgotten)."""

from __future__ import annotations

import pytest

from tutor.cli import main
from tutor.i18n import tr


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    """A locale of no Chinese: the error in Chinese can only come from ``--lang zh``."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)


def _error(capsys, argv: list[str]) -> str:
    """What the command line says for ``argv`` (an error: exit status 2)."""
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--lang", "zh", "--data-dir"],
        ["--lang", "zh", "--decks"],
        ["--data-dir", "--lang", "zh", "stats"],  # --lang given after the broken option
        ["--lang=zh", "--decks"],
    ],
)
def test_a_broken_global_option_is_said_in_the_language_given(capsys, argv):
    """It was said in the locale's English ("nn-tutor: error: argument --data-dir: expected one
    argument"), while ``nn-tutor --lang zh run --device`` was said in Chinese."""
    err = _error(capsys, argv)
    assert err.startswith(tr("cli.usage", "zh")), err
    assert tr("cli.error.one_argument", "zh") in err, err
    assert "error:" not in err and "usage:" not in err, err


@pytest.mark.parametrize(
    "argv",
    [["--lang", "fr"], ["--lang", "fr", "--data-dir"], ["--lang", "zh", "--lang", "fr"]],
)
def test_a_bad_lang_is_still_said_in_the_locales_language(capsys, argv):
    """A language the tutor does not have gives none: the error about it is the locale's."""
    err = _error(capsys, argv)
    assert err.startswith("usage:") and "argument --lang: invalid choice: 'fr'" in err, err


def test_a_lang_after_the_command_is_not_the_global_one(capsys):
    """What follows the command is the command's (here an option ``stats`` does not have): it
    sets no language for an error in the global options before it."""
    err = _error(capsys, ["--decks", "--data-dir", "x", "stats", "--lang", "zh"])
    assert err.startswith("usage:") and "expected one argument" in err, err
