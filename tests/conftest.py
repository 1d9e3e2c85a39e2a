"""Settings from the developer's own environment that would change what the tests see."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_theme_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``TEXTUAL_THEME`` picks the tutor's theme for a session: set in a developer's shell, it
    would redraw every screen of the snapshot tests in its colours."""
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
