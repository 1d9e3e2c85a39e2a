"""Advice for deck authors: wide diagrams and untranslated code comments, named by file and line,
printed by ``nn-tutor validate`` without failing it."""

from __future__ import annotations

import json
from pathlib import Path

from tutor.cli import main as cli_main
from tutor.decks import DeckLoader
from tutor.decks.advice import DIAGRAM_WIDTH, deck_advice

WIDE = "─" * (DIAGRAM_WIDTH + 1)
DECK = f"""\
format: 1
kind: lesson
id: advised
title: {{en: "Advised", zh: "有建议"}}
summary: {{en: "Advice.", zh: "建议。"}}
steps:
  - type: text
    body:
      en: |
        A diagram:

        ```
        {"─" * DIAGRAM_WIDTH}
        {WIDE}
        ```
      zh: "图。"
  - type: code
    id: advised.snip
    code: |
      x = 1  # one  #zh: 一
      y = 2  # two
      z = (3, 4)  # (N, C)
      x + y
"""


def write_deck(tmp_path: Path, text: str = DECK, name: str = "advised.yaml") -> Path:
    """A deck file of ``text`` for an advice test to load."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_advice_names_the_file_line_and_field(tmp_path: Path):
    path = write_deck(tmp_path)
    library = DeckLoader([path]).load()
    assert library.ok, library.errors
    lines = DECK.splitlines()
    wide_line = lines.index(f"        {WIDE}") + 1
    comment_line = next(n for n, line in enumerate(lines, start=1) if line.endswith("# two"))
    comment_column = lines[comment_line - 1].index("# two") + 1
    advice = [str(a) for a in deck_advice(library)]
    assert advice == [
        f"{path}:{wide_line}:1: advice: this diagram line is {DIAGRAM_WIDTH + 1} cells wide; a "
        f"lesson shows {DIAGRAM_WIDTH} at 100 columns, so it scrolls",
        f"{path}:{comment_line}:{comment_column}: advised.snip.code: advice: this comment has no Chinese "
        "(add '#zh: …'): # two",
    ]


def test_validate_prints_advice_and_still_passes(tmp_path: Path, capsys):
    path = write_deck(tmp_path)
    assert cli_main(["--lang", "en", "validate", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "all valid" in out and "2 pieces of advice above" in out
    assert err.count("advice:") == 2
    assert cli_main(["--lang", "en", "validate", "--json", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["advice"]) == 2 and report["errors"] == []


def test_tilde_fences_and_longer_fences_are_read_as_markdown_reads_them(tmp_path: Path):
    """A ``~~~`` fence is a fence (its wide line went unadvised), and a ```` ``` ```` line inside
    a ``~~~~`` fence is a line of it, not its end (the lines after it went unadvised)."""
    text = DECK.replace("```", "~~~").replace(
        '      zh: "图。"',
        "      zh: |\n        ~~~~\n        ```\n"
        f"        {WIDE}\n        ```\n        {WIDE}\n        ~~~~\n",
    )
    library = DeckLoader([write_deck(tmp_path, text, "tilde.yaml")]).load()
    assert library.ok, library.errors
    wide_lines = [n for n, line in enumerate(text.splitlines(), start=1) if WIDE in line]
    advised = [a.line for a in deck_advice(library) if "diagram" in str(a)]
    assert advised == wide_lines and len(wide_lines) == 3
