"""``nn-tutor check`` on the shipped course: every snippet, proof and exercise runs green on the
installed torch (the issue's "verified, not claimed")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.paths import shipped_root


@pytest.mark.slow
def test_the_shipped_course_checks_green(tmp_path: Path) -> None:
    root = shipped_root()
    decks = [str(root / "lessons"), str(root / "cards")]
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "--data-dir", str(tmp_path), "check", "--json", *decks],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    report = json.loads(done.stdout)
    failures = [f"{f['where']}: {f['id']} ({f['kind']}): {f['reason']}" for f in report["failures"]]
    assert failures == [] and report["deck_errors"] == [], "\n".join(failures)
    assert done.returncode == 0, done.stderr
    # Several hundred units: snippets, verify blocks, predict answers, solutions and starters.
    assert report["passed"] >= 400
