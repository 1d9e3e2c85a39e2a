"""``nn-tutor validate``: check decks without running any code."""

from __future__ import annotations

import argparse
import json
import shlex
import sys

from tutor.config import TutorConfig
from tutor.decks import DeckLibrary, DeckLoader, load_for_command
from tutor.decks.advice import deck_advice
from tutor.decks.errors import DeckError
from tutor.decks.loader import discover
from tutor.i18n import Lang, tr
from tutor.paths import default_deck_paths

# the errors that name a lesson or id the loaded decks lack
_UNKNOWN_REFERENCES = ("deck.unknown_lesson", "deck.unknown_id")
# the error of an id another deck already holds
_ID_CLASH = "deck.id_used_in_file"


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    library = load_for_command(args.paths, config)
    advice = deck_advice(library)
    advice += clashing_decks_advice(library, advice)
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
    print(failed_line(library, config.lang, len(advice)), file=sys.stderr)
    for explained in (
        clash_line(library, config, args.paths),
        replaced_course_line(library, config, args.paths),
    ):
        if explained:
            print(explained, file=sys.stderr)
    return 1


def clashing_decks_advice(
    library: DeckLibrary, already_advised: list[DeckError]
) -> list[DeckError]:
    """The advice for each deck skipped only for reusing ids, beyond ``already_advised``: such a
    deck is sound, yet :func:`deck_advice` reads only the decks that loaded, so a copy of a
    course lesson lacking a zh text heard only of its clashes. Each is loaded alone to be
    advised."""
    advice: list[DeckError] = []
    for skipped in library.skipped:
        if skipped.errors and all(e.said.key == _ID_CLASH for e in skipped.errors):
            alone = deck_advice(DeckLoader([skipped.file], named=True).load())
            advice.extend(a for a in alone if a not in already_advised)
    return advice


def clash_line(library: DeckLibrary, config: TutorConfig, paths: list[str]) -> str:
    """Where the author's decks reuse ids of the decks the tutor loads beside them, how to fix
    it: the tutor skips such a deck, but an author copying a course lesson to start from was
    told only that each id is used. The author's decks are those named (``PATH``) or, none
    named, those of the decks folder, which load beside the course; with ``--decks`` and no
    ``PATH``, none: the decks given load on their own already, so they clash only among
    themselves, and renaming is all there is to say ("")."""
    files = {deck.file for deck in library.skipped} | set(library.files.values())
    if paths:
        own = files
    elif config.decks_overridden:
        return ""
    else:
        # listed as the loader lists them (resolved): a data dir given relative, or reached
        # through a link, and a deck linked into the folder are the folder's all the same
        in_folder = set(discover([config.paths.user_decks])[0])
        own = files & in_folder
    own_names = {str(file) for file in own}
    clashes = {  # each of the author's decks skipped: the ids it reuses from the others'
        skipped.file: {
            said["id"]
            for error in skipped.errors
            if error.said.key == _ID_CLASH
            and (said := dict(error.said.values))["file"] not in own_names
        }
        for skipped in library.skipped
        if skipped.file in own
    }
    ids = set().union(*clashes.values())
    if not ids:
        return ""
    clashing = paths or [str(file) for file, clashed in clashes.items() if clashed]
    decks = " ".join(f"--decks {shlex.quote(path)}" for path in clashing)
    return tr("validate.clash_with_loaded", config.lang, count=len(ids), decks=decks)


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


def failed_line(library: DeckLibrary, lang: Lang, advice_count: int) -> str:
    """The closing line of a report with problems, true to what loaded: none of the decks; the
    others than those left out; or every deck, when no problem left one out (an unknown id in a
    ``related`` list or a ``lesson:`` leaves its deck in): "the other decks" were none. It counts
    every line above it, the ``advice_count`` pieces of advice too: "4 problems found" closed
    five lines."""
    count = len(library.errors)
    found = (
        tr("validate.problems_and_advice", lang, count=count, advice=advice_count)
        if advice_count
        else tr("validate.problems", lang, count=count)
    )
    loaded = len(library.lessons) + len(library.card_decks)
    if not loaded:
        return tr("validate.failed_all", lang, found=found)
    if library.skipped:
        return tr("validate.failed", lang, found=found)
    return tr("validate.failed_all_loaded", lang, found=found, decks=loaded)
