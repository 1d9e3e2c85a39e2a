"""Lines of the learner's numbers said the same way on the stats screen, by ``nn-tutor stats``
and on the course map."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len

from tutor.decks.model import Card
from tutor.i18n import Lang, localize, tr
from tutor.trace_layout import clip
from tutor.widgets.inline import inline

if TYPE_CHECKING:
    from tutor.decks import DeckLibrary

FRONT_CELLS = 60
"""The most of a flagged card's front shown (cut with … past it)."""
FLAGGED_LINE_CELLS = 67
"""The most a flagged card's line takes in the Stats screen, its front and the flag's note
together, so that each card keeps to a line: the narrowest Stats cards panel (72 cells, at 80
columns) less the "  🚩 " it is listed after."""
FRONT_LEAST_CELLS = 24
"""The fewest cells of a front kept to leave the flag's note room (the note is the learner's
own words on what is wrong; the front's start is enough to tell the card)."""


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


def card_front(card_id: str, library: DeckLibrary | None, lang: Lang) -> str | None:
    """The front in ``lang`` of the card ``card_id`` as it reads, plain text on one line (its
    inline marks dropped: a cut line must not end in half a code span's backticks); ``None``
    where no deck of ``library`` has it (or there is no ``library``)."""
    found = library.item(card_id) if library is not None else None
    if found is None or not isinstance(found[1], Card):
        return None
    return " ".join(inline(localize(found[1].front, lang), code_style="").plain.split())


def flagged_card_line(
    flag: dict[str, Any], library: DeckLibrary | None, lang: Lang, *, cells: int | None
) -> str:
    """A flagged card (an item of ``stats()``'s ``flagged``) as the learner knows it, on one
    line: its :func:`card_front`; its id where no deck of ``library`` has it, saying so (ids
    mean nothing to a learner, but there is no front to show). Without a ``library``: the id
    alone. The flag's note follows. With ``cells`` (a panel's width) the line keeps to that
    many: the front cut to :data:`FRONT_CELLS`, further to leave the note room (down to
    :data:`FRONT_LEAST_CELLS`), then the note cut; with none (plain text, no panel) nothing is
    cut."""
    card_id = flag["card_id"]
    name = card_front(card_id, library, lang)
    if name is None:
        name = card_id if library is None else tr("stats.flagged_gone", lang, card_id=card_id)
    note = " ".join(flag["note"].split())  # a line break would wrap
    if cells is None:
        return tr("stats.flagged_note", lang, card=name, note=note) if note else name
    name = clip(name, FRONT_CELLS, keep="start")
    if not note:
        return clip(name, cells, keep="start")
    between = cell_len(tr("stats.flagged_note", lang, card="", note=""))
    name_room = max(FRONT_LEAST_CELLS, cells - between - cell_len(note))
    name = clip(name, name_room, keep="start")
    line = tr("stats.flagged_note", lang, card=name, note=note)
    return clip(line, cells, keep="start")
