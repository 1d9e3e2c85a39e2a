"""Deck format v1: the model, and the loader that turns YAML files into a :class:`DeckLibrary`."""

from tutor.decks.errors import DeckError
from tutor.decks.loader import (
    DeckLibrary,
    DeckLoader,
    ReviewCard,
    SkippedDeck,
    load_file,
    load_for_command,
)

__all__ = [
    "DeckError",
    "DeckLibrary",
    "DeckLoader",
    "ReviewCard",
    "SkippedDeck",
    "load_file",
    "load_for_command",
]
