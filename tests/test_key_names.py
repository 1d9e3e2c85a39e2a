"""Every key a catalog string names is spelled as Textual's footer draws it, in both languages.

The footer and Help spell a key through ``App.get_key_display``: escape is "esc", f2 "f2",
ctrl+s "^s", enter "⏎", ctrl+pagedown "^pgdn". A hint that says "Esc", "ctrl+s" or "空格" above a
footer saying "esc", "^s" and "space" reads as another key, so the spelling is taken from Textual
itself here, not written down a second time. Chinese also puts a space, not "：", between a key
and what it does ("esc 返回"), as most of its hints do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from textual.app import App
from textual.binding import Binding

from tutor.i18n import LANGS, catalog_keys, tr
from tutor.widgets.step_quiz_order import OrderQuizView

NOT_KEYS: dict[str, str] = {
    "deck.tab_indent": "the tab and space characters of YAML indentation, not keys",
    "deck.yaml_slip.escape": "a backslash escape in a YAML text, not the esc key",
    "deck.yaml_slip.key_colon": "the space character after a YAML key's colon, not a key",
    "deck.yaml_slip.odd_space": "a no-break or full-width space character in YAML, not a key",
    "deck.odd_space_in_key": "a no-break or full-width space character in a key, not a key",
    "deck.space.nbsp": "the no-break space character, not the space bar",
    "deck.space.ideographic": "the full-width space character, not the space bar",
    "os.enospc": "space on a disk, not the space bar",
    "sandbox.hint.mixed_tabs": "the tab and space characters of Python indentation, not keys",
}
"""Catalog strings whose words for keys ("tab", "space", "空格") mean something else."""

KEY_WORDS: dict[str, str] = {
    "escape": r"\besc(?:ape)?\b",
    "enter": r"\benter\b|回车|⏎",
    "space": r"\bspace\b|空格",
    "tab": r"\btab\b|制表键",
}
"""Textual's name of a key, and any spelling of it (either language, any case)."""

FUNCTION_KEY = re.compile(r"\bf(\d{1,2})\b|Ｆ([０-９]{1,2})", re.IGNORECASE)
CTRL_KEY = re.compile(
    r"(?:\bctrl\s*\+\s*|\^)(page\s*down|page\s*up|pgdn|pgup|[a-z])\b", re.IGNORECASE
)
CTRL_ALIASES = {"pgdn": "pagedown", "pgup": "pageup"}
SHIFT_ARROW = re.compile(r"\bshift\s*\+\s*([↑↓])|⇧([↑↓])", re.IGNORECASE)
SHIFT = re.compile(r"\bshift\b(?!\s*\+\s*[↑↓])", re.IGNORECASE)
ANY_KEY = "|".join(
    [*KEY_WORDS.values(), FUNCTION_KEY.pattern, CTRL_KEY.pattern, SHIFT_ARROW.pattern, "[↑↓←→]"]
)
ZH_KEY_THEN_COLON = re.compile(rf"(?:{ANY_KEY})\s*：", re.IGNORECASE)
"""A key, then "：" before its action: Chinese hints write "esc 返回"."""


def footer_spelling(key: str) -> str:
    """How Textual's footer draws ``key`` (a binding's key, "ctrl+s"), when no display is set."""
    return App().get_key_display(Binding(key, "noop"))


def shift_arrow_spelling(arrow: str) -> str:
    """How the footer draws shift+↑/↓: the order quiz's own key display (the footer shows it)."""
    key = {"↑": "shift+up", "↓": "shift+down"}[arrow]
    binding = next(b for b in OrderQuizView.BINDINGS if b.key.split(",")[0] == key)
    return binding.key_display or footer_spelling(key)


def misspelled(text: str) -> Iterator[tuple[str, str]]:
    """(as written, as the footer draws it) for each key ``text`` names some other way."""
    for key, pattern in KEY_WORDS.items():
        for match in re.finditer(pattern, text, re.IGNORECASE):
            yield match.group(), footer_spelling(key)
    for match in FUNCTION_KEY.finditer(text):
        number = match.group(1) or str(int(match.group(2)))  # int() reads full-width digits
        yield match.group(), footer_spelling(f"f{number}")
    for match in CTRL_KEY.finditer(text):
        name = re.sub(r"\s+", "", match.group(1).lower())
        yield match.group(), footer_spelling(f"ctrl+{CTRL_ALIASES.get(name, name)}")
    for match in SHIFT_ARROW.finditer(text):
        yield match.group(), shift_arrow_spelling(match.group(1) or match.group(2))
    modifier = footer_spelling("shift+a").split("+")[0]
    for match in SHIFT.finditer(text):
        yield match.group(), modifier


@pytest.mark.parametrize("lang", LANGS)
def test_catalog_strings_spell_keys_as_the_footer_does(lang: str) -> None:
    wrong = [
        (key, written, footer)
        for key in catalog_keys()
        if key not in NOT_KEYS
        for written, footer in misspelled(tr(key, lang))
        if written != footer
    ]
    assert wrong == []


def test_chinese_hints_put_a_space_between_key_and_action() -> None:
    with_colon = [
        (key, match.group())
        for key in catalog_keys()
        for match in ZH_KEY_THEN_COLON.finditer(tr(key, "zh"))
    ]
    assert with_colon == []


def test_the_checks_see_the_spellings_they_are_for() -> None:
    """The patterns above find each kind of misspelling, and pass the footer's own."""
    assert dict(misspelled("Esc · ctrl+s · Ctrl+PgDn · F2 · Shift+↑ · 空格或回车")) == {
        "Esc": "esc",
        "ctrl+s": "^s",
        "Ctrl+PgDn": "^pgdn",
        "F2": "f2",
        "Shift+↑": "⇧↑",
        "空格": "space",
        "回车": "⏎",
    }
    footer = "esc · ^s · ^pgdn · f2 · ⇧↑ · space 或 ⏎ · shift + 鼠标滚轮"
    assert all(written == drawn for written, drawn in misspelled(footer))
    assert ZH_KEY_THEN_COLON.search("Esc：返回")
