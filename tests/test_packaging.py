"""The shipped decks (and the tracer kernel's C source) travel inside the wheel and are found
from there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_carries_and_finds_the_shipped_decks(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("nn_tutor-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tutor/_shipped/lessons/00-welcome.yaml" in names
    assert "tutor/_shipped/schemas/deck.schema.json" in names
    assert any(n.startswith("sandbox/") for n in names)
    assert "sandbox/native/tensor_scan.c" in names  # the tracer's kernel is built from it
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, sys.argv[1]); import tutor.paths as p;"
            "print(p.shipped_root()); from tutor.decks import DeckLoader;"
            "lib = DeckLoader(p.default_deck_paths(p.Path(sys.argv[2]))).load();"
            "print(len(lib.lessons), len(lib.errors))",
            str(site),
            str(tmp_path / "home"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    root, counts = probe.stdout.split("\n")[:2]
    assert Path(root) == site / "tutor" / "_shipped", probe.stderr
    lessons, errors = map(int, counts.split())
    assert lessons >= 1 and errors == 0
