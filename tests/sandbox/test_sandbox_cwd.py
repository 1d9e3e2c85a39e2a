"""The folder nn-tutor is started from never shadows what the sandbox imports: QA found a
learner's ``torch.py`` (a common first file name), ``numpy.py`` or ``sandbox.py`` there stopped
the sandbox from starting (``python -m`` puts the current folder first on the path). The
learner's own modules there still import, after the installed ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox import Sandbox

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
