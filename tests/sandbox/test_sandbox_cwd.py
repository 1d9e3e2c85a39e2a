"""The folder nn-tutor is started from never shadows what the sandbox imports: QA found a
learner's ``torch.py`` (a common first file name), ``numpy.py`` or ``sandbox.py`` there stopped
the sandbox from starting (``python -m`` puts the current folder first on the path). The
learner's own modules there still import (see test_sandbox_learner_folder.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox import Sandbox
from sandbox.process import _NO_FOLDER

SHADOWS = ("torch", "numpy", "sandbox")


@pytest.mark.parametrize("device", ["cpu", "cuda"])  # "cuda": the in-process worker, on the CPU
def test_a_folder_holding_torch_py_starts_the_sandbox_and_imports_the_real_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, device: str
) -> None:
    for name in SHADOWS:
        (tmp_path / f"{name}.py").write_text("raise ImportError('the wrong one')\n")
    (tmp_path / "helper.py").write_text("ANSWER = 42\n")
    monkeypatch.chdir(tmp_path)
    with Sandbox(inprocess_device="cpu" if device == "cuda" else None) as box:
        code = f"import numpy, helper\n({str(tmp_path)!r} not in torch.__file__, helper.ANSWER)"
        r = box.run(code, device=device)
    assert r.status == "ok", r.error
    assert r.value == "(True, 42)"


def test_the_worker_starts_under_pythonsafepath(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """With PYTHONSAFEPATH (Python 3.11+) no current folder leads the path: the worker's start
    must not take out the first entry then (the package root PYTHONPATH put there: review)."""
    if sys.version_info < (3, 11):
        pytest.skip("PYTHONSAFEPATH is Python 3.11's")
    monkeypatch.chdir(tmp_path)
    env = {**os.environ, "PYTHONSAFEPATH": "1", "PYTHONPATH": "/nn-tutor-package-root"}
    probe = [
        sys.executable,
        "-c",
        _NO_FOLDER + "import os\nprint(sys.path[0], os.getcwd() in sys.path)",
    ]
    out = subprocess.run(probe, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["/nn-tutor-package-root", "False"], out.stderr
