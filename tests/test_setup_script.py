"""``scripts/setup.sh``, what ``make tutor`` and ``make test`` run first on a fresh machine: a
docs audit found it built ``.venv`` with whatever ``python3`` was (3.9 on a stock Mac) and failed
much later on a torch wheel pip could not find, and that a ``.venv`` left unusable by a failed run
(too old a Python, or no pip where ``python3 -m venv`` lacked ensurepip) was never rebuilt.

The script runs for real in a copy of the repository's two files it reads; a stand-in Python
(a shell script) plays the interpreter, so nothing is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="setup.sh is a bash script")


def _checkout(tmp_path: Path) -> Path:
    """A folder with the two files setup.sh reads, as in a clone."""
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "setup.sh", repo / "scripts" / "setup.sh")
    shutil.copy2(ROOT / "pyproject.toml", repo / "pyproject.toml")
    return repo


def _stand_in_python(tmp_path: Path, version: str) -> Path:
    """A Python that says it is ``version``, answers a ``-c`` version check as that version
    would, and logs (then fails) anything it is asked to run with ``-m``."""
    major, minor = (int(part) for part in version.split(".")[:2])
    too_old = int((major, minor) < (3, 10))
    script = tmp_path / f"python{version}"
    script.write_text(
        "#!/usr/bin/env bash\n"
        'case "$1" in\n'
        f'  --version) echo "Python {version}" ;;\n'
        f"  -c) exit {too_old} ;;\n"
        '  *) echo "$*" >> "$0.log"; exit 1 ;;\n'
        "esac\n"
    )
    script.chmod(0o755)
    return script


def _setup(repo: Path, python: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON": str(python)}
    return subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_python_older_than_3_10_is_refused_in_one_line_before_anything_is_built(tmp_path):
    repo = _checkout(tmp_path)
    old = _stand_in_python(tmp_path, "3.9.6")
    result = _setup(repo, old)
    assert result.returncode != 0
    said = result.stderr.strip()
    assert len(said.splitlines()) == 1, said
    assert "3.10" in said and "3.9.6" in said and "PYTHON=" in said
    assert not (repo / ".venv").exists()
    assert not Path(f"{old}.log").exists()  # nothing was run with it


def test_a_venv_left_without_pip_is_rebuilt(tmp_path):
    """``python3 -m venv`` without ensurepip leaves ``.venv/bin/python`` and no pip, nor a way to
    add one: the next run removes it and builds it again (here the stand-in's ``-m venv`` fails,
    as it would before python3-venv is installed, and the line says what to install)."""
    repo = _checkout(tmp_path)
    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    shutil.copy2(_stand_in_python(tmp_path, "3.12.1"), venv_bin / "python")  # -m anything fails
    python = _stand_in_python(tmp_path, "3.11.9")
    result = _setup(repo, python)
    assert result.returncode != 0
    assert "rebuild" in result.stdout + result.stderr
    assert Path(f"{python}.log").read_text().split()[:2] == ["-m", "venv"]
    assert "python3-venv" in result.stderr
    assert not (repo / ".venv").exists()  # a half-made one is not left to trip the next run


def test_a_venv_with_too_old_a_python_is_rebuilt_with_the_one_named(tmp_path):
    repo = _checkout(tmp_path)
    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    shutil.copy2(_stand_in_python(tmp_path, "3.9.18"), venv_bin / "python")
    python = _stand_in_python(tmp_path, "3.12.1")
    result = _setup(repo, python)
    assert "rebuild" in result.stdout + result.stderr
    assert Path(f"{python}.log").read_text().split()[:2] == ["-m", "venv"]


def test_a_python_that_does_not_run_is_said_to_be_none(tmp_path):
    """``PYTHON=`` naming a file that is no program (a typo): said so, not "needs 3.10"."""
    repo = _checkout(tmp_path)
    not_python = tmp_path / "notes.txt"
    not_python.write_text("hello\n")
    result = _setup(repo, not_python)
    assert result.returncode != 0
    said = result.stderr.strip()
    assert len(said.splitlines()) == 1 and "no Python runs" in said and str(not_python) in said
    assert not (repo / ".venv").exists()


def test_a_dangling_venv_link_is_rebuilt_not_blamed_on_python3_venv(tmp_path):
    repo = _checkout(tmp_path)
    (repo / ".venv").symlink_to(tmp_path / "gone")
    python = _stand_in_python(tmp_path, "3.12.1")
    result = _setup(repo, python)
    assert "rebuild" in result.stdout + result.stderr
    assert not (repo / ".venv").is_symlink()
    assert Path(f"{python}.log").read_text().split()[:2] == ["-m", "venv"]


def test_a_venv_without_pip_gets_pip_rather_than_being_thrown_away(tmp_path):
    """A venv made without pip (``uv venv``) may already hold torch: pip is added to it
    (ensurepip) instead of the venv being rebuilt. Here the stand-in refuses everything but
    the version check, so setup goes on to install and fails there, venv kept."""
    repo = _checkout(tmp_path)
    venv_bin = repo / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    python = venv_bin / "python"  # pip once ensurepip has run; installing fails
    python.write_text(
        "#!/usr/bin/env bash\n"
        'case "$1" in\n'
        '  --version) echo "Python 3.12.1" ;;\n'
        "  -c) exit 0 ;;\n"
        '  *) echo "$*" >> "$0.log"\n'
        '     [ "$2" = ensurepip ] && { touch "$0.pip"; exit 0; }\n'
        '     [ "$2 $3" = "pip --version" ] && [ -e "$0.pip" ] && exit 0\n'
        "     exit 1 ;;\n"
        "esac\n"
    )
    python.chmod(0o755)
    (repo / ".venv" / "kept").write_text("torch lives here")
    result = _setup(repo, _stand_in_python(tmp_path, "3.11.9"))
    assert (repo / ".venv" / "kept").exists()
    assert "-m ensurepip" in Path(f"{python}.log").read_text()
    assert "rebuild" not in result.stdout + result.stderr
