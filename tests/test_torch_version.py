"""Versions compare as numbers, and the installed torch is read without importing it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tutor import torch_version
from tutor.torch_version import release, too_old_for


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("2.5", (2, 5, 0)),
        ("2.13.0+cpu", (2, 13, 0)),
        ("2.2.2+cu121", (2, 2, 2)),
        ("2.6.0a0+git1234abc", (2, 6, 0)),
        ("3", (3, 0, 0)),
    ],
)
def test_release(text: str, numbers: tuple[int, int, int]) -> None:
    assert release(text) == numbers


def test_release_refuses_what_is_not_a_version() -> None:
    with pytest.raises(ValueError, match="not a version"):
        release("latest")


@pytest.mark.parametrize(
    ("minimum", "installed", "too_old"),
    [
        ("2.5", "2.2.2+cu121", True),
        ("2.5", "2.5.0", False),
        ("2.5", "2.5.1+cpu", False),
        ("2.10", "2.9.1", True),  # as numbers: "2.10" > "2.9" although "2.1" < "2.9" as text
        ("2.5.1", "2.5.0", True),
        ("2.2", "2.13.0+cpu", False),
    ],
)
def test_too_old_for(minimum: str, installed: str, too_old: bool) -> None:
    assert too_old_for(minimum, installed) == (installed if too_old else None)


def test_no_minimum_or_no_torch_is_never_too_old(monkeypatch: pytest.MonkeyPatch) -> None:
    assert too_old_for(None, "2.2.0") is None
    monkeypatch.setattr(torch_version, "installed_torch", lambda: None)
    assert too_old_for("99.0") is None


def test_installed_torch_is_the_one_python_imports_without_importing_it() -> None:
    # The metadata may leave out the local part torch.__version__ has (2.2.2 vs 2.2.2+cu121).
    probe = (
        "import sys; from tutor.torch_version import installed_torch, release; "
        "v = installed_torch(); assert 'torch' not in sys.modules; import torch; "
        "print(release(v) == release(torch.__version__))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "True", done.stderr
