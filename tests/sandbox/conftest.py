from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox


@pytest.fixture(scope="session")
def sb() -> Iterator[Sandbox]:
    """One warm CPU sandbox for the whole session (runs never share state anyway)."""
    with Sandbox(timeout_s=30) as box:
        yield box
