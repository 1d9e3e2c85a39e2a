"""``nn-tutor --decks FOLDER validate``: a deck that names a lesson of the course --decks replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import main
from tutor.i18n import tr

DECK = """\
format: 1
kind: lesson
id: my-lesson
title: Mine
summary: A lesson of mine.
prerequisites: [{prerequisite}]
steps:
  - type: text
    body: hi
"""


def _folder(tmp_path: Path, prerequisite: str) -> Path:
    folder = tmp_path / "my decks"
    folder.mkdir()
    (folder / "my.yaml").write_text(DECK.format(prerequisite=prerequisite), encoding="utf-8")
    return folder


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_shipped_lesson_named_under_decks_is_explained_with_the_command_that_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    folder = _folder(tmp_path, "modes-devices")
    data = str(tmp_path / "data")
    assert main(["--lang", lang, "--data-dir", data, "--decks", str(folder), "validate"]) == 1
    err = capsys.readouterr().err.splitlines()
    command = f"nn-tutor validate '{folder}'"
    said = tr(
        "validate.replaced_course", lang, ids="'modes-devices'", count=1, folders=f"'{folder}'"
    )
    assert err[-1] == said and command in said
    # the command it gives checks the deck beside the course: all valid
    assert main(["--lang", lang, "--data-dir", data, "validate", str(folder)]) == 0


def test_a_lesson_no_course_has_gets_no_such_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(tmp_path, "no-such-lesson")
    data = str(tmp_path / "data")
    assert main(["--lang", "en", "--data-dir", data, "--decks", str(folder), "validate"]) == 1
    err = capsys.readouterr().err
    assert "unknown lesson 'no-such-lesson'" in err and "--decks replaced" not in err
