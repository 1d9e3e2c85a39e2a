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
import re
from collections import Counter
from functools import cache
from pathlib import Path
from string import ascii_lowercase

import genanki
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from tutor.atomic_write import replacing
from tutor.decks import DeckLibrary, ReviewCard
from tutor.decks.code_comments import localize_comments
from tutor.decks.model import CardDeck, LessonDeck
from tutor.i18n import Lang, localize, tr
from tutor.line_breaks import east_asian_markdown

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
    """A stable Anki deck id for an nn-tutor deck id: the same in every export, so existing
    exports stay as they were. It falls in the range of Anki's own ids (milliseconds since
    1970), which does no harm: Anki matches an imported deck to one of its own by name, not id
    (hence :func:`deck_names`), and gives a deck it adds an id of its own."""
    digest = hashlib.sha256(f"{GUID_NAMESPACE}-deck:{deck_id}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:5], "big")


def guid_for(card_id: str) -> str:
    """The note GUID: derived from the card id only, so edits keep the same note."""
    return genanki.guid_for(GUID_NAMESPACE, card_id)


def _highlight(code: str, lang: str, _attrs: str) -> str:
    """A fenced block as one highlighted ``<pre>`` with its colours inline (markdown-it keeps a
    ``<pre>`` as it is; Pygments' own ``<div><pre>`` it would put in a second box). ``""``, which
    markdown-it escapes as plain text, for a fence with no language or one Pygments does not
    know: an ASCII diagram painted as Python got red error boxes on its arrows."""
    try:
        lexer = get_lexer_by_name(lang) if lang else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return ""
    formatter = HtmlFormatter(noclasses=True, nowrap=True)
    background = html.escape(formatter.style.background_color or "transparent")
    return (
        f'<pre class="highlight" style="background: {background}"><code>'
        f"{highlight(code, lexer, formatter)}</code></pre>"
    )


def _markdown() -> MarkdownIt:
    """The TUI's parser (``gfm-like``: tables, ~~strike~~), with code highlighted and raw HTML
    in a card shown as text, as the TUI shows it."""
    parser = east_asian_markdown()
    parser.options["highlight"] = _highlight
    parser.options["html"] = False
    return parser


_MARKDOWN = _markdown()


def markdown_html(text: str) -> str:
    """Markdown to HTML with inline-styled syntax highlighting (Anki has no stylesheet for it)."""
    return _MARKDOWN.render(text).strip()


def code_html(code: str) -> str:
    """A card's example: Python, in Pygments' box (the night-mode CSS colours ``.highlight``)."""
    return highlight(code, PythonLexer(), HtmlFormatter(noclasses=True, nowrap=False))


def anki_tag(tag: str) -> str:
    """``tag`` as one Anki tag: Anki splits tags at any whitespace (an ideographic space, a tab),
    so each run of it becomes one ``_``."""
    return re.sub(r"\s+", "_", tag.strip())


def deck_names(library: DeckLibrary) -> dict[str, str]:
    """Deck id -> Anki deck name for every deck of the library: ``nn-tutor::05 · Title`` for the
    lesson numbered 5 on the course map, ``05a · …``, ``05b · …`` for the card decks written for
    it (in the library's order), and the title alone for a card deck of no lesson.

    Anki lists decks by name and studies a parent's new cards deck by deck in that order, so the
    numbers make it the course's order (a deck of no lesson comes after them), and keep two decks
    of one title apart. The numbers are the course's, not places in the list of decks: a card
    deck added or removed renames no other deck (Anki matches decks by name and leaves a card in
    the deck it first went to: a renamed deck is a new, empty one to it, the cards staying in the
    old). The title is the English one whatever the export's language, for the same reason: a
    name that followed ``--lang`` left a re-import in the other language adding a tree of empty
    decks. A deck exported alone (``--deck``) has the name the full export gives it.
    """
    names: dict[str, str] = {}
    digits = library.number_digits()
    for number, lesson in library.numbered_lessons():
        names[lesson.id] = _deck_name(f"{number:0{digits}d} · ", lesson)
        tied = [deck for deck in library.card_decks if deck.lesson == lesson.id]
        for index, deck in enumerate(tied):
            names[deck.id] = _deck_name(f"{number:0{digits}d}{_deck_letter(index)} · ", deck)
    loose = [deck for deck in library.card_decks if deck.id not in names]
    titles = Counter(localize(deck.title, Lang.EN) for deck in loose)
    for deck in loose:
        alike = titles[localize(deck.title, Lang.EN)] > 1
        names[deck.id] = _deck_name("", deck, f" ({deck.id})" if alike else "")
    return names


def _deck_letter(index: int) -> str:
    """``a``, ``b``… for the card decks of one lesson, then ``z27``, ``z28``… past the 26th."""
    return ascii_lowercase[index] if index < len(ascii_lowercase) else f"z{index + 1}"


def _deck_name(prefix: str, deck: LessonDeck | CardDeck, suffix: str = "") -> str:
    title = localize(deck.title, Lang.EN).replace("::", ":")  # "::" would nest a deck in Anki
    return f"{DECK_ROOT}::{prefix}{title}{suffix}"


class AnkiExporter:
    """Builds one Anki deck per nn-tutor deck under ``nn-tutor::`` (:func:`deck_names`), the
    notes in one language."""

    def __init__(self, library: DeckLibrary, lang: Lang | str = Lang.EN) -> None:
        self.library = library
        self.lang = lang

    def note(self, card: ReviewCard) -> genanki.Note:
        c = card.card
        tags = {*(anki_tag(t) for t in c.tags if t.strip()), card.deck_id}
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

    def package(self, deck_id: str | None = None) -> tuple[genanki.Package, int]:
        """The package for all cards (or those of ``deck_id``) and how many notes it holds."""
        decks: dict[str, genanki.Deck] = {}
        names = deck_names(self.library)
        cards = self.library.review_cards(deck_id)
        for card in cards:
            deck = decks.get(card.deck_id)
            if deck is None:
                deck = genanki.Deck(deck_id_for(card.deck_id), names[card.deck_id])
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
