"""Export flashcards as an Anki package (``.apkg``) that updates in place on re-import.

Anki matches an imported note to an existing one by GUID and replaces it only when the incoming
modification time (whole seconds) is newer. So: the model and deck ids are fixed, each note's GUID
is derived from the card id alone, and the caller passes a timestamp that always increases
(:meth:`Learning.claim_export_timestamp`).
"""

from __future__ import annotations

import errno
import hashlib
import html
import os
from functools import cache
from pathlib import Path

import genanki
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from tutor.atomic_write import replacing
from tutor.decks import DeckLibrary, ReviewCard
from tutor.decks.code_comments import localize_comments
from tutor.i18n import Lang, localize, tr
from tutor.line_breaks import with_east_asian_line_breaks

MODEL_ID = 1_739_420_611  # fixed forever: changing it makes Anki see a new note type
GUID_NAMESPACE = "nn-tutor"
DECK_ROOT = "nn-tutor"

# Pygments paints a code box's background light, inline, and colours keywords and strings, but
# leaves names to the card's text colour: light in Anki's night mode. The box sets its own.
_CSS = """
.card { font-family: sans-serif; font-size: 18px; text-align: left; }
pre { padding: 8px; border-radius: 4px; overflow-x: auto; }
code { font-family: monospace; }
.highlight { color: #1f2328; }
.example { margin-top: 1em; }
.example-label { font-size: 13px; opacity: 0.7; }
"""


@cache
def model_for(lang: Lang | str) -> genanki.Model:
    """The note type, its template's words in ``lang``. One id and the same fields for every
    language: Anki then sees one note type (a new id or field would make it another, and the
    notes already imported would no longer be updated), and an export in another language
    updates the template's words along with the notes."""
    label = html.escape(tr("anki.example_label", lang))
    return genanki.Model(
        MODEL_ID,
        "nn-tutor card",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Example"}, {"name": "CardId"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": (
                    '{{FrontSide}}<hr id="answer">{{Back}}'
                    f'{{{{#Example}}}}<div class="example"><div class="example-label">{label}</div>'
                    "{{Example}}</div>{{/Example}}"
                ),
            }
        ],
        css=_CSS,
    )


def deck_id_for(deck_id: str) -> int:
    """A stable Anki deck id for an nn-tutor deck id (positive, far from Anki's own ids)."""
    digest = hashlib.sha256(f"{GUID_NAMESPACE}-deck:{deck_id}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:5], "big")


def guid_for(card_id: str) -> str:
    """The note GUID: derived from the card id only, so edits keep the same note."""
    return genanki.guid_for(GUID_NAMESPACE, card_id)


def _highlight(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang) if lang else PythonLexer()
    except ClassNotFound:
        lexer = PythonLexer()
    return highlight(code, lexer, HtmlFormatter(noclasses=True, nowrap=False))


_MARKDOWN = with_east_asian_line_breaks(
    MarkdownIt("commonmark", {"highlight": _highlight, "html": False})
)


def markdown_html(text: str) -> str:
    """Markdown to HTML with inline-styled syntax highlighting (Anki has no stylesheet for it)."""
    return _MARKDOWN.render(text).strip()


def code_html(code: str) -> str:
    return _highlight(code, "python", "")


class AnkiExporter:
    """Builds one Anki deck per nn-tutor deck under ``nn-tutor::``, in one language."""

    def __init__(self, library: DeckLibrary, lang: Lang | str = Lang.EN) -> None:
        self.library = library
        self.lang = lang

    def note(self, card: ReviewCard) -> genanki.Note:
        c = card.card
        tags = {*(t.replace(" ", "_") for t in c.tags), card.deck_id}
        if c.torch_min:  # Anki shows no note above a card: a tag says which torch it is about
            tags.add(f"torch_min::{c.torch_min}")
        return genanki.Note(
            model=model_for(self.lang),
            fields=[
                markdown_html(localize(c.front, self.lang)),
                markdown_html(localize(c.back, self.lang)),
                code_html(localize_comments(c.example, self.lang)) if c.example else "",
                html.escape(c.id),
            ],
            tags=sorted(tags),
            guid=guid_for(c.id),
        )

    def deck_title(self, deck_id: str) -> str:
        deck = self.library.lesson(deck_id) or self.library.card_deck(deck_id)
        title = localize(deck.title, self.lang) if deck else deck_id
        return f"{DECK_ROOT}::{title.replace('::', ':')}"

    def package(self, deck_id: str | None = None) -> tuple[genanki.Package, int]:
        """The package for all cards (or those of ``deck_id``) and how many notes it holds."""
        decks: dict[str, genanki.Deck] = {}
        cards = self.library.review_cards(deck_id)
        for card in cards:
            deck = decks.get(card.deck_id)
            if deck is None:
                deck = genanki.Deck(deck_id_for(card.deck_id), self.deck_title(card.deck_id))
                decks[card.deck_id] = deck
            deck.add_note(self.note(card))
        return genanki.Package(list(decks.values())), len(cards)

    def write(self, out: Path, timestamp: float, deck_id: str | None = None) -> int:
        """Write the package to ``out`` with notes stamped ``timestamp``; the note count.

        The package is written beside ``out`` and renamed over it once complete: an export that
        fails half way (a full disk) leaves the last package whole, not a truncated zip.
        """
        if out.is_dir():  # refused before anything is written beside it
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(out))
        package, count = self.package(deck_id)
        with replacing(out) as partial:
            package.write_to_file(str(partial), timestamp=timestamp)
        return count
