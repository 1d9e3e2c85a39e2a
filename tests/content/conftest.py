"""Fixtures the content tests share: the shipped course, loaded once, and a sandbox per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import Sandbox
from tutor.decks import DeckLibrary, DeckLoader
from tutor.paths import shipped_root


@pytest.fixture(scope="session")
def library() -> DeckLibrary:
    """The shipped lessons and card decks, as the tutor loads them."""
    root = shipped_root()
    return DeckLoader([root / "lessons", root / "cards"]).load()


@pytest.fixture(scope="module")
def sb() -> Iterator[Sandbox]:
    """A sandbox for a module's runs, with room for the slowest exercise's check."""
    with Sandbox(timeout_s=60) as box:
        yield box
