"""Lines of the learner's numbers said the same way on the stats screen, by ``nn-tutor stats``
and on the course map."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tutor.decks.model import Card
from tutor.i18n import Lang, localize, tr
from tutor.trace_layout import clip

if TYPE_CHECKING:
    from tutor.decks import DeckLibrary

FRONT_CELLS = 60
"""The most of a flagged card's front shown (cut with … past it): each card keeps to a line."""


def streak_mark(days: int) -> str:
    """🔥 for a streak going, 🌱 for none yet (a flame beside "0 days" reads as mockery)."""
    return "🔥" if days else "🌱"


def reviews_line(data: dict[str, Any], lang: Lang) -> str:
    """Reviews made, the true retention of the last 30 days and the streak, from ``stats()``."""
    retention = data["retention_30d"]
    return tr(
        "stats.reviews",
        lang,
        reviews_total=data["reviews_total"],
        retention=tr("stats.no_retention", lang) if retention is None else f"{retention:.0%}",
        streak_days=data["streak_days"],
        mark=streak_mark(data["streak_days"]),
    )


def review_now_line(data: dict[str, Any], lang: Lang) -> str:
    """What a review started now shows, from ``stats()``: the course map's "cards due", with
    the kinds it is made of (due, new, learning steps shown ahead), the ones there are."""
    head = tr("stats.review_now", lang, count=data["review_now"])
    parts = [
        tr("stats.review_due", lang, count=data["review_now_due"]),
        tr("stats.review_new", lang, count=data["review_now_new"]),
        tr(
            "stats.review_ahead",
            lang,
            count=data["review_now_ahead"],
            minutes=data["learn_ahead_min"],
        ),
    ]
    counts = (data["review_now_due"], data["review_now_new"], data["review_now_ahead"])
    shown = [part for part, count in zip(parts, counts, strict=True) if count]
    if not shown:
        return head
    return tr(
        "stats.review_detail", lang, head=head, parts=tr("stats.review_sep", lang).join(shown)
    )


def flagged_card_line(flag: dict[str, Any], library: DeckLibrary | None, lang: Lang) -> str:
    """A flagged card (an item of ``stats()``'s ``flagged``) as the learner knows it: its front
    in ``lang`` on one line, cut to :data:`FRONT_CELLS`; its id where no deck of ``library``
    has it any more, saying so (ids mean nothing to a learner, but there is no front to show).
    The flag's note follows. Without a ``library``: the id alone."""
    card_id = flag["card_id"]
    found = library.item(card_id) if library is not None else None
    if found is not None and isinstance(found[1], Card):
        front = " ".join(localize(found[1].front, lang).split())
        name = clip(front, FRONT_CELLS, keep="start")
    elif library is not None:
        name = tr("stats.flagged_gone", lang, card_id=card_id)
    else:
        name = card_id
    if not flag["note"]:
        return name
    return tr("stats.flagged_note", lang, card=name, note=flag["note"])
