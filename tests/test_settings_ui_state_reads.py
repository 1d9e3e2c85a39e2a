"""``nn-tutor settings`` reads ui-state.json once: the read that finds the language kept with
f2 (before every command) serves the theme and where the language came from too. Saving a
theme reads the file again, on purpose: it merges what another process wrote meanwhile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.learning.conftest import FIXTURE_DECKS
from tutor.cli import main as cli_main
from tutor.ui_state import LANG_KEY, UiState


@pytest.mark.parametrize(
    ("options", "command", "reads"),
    [
        ([], ["settings"], 1),
        (["--lang", "en"], ["settings"], 1),
        ([], ["settings", "--theme", "nord"], 2),  # the second merges before writing
    ],
)
def test_settings_reads_the_ui_state_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    command: list[str],
    reads: int,
) -> None:
    UiState(tmp_path).write(LANG_KEY, "zh")
    read = UiState.read
    counted: list[Path] = []

    def counting_read(self: UiState) -> dict[str, Any]:
        counted.append(self.path)
        return read(self)

    monkeypatch.setattr(UiState, "read", counting_read)
    argv = ["--data-dir", str(tmp_path), "--decks", str(FIXTURE_DECKS), *options, *command]
    assert cli_main(argv) == 0
    assert len(counted) == reads
    out = capsys.readouterr().out
    # what was read still reaches the output: the language kept, where no --lang overrides it
    assert ("语言" in out) == (not options)
