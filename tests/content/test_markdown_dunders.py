"""No Python dunder sits in the prose of a Markdown text, where Markdown would eat it.

Markdown reads ``__init__`` as the word "init" in bold, so a learner shown
``before Module.__init__() call`` reads "before Module.init() call": a name that does not exist.
Inside a code span or a fenced block the underscores are kept, so every dunder a Markdown text
names belongs in one. The texts checked are those the app renders as Markdown; labels, options,
``why`` and captions go through :func:`tutor.widgets.inline.inline`, which leaves ``__`` alone.
"""

from __future__ import annotations

import re

from tutor.decks import DeckLibrary, model
from tutor.decks.walk import iter_text_fields
from tutor.line_breaks import east_asian_markdown

MARKDOWN_FIELDS = {"body", "question", "prompt", "points", "front", "back"}
"""Fields shown by ``ProseMarkdown`` (text and recap steps, quiz questions, exercise prompts,
cards) and by the Anki export's Markdown (card fronts and backs)."""
DUNDER = re.compile(r"__[A-Za-z]\w*?__")
PARSER = east_asian_markdown()  # the parser the lesson screen renders with


def prose(markdown: str) -> str:
    """``markdown`` as written, less its fenced blocks and inline code spans: the text Markdown
    is free to read emphasis into. Walks the app's own parser's tokens, so a fence or span is
    whatever that parser takes for one; emphasis markers are put back as they were written."""
    pieces: list[str] = []
    for block in PARSER.parse(markdown):
        if block.type != "inline":  # fences and code blocks are never inline tokens
            continue
        for token in block.children or []:
            if token.type == "code_inline":
                pieces.append(" ")
            elif token.type == "text":
                pieces.append(token.content)
            elif token.type.endswith(("_open", "_close")) and set(token.markup) <= set("*_~"):
                pieces.append(token.markup)  # emphasis markers as written
            else:  # a line break, a link's or an image's edges: a space
                pieces.append(" ")
        pieces.append("\n")
    return "".join(pieces)


def prose_dunders(markdown: str) -> list[str]:
    """Every dunder of ``markdown`` outside code, which Markdown would render as bold."""
    return DUNDER.findall(prose(markdown))


def markdown_texts(deck: model.LessonDeck | model.CardDeck) -> list[tuple[str, str]]:
    """(path and language, text) for every Markdown-rendered text of ``deck``."""
    texts: list[tuple[str, str]] = []
    for _, name, path, text in iter_text_fields(deck, deck.id):
        if name not in MARKDOWN_FIELDS:
            continue
        languages = text.items() if isinstance(text, dict) else [("", text)]
        texts += [(f"{path}.{lang}".rstrip("."), value) for lang, value in languages]
    return texts


def test_the_check_finds_a_dunder_only_in_prose() -> None:
    assert prose_dunders("fires before Module.__init__() call.") == ["__init__"]
    assert prose_dunders("参数也有同样的检查（“before Module.__init__() call”）。") == ["__init__"]
    assert prose_dunders("call `super().__init__()` first") == []
    assert prose_dunders("``a `__call__` b``, then") == []
    assert prose_dunders("Before:\n\n```\nModule.__setattr__(name)\n```\n") == []
    assert prose_dunders("`_parameters` and _buffers, __dict__ ") == ["__dict__"]


def test_the_walk_reaches_every_kind_of_markdown_text(library: DeckLibrary) -> None:
    """A renamed field would silently drop out of the check below."""
    seen = {
        name
        for deck in [*library.lessons, *library.card_decks]
        for _, name, _, _ in iter_text_fields(deck, deck.id)
    }
    assert seen >= MARKDOWN_FIELDS


def test_no_dunder_is_left_in_markdown_prose(library: DeckLibrary) -> None:
    assert library.lessons and library.card_decks
    found = [
        f"{path}: {dunder}"
        for deck in [*library.lessons, *library.card_decks]
        for path, text in markdown_texts(deck)
        for dunder in prose_dunders(text)
    ]
    assert found == [], "\n".join(found)
