"""``nn-tutor export-anki OUT.apkg [--deck ID]``: flashcards as an Anki package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor.commands.learning_cli import open_learning, say_deck_problems
from tutor.config import TutorConfig
from tutor.error_line import error_line
from tutor.i18n import tr
from tutor.learning import Access
from tutor.learning.anki_export import AnkiExporter


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    """Exit 1 when nothing could be exported (no store, a deck path missing, no cards, a file
    that cannot be written). Decks that failed to load are said on stderr and left out; the
    export of the cards that did load is still a success (0). It reads the store, and keeps the
    export's timestamp there when it can: a lock another nn-tutor holds or a read-only store does
    not stop it."""
    learning = open_learning(config, Access.READ_MOSTLY)
    if learning is None:
        return 1
    with learning:
        if say_deck_problems(learning.library, config.lang):
            return 1
        if not learning.library.review_cards(args.deck):
            deck = f" ({args.deck})" if args.deck else ""
            print(tr("export.empty", config.lang, deck=deck), file=sys.stderr)
            return 1
        timestamp = learning.claim_export_timestamp()
        exporter = AnkiExporter(learning.library, config.lang)
        out = Path(args.out)
        try:
            count = exporter.write(out, timestamp, args.deck)
        except OSError as error:  # a folder at that path, no such place, no room, no permission
            said = tr(
                "export.failed", config.lang, path=out, error=error_line(error, out, config.lang)
            )
            print(said, file=sys.stderr)
            return 1
    print(tr("export.done", config.lang, count=count, path=out))
    return 0
