"""Lines of the learner's numbers said the same way on the stats screen, by ``nn-tutor stats``
and on the course map."""

from __future__ import annotations

from typing import Any

from tutor.i18n import Lang, tr


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
