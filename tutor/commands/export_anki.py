"""``nn-tutor export-anki OUT.apkg [--deck ID]``: flashcards as an Anki package."""

from __future__ import annotations

import argparse
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from tutor.commands.learning_cli import open_learning, say_deck_problems
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, load_for_command
from tutor.error_line import error_line
from tutor.i18n import Lang, tr
from tutor.learning import Access
from tutor.learning.anki_export import AnkiExporter


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    """Exit 1 when nothing could be exported (no store, a deck path missing, no cards, a file
    that cannot be written). Decks that failed to load are said on stderr and left out; the
    export of the cards that did load is still a success (0). It reads the store, and keeps the
    export's timestamp there when it can: a lock another nn-tutor holds or a read-only store does
    not stop it; a store that cannot be read at all (a newer nn-tutor's, a data folder that is a
    file) is said, and the cards exported without it."""
    out = Path(args.out)
    refused = _refused_out(out)
    if refused is not None:
        print(tr(refused, config.lang, path=out), file=sys.stderr)
        return 2
    learning = open_learning(config, Access.READ_MOSTLY)
    if learning is None:
        # said why on stderr: a package is made from the decks, and needs from progress only
        # the last export's time, so it is made all the same, stamped now
        print(tr("export.without_progress", config.lang), file=sys.stderr)
        library = load_for_command([], config)
        return _export(args, out, config, library, _now_stamp)
    with learning:
        return _export(args, out, config, learning.library, learning.claim_export_timestamp)


def _now_stamp() -> float:
    """The export's timestamp where no progress could be read: now, in whole seconds as Anki
    compares them (:meth:`Learning.claim_export_timestamp`)."""
    return float(int(time.time()))


def _export(
    args: argparse.Namespace,
    out: Path,
    config: TutorConfig,
    library: DeckLibrary,
    claim_timestamp: Callable[[], float],
) -> int:
    """Write the package of ``library``'s cards (``--deck``'s alone when given) to ``out``;
    the exit status. ``claim_timestamp`` is called once the package is sure to be written."""
    if say_deck_problems(library, config.lang):
        return 1
    if args.deck and not library.has_deck(args.deck):  # a typo, or a deck removed
        print(tr("export.no_such_deck", config.lang, deck=args.deck), file=sys.stderr)
        print(deck_ids_line(library, config.lang), file=sys.stderr)
        return 1
    if not library.review_cards(args.deck):
        deck = f" ({args.deck})" if args.deck else ""
        print(tr("export.empty", config.lang, deck=deck), file=sys.stderr)
        return 1
    timestamp = claim_timestamp()
    exporter = AnkiExporter(library, config.lang)
    try:
        count = exporter.write(out, timestamp, args.deck)
    except OSError as error:  # a folder at that path, no such place, no room, no permission
        said = tr("export.failed", config.lang, path=out, error=error_line(error, out, config.lang))
        print(said, file=sys.stderr)
        return 1
    print(tr("export.done", config.lang, count=count, path=out))
    return 0


def _refused_out(out: Path) -> str | None:
    """The catalog key saying why ``out`` is no place for the package, or ``None``. The export
    writes over what is there (an earlier export), so a slip (``export-anki notes.md``) must not
    reach a file that is something else: its name ends in ``.apkg``, and a file there already is
    a package (a zip) too."""
    if out.suffix.lower() != ".apkg":
        return "export.not_apkg"
    if out.is_file() and not zipfile.is_zipfile(out):
        return "export.not_a_package"
    return None


def deck_ids_line(library: DeckLibrary, lang: Lang) -> str:
    """The ids ``--deck`` takes, in course order: no screen or command shows a deck's id, and
    a learner guessing ``l01`` from the file names was told only that it is none."""
    lessons = [lesson.id for lesson in library.lessons]
    card_decks = [deck.id for deck in library.card_decks_in_course_order()]
    return tr("export.deck_ids", lang, lessons=", ".join(lessons), cards=", ".join(card_decks))
