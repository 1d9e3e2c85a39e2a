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
