"""Which torch release the sandbox runs, read without importing torch, and what an item's
``torch_min`` means on it.

The course is checked on the torch CI pins, but ``pyproject.toml`` admits older releases, where
some behaviour shown (``nn.Buffer``, ``weights_only=True`` by default...) does not exist yet. An
item that needs a newer torch says so with ``torch_min``; this module compares the two.
"""

from __future__ import annotations

import re
from functools import cache

VERSION_PATTERN = r"^\d+\.\d+(\.\d+)?$"
"""How a deck writes a torch release: ``"2.5"`` or ``"2.5.1"``."""

_RELEASE = re.compile(r"\d+(?:\.\d+)*")


def release(version: str) -> tuple[int, int, int]:
    """The ``(major, minor, patch)`` of a version string. Local and pre-release parts are
    dropped (``2.6.0a0+git1234`` is 2.6.0), so a nightly counts as the release it leads to."""
    found = _RELEASE.match(version.strip())
    if found is None:
        raise ValueError(f"not a version: {version!r}")
    major, minor, patch = ([int(part) for part in found.group().split(".")[:3]] + [0, 0])[:3]
    return major, minor, patch


@cache
def installed_torch() -> str | None:
    """The installed torch's version, from its package metadata (importing torch would cost the
    UI 1.4 s and 200 MB); ``None`` where torch is not installed."""
    from importlib import metadata  # ~50 ms to import: the app reads it once, in a worker

    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return None


def too_old_for(minimum: str | None, installed: str | None = None) -> str | None:
    """The installed version when it is older than ``minimum``, else ``None``: the item's claim
    holds here (or nothing says otherwise)."""
    have = installed if installed is not None else installed_torch()
    if minimum is None or have is None:
        return None
    return have if release(have) < release(minimum) else None
