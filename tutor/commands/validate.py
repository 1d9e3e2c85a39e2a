"""``nn-tutor validate``: check decks without running any code."""

from __future__ import annotations

import argparse
import json
import shlex
import sys

from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, DeckLoader, load_for_command
from tutor.decks.advice import deck_advice
from tutor.i18n import Lang, tr
from tutor.paths import default_deck_paths

# the errors that name a lesson or id the loaded decks lack
_UNKNOWN_REFERENCES = ("deck.unknown_lesson", "deck.unknown_id")


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
    replaced = replaced_course_line(library, config, args.paths)
    if replaced:
        print(replaced, file=sys.stderr)
    return 1


def replaced_course_line(library: DeckLibrary, config: TutorConfig, paths: list[str]) -> str:
    """Where ``--decks`` replaced the default course and the decks name lessons or ids only
    that course has, the line saying so and how to check them beside it: an author checking a
    new deck with ``--decks FOLDER`` was told a shipped lesson is unknown, and nothing more.
    "" otherwise (the default course is only read when there is something to explain)."""
    if not config.decks_overridden or paths:
        return ""
    unknown = {
        str(dict(error.said.values)["id"])
        for error in library.errors
        if error.said.key in _UNKNOWN_REFERENCES
    }
    if not unknown:
        return ""
    course = DeckLoader(default_deck_paths(config.data_dir)).load()
    known = sorted(ref for ref in unknown if course.item(ref) is not None)
    if not known:
        return ""
    folders = shlex.join(str(path) for path in config.deck_paths)
    ids = ", ".join(repr(ref) for ref in known)
    return tr("validate.replaced_course", config.lang, ids=ids, count=len(known), folders=folders)


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
