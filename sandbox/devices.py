"""Is CUDA available? Answered without importing torch in the calling process."""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

_PROBE = (
    "import os; os.environ['PYTORCH_NVML_BASED_CUDA_CHECK'] = '1'\n"
    "import torch; print(int(torch.cuda.is_available()))"
)


def _torch_build_has_gpu() -> bool | None:
    """Read torch/version.py as text: a CPU-only build says ``cuda = None`` and ``hip = None``."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return None
    version = Path(next(iter(spec.submodule_search_locations))) / "version.py"
    try:
        text = version.read_text(encoding="utf-8")
    except OSError:
        return None
    cuda = re.search(r"^cuda\b[^=]*=\s*(.+)$", text, re.MULTILINE)
    hip = re.search(r"^hip\b[^=]*=\s*(.+)$", text, re.MULTILINE)
    if cuda is None or hip is None:
        return None
    return cuda.group(1).strip() != "None" or hip.group(1).strip() != "None"


@functools.cache
def cuda_available() -> bool:
    """True when torch can use a CUDA device here.

    A CPU-only torch build answers at once from its ``version.py``; otherwise a short subprocess
    asks torch (NVML-based, so no CUDA context is created). The answer is cached. Set
    ``NN_TUTOR_NO_CUDA=1`` to force ``False``.
    """
    if os.environ.get("NN_TUTOR_NO_CUDA"):
        return False
    build = _torch_build_has_gpu()
    if build is False:
        return False
    try:
        out = subprocess.run(
            [sys.executable, "-c", _PROBE],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and out.stdout.strip().endswith("1")
