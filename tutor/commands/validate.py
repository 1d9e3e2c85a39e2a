"""``nn-tutor validate``: check decks without running any code."""

from __future__ import annotations

import argparse
import json
import sys

from tutor.config import TutorConfig
from tutor.decks import load_for_command
from tutor.decks.advice import deck_advice
from tutor.i18n import tr


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
    loaded = library.lessons or library.card_decks  # "the other decks still load" needs some
    failed = "validate.failed" if loaded else "validate.failed_all"
    print(tr(failed, config.lang, count=len(library.errors)), file=sys.stderr)
    return 1
