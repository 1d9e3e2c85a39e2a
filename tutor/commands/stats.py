"""``nn-tutor stats [--json]``: review statistics without opening the TUI."""

from __future__ import annotations

import argparse
import json
from typing import Any

from tutor.commands.learning_cli import open_learning, say_deck_problems
from tutor.config import TutorConfig
from tutor.decks import DeckLibrary
from tutor.i18n import Lang, tr
from tutor.learning import Access
from tutor.stats_text import card_front, flagged_card_line, review_now_line, reviews_line


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    """Exit 1 when the store cannot be opened or a deck path is missing; decks that failed to
    load are said on stderr (and listed in the JSON), and the stats of the rest still count as a
    success (0). It only reads: a lock another nn-tutor holds or a read-only store does not stop
    it."""
    learning = open_learning(config, Access.READ)
    if learning is None:
        return 1
    with learning:
        if say_deck_problems(learning.library, config.lang):
            return 1
        data = learning.stats(config.lang)
    if args.json:
        # the decks left out, for a script as for the learner: ``check --json``'s key, each with
        # ``validate --json``'s fields
        data["deck_errors"] = [error.to_json() for error in learning.library.errors]
        # each flagged card's front as the text report names it (null: in no deck any more)
        for flag in data["flagged"]:
            flag["front"] = card_front(flag["card_id"], learning.library, config.lang)
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_text(data, config.lang, learning.library))
    return 0


def render_text(data: dict[str, Any], lang: Lang, library: DeckLibrary | None = None) -> str:
    """The plain-text report: the same numbers as the stats screen, without the charts; the
    flagged cards named by their fronts in ``library`` (by their ids without one), each line
    whole (no panel to keep to: a terminal wraps it, a script gets all of it)."""
    lines = [
        tr("stats.title", lang),
        review_now_line(data, lang),
        tr("stats.due", lang, **data),
        reviews_line(data, lang),
        "",
        tr(
            "stats.forecast_line",
            lang,
            label=tr("stats.forecast", lang),
            counts=" ".join(str(n) for n in data["forecast"]),
        ),
        "",
        tr("stats.lessons", lang),
    ]
    for lesson in data["lessons"]:
        lines.append(
            "  "
            + tr(
                "stats.lesson_row",
                lang,
                title=lesson["title"],
                mastery=f"{lesson['mastery']:.0%}",
                seen=lesson["seen_steps"],
                total=lesson["total_steps"],
                done=tr("stats.completed", lang) if lesson["completed"] else "",
            )
        )
    sections = (
        (
            "stats.flagged",
            [flagged_card_line(f, library, lang, cells=None) for f in data["flagged"]],
        ),
        ("stats.orphans", data["orphans"]),
        ("stats.edited", data["edited"]),
    )
    for key, items in sections:
        if items:
            lines += ["", tr(key, lang, count=len(items)), *(f"  {item}" for item in items)]
    return "\n".join(lines)
