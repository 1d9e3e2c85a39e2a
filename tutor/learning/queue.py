"""The review queue: what is due, plus today's share of new cards, mapped back to deck cards.

Knowledge cards from lessons enter the queue when the learner passes their step
(:meth:`Learning.introduce_card`); cards from ``cards/`` decks are offered as new cards, in course
order, up to the new-cards-per-day limit. A deck written for a lesson waits until the learner has
finished that lesson (its cards are *locked* before), unless the learner picks the deck itself.
Cards whose id left the decks (orphans) have nothing to show and are never queued.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Iterator

from tutor.decks import DeckLibrary, ReviewCard
from tutor.learning.store import Store


def in_deck(card: ReviewCard, deck_id: str | None) -> bool:
    """The same filter as ``DeckLibrary.review_cards(deck_id)``: the card's deck or its lesson."""
    return deck_id is None or deck_id in (card.deck_id, card.lesson_id)


class KnownCards:
    """The ids of cards the learner has met, kept in memory.

    Loading 100,000 keys on every queue build would blow the queue's time budget, so the set is
    loaded once and then refreshed incrementally: while no card row was deleted, row ids only
    grow, so ``id > last seen`` finds what this or another process added. A deleted row (an
    undo, here or in another nn-tutor) makes its card new again and may hand its id to the next
    card, so when the store's count of deleted rows changes the keys are read afresh (rare: only
    an undo of a first rating deletes). They are read afresh too when the store reads through
    another connection: a store set up late (:attr:`Store.set_up_pending`) reads the file itself
    in place of its stand-in, or a new file where it found that one damaged and moved it aside
    (whose row ids start over).
    ``prefix`` remembers how many of the offerable cards, in order, are already known, so
    finding today's new cards does not rescan them.
    """

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.max_id = 0
        self.prefix = 0
        self.removed = 0  # the store's count of deleted card rows when the keys were read
        self.read_from: sqlite3.Connection | None = None  # the connection they were read through

    def refresh(self, store: Store) -> set[str]:
        removed = store.cards_removed()
        # a row went, and its id may be reused, or another database is read: start over
        if removed != self.removed or store.conn is not self.read_from:
            self.keys, self.max_id, self.prefix, self.removed = set(), 0, 0, removed
            self.read_from = store.conn
        for row_id, key in store.keys_after(self.max_id):
            self.keys.add(key)
            self.max_id = max(self.max_id, row_id)
        return self.keys

    def forget(self, key: str, store: Store) -> None:
        """A card's row was removed (undo of its first rating): it is new again. The next card
        row gets the largest id left plus one, maybe the removed row's: refreshing goes on from
        there, or a card rated next (this one again, say) would never be seen as known."""
        self.keys.discard(key)
        self.prefix = 0
        self.max_id = min(self.max_id, store.max_card_id())


class CardIndex:
    """Every reviewable card of a library by id, and the order new cards are offered in."""

    def __init__(self, library: DeckLibrary) -> None:
        cards = library.review_cards()
        self.by_id: dict[str, ReviewCard] = {c.id: c for c in cards}
        lesson_card_ids = {c.id for lesson in library.lessons for c in lesson.cards}
        # new cards come deck by deck in the course's order (the Anki export's), each deck's in
        # its own order; the library lists decks in file order (welcome.yaml after 11-….yaml)
        deck_rank = {d.id: i for i, d in enumerate(library.card_decks_in_course_order())}
        self.offerable: list[ReviewCard] = sorted(
            (c for c in cards if c.id not in lesson_card_ids),
            key=lambda card: deck_rank.get(card.deck_id, len(deck_rank)),
        )
        self.by_deck: dict[str, list[ReviewCard]] = {}
        for card in cards:  # under its deck and its lesson, as in_deck takes it
            for deck_id in dict.fromkeys((card.deck_id, card.lesson_id)):
                if deck_id is not None:
                    self.by_deck.setdefault(deck_id, []).append(card)

    def get(self, card_id: str) -> ReviewCard | None:
        return self.by_id.get(card_id)

    def of_deck(self, deck_id: str) -> list[ReviewCard]:
        """``DeckLibrary.review_cards(deck_id)`` without building every card of the library:
        the course map asks it for each lesson (a course of 120 lessons and 8,000 cards built a
        million cards to draw the map)."""
        return self.by_deck.get(deck_id, [])

    def __contains__(self, card_id: str) -> bool:
        return card_id in self.by_id

    def resolve(self, keys: Iterable[str], deck_id: str | None = None) -> list[ReviewCard]:
        """Deck cards for stored keys, in order, skipping orphans and other decks."""
        by_id = self.by_id
        found = [by_id[key] for key in keys if key in by_id]
        if deck_id is None:
            return found
        return [c for c in found if in_deck(c, deck_id)]

    def new_cards(
        self,
        known: KnownCards,
        limit: int,
        deck_id: str | None = None,
        locked: Collection[str] = (),
    ) -> list[ReviewCard]:
        """Up to ``limit`` offerable cards the learner has never met, in course order; with no
        ``deck_id``, none from the ``locked`` lessons."""
        chosen: list[ReviewCard] = []
        if limit <= 0:
            return chosen
        for card in self._unknown(known):
            if in_deck(card, deck_id) and (deck_id is not None or card.lesson_id not in locked):
                chosen.append(card)
                if len(chosen) >= limit:
                    break
        return chosen

    def locked_count(self, known: KnownCards, locked: Collection[str]) -> int:
        """How many never-met offerable cards wait for one of the ``locked`` lessons."""
        if not locked:
            return 0
        return sum(1 for card in self._unknown(known) if card.lesson_id in locked)

    def _unknown(self, known: KnownCards) -> Iterator[ReviewCard]:
        """The offerable cards the learner has never met, in course order."""
        offerable, keys = self.offerable, known.keys
        start = known.prefix
        while start < len(offerable) and offerable[start].id in keys:
            start += 1
        known.prefix = start
        return (card for card in offerable[start:] if card.id not in keys)


def build_queue(
    store: Store,
    index: CardIndex,
    known: KnownCards,
    until_ms: int,
    new_limit: int,
    deck_id: str | None = None,
    locked: Collection[str] = (),
) -> list[ReviewCard]:
    """Cards due by ``until_ms`` (most overdue first), then up to ``new_limit`` new cards (none
    from the ``locked`` lessons unless ``deck_id`` picks them)."""
    due = index.resolve(store.due_keys(until_ms), deck_id)
    if new_limit <= 0:
        return due
    known.refresh(store)
    return due + index.new_cards(known, new_limit, deck_id, locked)
