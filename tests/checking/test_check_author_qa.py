"""``nn-tutor check`` on slips a new deck author made (QA pass 5): a predict quiz whose printed
line changes from run to run, an exercise check naming what nothing defines, and a long check
that said nothing on a terminal while it ran."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.checking.names import undefined_names

DECK = """\
kind: lesson
id: qa
title: QA
summary: s
steps:
  - type: quiz
    kind: predict
    id: qa.random
    question: q
    code: |
      print(nn.Dropout(0.5)(torch.ones(64)).tolist())  # two runs alike: one in 2**64
    why: w
  - type: quiz
    kind: predict
    id: qa.seeded
    question: q
    code: |
      torch.manual_seed(0)
      print(nn.Dropout(0.5)(torch.ones(8)).tolist())
    why: w
  - type: exercise
    id: qa.stray-name
    title: t
    prompt: p
    starter: |
      net = nn.Linear(2, 2)
    check: |
      assert not net.training, "eval"
      assert net(torch.ones(1, 2)).shape == (1, 2), f"got {undefined_name}"
    solution: |
      net = nn.Linear(2, 2)
      net.eval()
  - type: exercise
    id: qa.solution-names
    title: t
    prompt: p
    starter: |
      def double(x):
          raise NotImplementedError
    check: |
      got = [double(v) for v in range(3)]
      assert got == [0, 2, 4], f"double gave {got} for {list(range(3))}"
    solution: |
      def double(x):
          return 2 * x
"""


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("decks") / "qa.yaml"
    path.write_text(DECK, encoding="utf-8")
    return path


def _check(deck: Path, home: Path, *extra: str, **run: object) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tutor", "--data-dir", str(home), "check", *extra, str(deck)]
    return subprocess.run(command, text=True, timeout=600, **run)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def report(deck: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    done = _check(deck, tmp_path_factory.mktemp("home"), "--json", capture_output=True)
    return {**json.loads(done.stdout), "returncode": done.returncode}


def _failure(report: dict, item_id: str) -> dict | None:
    return next((f for f in report["failures"] if f["id"] == item_id), None)


def test_a_predict_printing_a_different_line_each_run_fails(report: dict) -> None:
    failure = _failure(report, "qa.random")
    assert failure is not None and failure["kind"] == "predict"
    assert failure["reason"] == (
        "prints a different last line on each run: seed what is random (torch.manual_seed),"
        " put what comes out of a set in order (sorted(...): a set's order changes from one"
        " Python process to the next), or print something stable"
    )


def test_a_seeded_predict_passes(report: dict) -> None:
    assert _failure(report, "qa.seeded") is None


def test_a_check_naming_what_nothing_defines_fails_at_its_line(report: dict, deck: Path) -> None:
    failure = _failure(report, "qa.stray-name")
    assert failure is not None and failure["kind"] == "solution"
    line = (
        DECK.splitlines().index(
            '      assert net(torch.ones(1, 2)).shape == (1, 2), f"got {undefined_name}"'
        )
        + 1
    )
    assert "`undefined_name`" in failure["reason"]
    assert f"(line {line})" in failure["reason"]


def test_names_the_solution_and_the_check_define_are_fine(report: dict) -> None:
    assert _failure(report, "qa.solution-names") is None
    assert report["failed"] == 2 and report["returncode"] == 1


def test_undefined_names_reads_every_way_of_binding() -> None:
    check = (
        "import math as m\n"
        "from torch import nn as tnn\n"
        "def f(a, *rest, k=1, **kw):\n"
        "    return a, rest, k, kw, m, tnn\n"
        "try:\n"
        "    pass\n"
        "except ValueError as exc:\n"
        "    print(exc)\n"
        "total = sum(v for v in range(3))\n"
        "assert (n := total) == 3, f'{n} {F} {device} {__name__} {len} {learner_fn}'\n"
        "print(later)\n"
    )
    assert undefined_names(check, "def learner_fn(): pass") == [("later", 11)]
    assert undefined_names(check, "later = learner_fn = 1") == []
    assert undefined_names("assert x", "from os import *") == []  # cannot tell: say nothing
    assert undefined_names("assert (", "x = 1") == []  # the run reports the syntax error


def _read_all(fd: int, process: subprocess.Popen) -> bytes:
    """All a pty's master side gets until ``process``, the one holder of its slave side, ends."""
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: every slave end is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_check_shows_live_progress_on_a_terminal_only(
    deck: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("home")
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "tutor", "--data-dir", str(home), "check", str(deck)],
            stdout=subprocess.PIPE,
            stderr=slave,
            text=True,
        )
        os.close(slave)
        terminal = _read_all(master, process).decode("utf-8")
        stdout = process.stdout.read() if process.stdout else ""
        process.wait(timeout=600)
    finally:
        os.close(master)
    # one line rewritten in place: a count per unit, then erased before the report's lines
    assert "\rchecking 1/6…\x1b[K" in terminal
    assert "\rchecking 6/6…\x1b[K" in terminal
    progress_end = terminal.rindex("checking 6/6…")
    assert "qa.random" in terminal, terminal
    assert terminal.index("\r\x1b[K", progress_end) < terminal.index("qa.random")
    assert "checking" not in stdout and "check: " in stdout

    piped = _check(deck, home, capture_output=True)
    assert "checking" not in piped.stderr and "\x1b" not in piped.stderr
    assert "qa.random" in piped.stderr


def test_the_run_globals_named_are_the_sandboxs() -> None:
    """``names`` names the run's globals rather than import the sandbox (and torch) into the UI
    process: the list must stay the sandbox's own."""
    from sandbox.runner import main_module
    from tutor.checking import names

    given = set(vars(main_module("cpu")))
    assert given - names.MODULE_DUNDERS == set(names.RUN_GLOBALS)
