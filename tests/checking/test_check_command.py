"""``nn-tutor check`` runs each unit in the real sandbox and notices every broken promise."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tutor.checking import collect_units
from tutor.decks import DeckLoader

DECK = Path(__file__).parent / "decks" / "promises.yaml"


def _cuda() -> bool:
    import sandbox

    return sandbox.cuda_available()


def test_collect_units_covers_every_runnable_part() -> None:
    units = collect_units(DeckLoader([DECK]).load())
    kinds = [(u.item_id, u.kind) for u in units]
    assert ("promises.ok-snippet", "snippet") in kinds
    assert ("promises.predict-right", "predict") in kinds
    assert ("promises.verify-false-claim", "verify") in kinds
    assert ("promises.ex-good", "solution") in kinds and ("promises.ex-good", "starter") in kinds
    assert ("promises.card-cuda-only", "example") in kinds
    assert all(u.line > 0 for u in units)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    home = tmp_path_factory.mktemp("home")
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "--data-dir", str(home), "check", "--json", str(DECK)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)


def test_check_fails_exactly_the_broken_promises(report: dict) -> None:
    failed = {(f["id"], f["kind"]) for f in report["failures"]}
    assert failed == {
        ("promises.raises-unpromised", "snippet"),
        ("promises.predict-wrong", "predict"),
        ("promises.verify-false-claim", "verify"),
        ("promises.ex-free-lunch", "starter"),
        ("promises.ex-broken-solution", "solution"),
        ("promises.old-enough-claim", "verify"),
        ("promises.traced-no-module", "snippet"),
        ("promises.raises-never", "snippet"),
        ("promises.predict-shape-in-words", "predict"),
    } | ({("promises.card-cuda-only", "example")} if not _cuda() else set())


def test_check_explains_each_failure(report: dict) -> None:
    reasons = {f["id"]: f["reason"] for f in report["failures"]}
    assert "torch.Size([4, 3])" in reasons["promises.predict-wrong"]
    assert "already passes the check" in reasons["promises.ex-free-lunch"]
    assert "remove the bias" in reasons["promises.ex-broken-solution"]
    assert "AssertionError" in reasons["promises.verify-false-claim"]
    assert "RuntimeError" in reasons["promises.raises-unpromised"]
    assert "calls no nn.Module" in reasons["promises.traced-no-module"]
    # a snippet meant to raise that ran through: said so, not "got status Done"
    assert "ended without an error" in reasons["promises.raises-never"]
    # match: shape on a line that is no shape: no answer could pass but the line itself
    assert "reads as no shape" in reasons["promises.predict-shape-in-words"]
    for failure in report["failures"]:
        assert failure["where"].startswith(f"{DECK}:")


def test_items_for_a_newer_torch_are_skipped_and_say_why(report: dict) -> None:
    from tutor.torch_version import installed_torch

    skipped = {(s["id"], s["kind"]): s["reason"] for s in report["skips"]}
    assert set(skipped) == {
        ("promises.future-claim", "verify"),
        ("promises.future-exercise", "solution"),
        ("promises.future-exercise", "starter"),
    }
    assert report["skipped"] == 3
    for reason in skipped.values():
        assert reason == f"needs torch 99.0 or newer; this is torch {installed_torch()}"


def test_a_sandbox_that_cannot_start_is_one_line(tmp_path, monkeypatch, capsys) -> None:
    import argparse

    from sandbox.session import START_TIMEOUT_S
    from tutor.commands import check
    from tutor.config import TutorConfig

    monkeypatch.setitem(START_TIMEOUT_S, "cpu", 0.01)  # torch takes far longer to load
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")
    assert check.main(argparse.Namespace(paths=[str(DECK)], json=False), config) == 1
    err = capsys.readouterr().err
    assert err == "The sandbox is not available: the cpu sandbox did not start within 0.01 s\n"


def test_json_says_why_nothing_ran_when_the_sandbox_cannot_start(
    tmp_path, monkeypatch, capsys
) -> None:
    """A CI step reading ``check --json`` got an empty stdout (and a JSON error of its own)."""
    import argparse

    from sandbox.session import START_TIMEOUT_S
    from tutor.commands import check
    from tutor.config import TutorConfig

    monkeypatch.setitem(START_TIMEOUT_S, "cpu", 0.01)
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")
    assert check.main(argparse.Namespace(paths=[str(DECK)], json=True), config) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    said = "The sandbox is not available: the cpu sandbox did not start within 0.01 s"
    assert report["ok"] is False and report["sandbox_error"] == said and err == said + "\n"
    assert report["passed"] == report["failed"] == 0


def test_text_output_names_each_skipped_item(tmp_path, capsys) -> None:
    import argparse

    from tutor.commands import check
    from tutor.config import TutorConfig
    from tutor.torch_version import installed_torch

    deck = tmp_path / "future.yaml"
    deck.write_text(
        "kind: cards\nid: future\ntitle: t\ncards:\n"
        "  - id: future.later\n    front: f\n    back: b\n    torch_min: '99.0'\n"
        "    verify: |\n      assert False\n"
        "  - id: future.now\n    front: f\n    back: b\n"
        "    verify: |\n      assert nn.Linear(2, 3).bias is not None\n",
        encoding="utf-8",
    )
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")
    assert check.main(argparse.Namespace(paths=[str(deck)], json=False), config) == 0
    out, err = capsys.readouterr()
    assert err == (
        f"{deck}:5: future.later [verify]: skipped: needs torch 99.0 or newer; "
        f"this is torch {installed_torch()}\n"
    )
    assert out.startswith("check: 1 passed, 0 failed, 1 skipped; 0 deck errors;")


def test_a_failing_lines_number_is_the_files_line(tmp_path) -> None:
    """The report starts ``file:line:`` at the item; the line a run failed on must count in the
    same file, not inside the snippet (where line 3 of a verify block is line 11 of the deck)."""
    from sandbox.result import RunError
    from tutor.checking import judge

    deck = tmp_path / "c.yaml"
    deck.write_text(
        "kind: cards\nid: ckd\ntitle: T\ncards:\n"
        "  - id: ckd.block\n    front: F\n    back: B\n"
        "    verify: |\n      x = 1\n      y = 2\n      assert x == y\n"  # line 11
        "  - id: ckd.inline\n    front: F\n    back: B\n"
        "    verify: \"assert 1 == 2, 'no'\"\n",  # line 15
        encoding="utf-8",
    )
    units = {u.item_id: u for u in collect_units(DeckLoader([deck]).load())}
    reasons = {}
    for item_id, line in (("ckd.block", 3), ("ckd.inline", 1)):
        error = RunError("AssertionError", "no" if line == 1 else "", line=line)
        result = SimpleNamespace(status="error", stdout="", error=error, check=None, duration_s=0)
        reasons[item_id] = judge(units[item_id], result).reason
    assert reasons == {
        "ckd.block": "AssertionError (line 11: assert x == y)",
        "ckd.inline": "AssertionError: no (line 15)",
    }


def test_a_code_block_with_an_anchor_or_a_tag_counts_from_its_first_line(tmp_path) -> None:
    """``code: &c |`` and ``code: !!str |``: the value starts at the anchor or tag, and the block
    was taken for inline code, its lines counted one early."""
    deck = tmp_path / "c.yaml"
    deck.write_text(
        "kind: cards\nid: ckd\ntitle: T\ncards:\n"
        "  - id: ckd.anchor\n    front: F\n    back: B\n    verify: &v |\n      x = 1\n"  # 9
        "  - id: ckd.tag\n    front: F\n    back: B\n    verify: !!str |\n      x = 1\n",  # 14
        encoding="utf-8",
    )
    units = {u.item_id: u for u in collect_units(DeckLoader([deck]).load())}
    assert (units["ckd.anchor"].code_line, units["ckd.tag"].code_line) == (9, 14)


def test_json_report_gives_each_deck_error_its_parts(tmp_path, capsys) -> None:
    import argparse

    from tutor.commands import check
    from tutor.config import TutorConfig

    bad = Path(__file__).parents[1] / "decks" / "bad" / "wrong_type.yaml"
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")
    assert check.main(argparse.Namespace(paths=[str(bad)], json=True), config) == 1
    error = json.loads(capsys.readouterr().out)["deck_errors"][0]
    assert error["file"] == str(bad) and (error["line"], error["field"]) == (9, "steps[0].trace")


def test_a_timeout_names_one_line_the_files(tmp_path) -> None:
    """A timeout's message names the snippet's line ("stopped at line 3"); the report then added
    the file's ("(line 11)"): two numbers for one place, the first in no file the author has."""
    from sandbox.result import RunError
    from tutor.checking import judge

    deck = tmp_path / "c.yaml"
    deck.write_text(
        "kind: cards\nid: ckd\ntitle: T\ncards:\n"
        "  - id: ckd.block\n    front: F\n    back: B\n"
        "    verify: |\n      x = 1\n      y = 2\n      while True: pass\n",  # line 11
        encoding="utf-8",
    )
    (unit,) = collect_units(DeckLoader([deck]).load())
    error = RunError(
        "Timeout",
        "the run took longer than 5 s and was stopped (stopped at line 3)",
        line=3,
        code="timeout",
        params={"seconds": 5, "line": 3},
    )
    result = SimpleNamespace(status="timeout", stdout="", error=error, check=None, duration_s=5)
    assert judge(unit, result).reason == (
        "Timeout: the run took longer than 5 s and was stopped (line 11)"
    )


def test_a_failure_is_one_line_without_escape_sequences(tmp_path, capsys) -> None:
    """A verify raising with escape sequences (clear the screen) or several lines in its message
    sent them to the terminal, and the report's ``file:line: id [kind]: reason`` broke over
    lines (QA); as ``nn-tutor run`` does, the text is shown, the escapes dropped."""
    import argparse

    from tutor.commands import check
    from tutor.config import TutorConfig

    deck = tmp_path / "hostile.yaml"
    deck.write_text(
        "kind: cards\nid: hostile\ntitle: t\ncards:\n"
        "  - id: hostile.card\n    front: f\n    back: b\n"
        "    verify: |\n      raise ValueError('\\x1b[2Jfirst\\nsecond')\n",
        encoding="utf-8",
    )
    config = TutorConfig.resolve(data_dir=tmp_path / "data", lang="en")
    assert check.main(argparse.Namespace(paths=[str(deck)], json=False), config) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert err.splitlines() == [
        f"{deck}:5: hostile.card [verify]: ValueError: first second (line 9)"
    ]
