"""``nn-tutor validate``: check decks without running any code."""

from __future__ import annotations

import argparse
import json
import sys

from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, load_for_command
from tutor.decks.advice import deck_advice
from tutor.i18n import Lang, tr


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    library = load_for_command(args.paths, config)
    advice = deck_advice(library)
    if args.json:
        report = {**library.counts(), "errors": [e.to_json() for e in library.errors]}
        report["translation_gaps"] = library.translation_gaps()
        report["advice"] = [a.to_json() for a in advice]
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0 if library.ok else 1
    for problem in [*library.errors, *advice]:  # advice never fails the run
        print(problem.line_in(config.lang), file=sys.stderr)
    if library.ok:
        print(tr("validate.ok", config.lang, **library.counts()))
        if advice:
            print(tr("validate.advice", config.lang, count=len(advice)))
        return 0
    print(failed_line(library, config.lang), file=sys.stderr)
    return 1


def failed_line(library: DeckLibrary, lang: Lang) -> str:
    """The closing line of a report with problems, true to what loaded: none of the decks; the
    others than those left out; or every deck, when no problem left one out (an unknown id in a
    ``related`` list or a ``lesson:`` leaves its deck in): "the other decks" were none."""
    count = len(library.errors)
    loaded = len(library.lessons) + len(library.card_decks)
    if not loaded:
        return tr("validate.failed_all", lang, count=count)
    if library.skipped:
        return tr("validate.failed", lang, count=count)
    return tr("validate.failed_all_loaded", lang, count=count, decks=loaded)
