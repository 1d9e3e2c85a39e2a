"""A separate process that writes to the progress store, for the kill -9 and concurrency tests.

Usage: ``python writer.py DATA_DIR DECKS COUNT TAG``. After each committed write it prints
``<n>`` (flushed), so the parent knows exactly which writes were acknowledged. COUNT 0: forever.
It prints ``ready`` once the store is open and starts writing when a line arrives on stdin, so
several writers can be released at the same moment.
"""

from __future__ import annotations

import itertools
import sys

from tutor.config import TutorConfig
from tutor.decks import DeckLoader
from tutor.learning import Learning, SchedulerSettings


def main() -> int:
    data_dir, decks, count, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    config = TutorConfig.resolve(data_dir=data_dir, decks=[decks], lang="en")
    library = DeckLoader(config.deck_paths).load()
    cards = [c.id for c in library.review_cards()]
    settings = SchedulerSettings(new_per_day=1000)
    with Learning.open(config, library, settings=settings) as learning:
        print("ready", flush=True)
        sys.stdin.readline()
        steps = itertools.count(1) if count == 0 else range(1, count + 1)
        for n in steps:
            if n % 3 == 0:
                learning.record_quiz("tensors.q-bias", "tensors", n % 2 == 0, f"{tag}-{n}")
            else:
                learning.rate(cards[n % len(cards)], 1 + n % 4)
            print(n, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
