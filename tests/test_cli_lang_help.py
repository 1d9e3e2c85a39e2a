"""``--lang``'s help says where the language comes from without it: the one last chosen in the
tutor with its language key (kept in the data dir since f30d8d0), else the locale. It said
"(default: locale)", which was no longer so once a learner had pressed the key."""

from __future__ import annotations

import re

import pytest
from textual.app import App

from tutor.app import TutorApp
from tutor.cli import build_parser


def lang_key_display() -> str:
    """The key that switches the tutor's language, as the footer draws it (``f2``)."""
    (binding,) = [b for b in TutorApp.BINDINGS if getattr(b, "action", "") == "toggle_lang"]
    return App().get_key_display(binding)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_lang_help_names_the_key_whose_choice_is_the_default(lang: str) -> None:
    parser = build_parser(lang)
    (lang_option,) = [a for a in parser._actions if "--lang" in a.option_strings]
    key = re.escape(lang_key_display())
    assert re.search(rf"(?<!\w){key}(?!\w)", lang_option.help or ""), lang_option.help
    help_text = "".join(parser.format_help().split())  # as wrapped, less the breaks
    assert "".join((lang_option.help or "").split()) in help_text
