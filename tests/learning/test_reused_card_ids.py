"""Two nn-tutor processes on one store: an undo deletes a card's row, and SQLite may give its id
to the next card rated. The other process's queue must still see both cards as they are."""

from __future__ import annotations

from tests.learning.conftest import NO_FUZZ, finish_lessons
from tutor.learning import Learning
from tutor.learning.store import SCHEMA_VERSION, connect, migrate


def test_queue_of_another_process_survives_a_reused_row_id(config, library, clock):
    with (
        Learning.open(config, library, settings=NO_FUZZ, clock=clock) as first,
        Learning.open(config, library, settings=NO_FUZZ, clock=clock) as second,
    ):
        finish_lessons(first)
        x, y = (card.id for card in first.due_now()[:2])
        second.rate(x, 1)
        assert x not in [card.id for card in first.due_now()]  # first now knows x
        second.undo()  # x's row is deleted: x is new again
        second.rate(y, 1)  # y may get x's old row id
        assert second.store.card(y).id == 1
        clock.advance(minutes=2)
        queue = [card.id for card in first.due_now()]
        assert queue.count(y) == 1
        assert x in queue  # new again, offered again


def test_v2_database_migrates_keeping_its_cards(config, library, clock):
    db = config.paths.database
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(db)
    assert migrate(conn, target=2) == 2
    conn.execute(
        "INSERT INTO cards (card_key, content_hash, state, due_ms, added_ms) "
        "VALUES ('tensors.card-call', 'h', 1, 0, 0)"
    )
    conn.close()
    with Learning.open(config, library, settings=NO_FUZZ, clock=clock) as learning:
        version = learning.store.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION >= 3
        assert learning.store.card("tensors.card-call").content_hash == "h"
        before = learning.store.cards_removed()
        learning.store.conn.execute("DELETE FROM cards")  # any deletion, by anyone, is counted
        assert learning.store.cards_removed() == before + 1
