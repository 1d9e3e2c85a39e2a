"""Two languages for every learner-facing string.

Deck text is either a plain string or ``{en: ..., zh: ...}``; UI strings live in YAML catalogs under
``tutor/strings/`` (one file per area of the app), each key holding both languages.

A catalog string picks a word by number with a ``one|other`` format spec: ``"{n} {n:day|days}"``
reads "1 day", "2 days" (Chinese has no plural and simply leaves the spec out).
"""

from __future__ import annotations

import enum
import os
import string
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path


class Lang(str, enum.Enum):
    EN = "en"
    ZH = "zh"

    @classmethod
    def parse(cls, value: str) -> Lang:
        try:
            return cls(value.strip().lower()[:2])
        except ValueError:
            raise ValueError(f"unknown language {value!r}: use 'en' or 'zh'") from None

    @property
    def other(self) -> Lang:
        return Lang.ZH if self is Lang.EN else Lang.EN


LANGS: tuple[str, ...] = tuple(lang.value for lang in Lang)


def detect_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The language from the locale variables, as gettext picks a message language: the first
    language we speak in ``LANGUAGE``'s list (``zh_CN:en``; ``C`` there means untranslated,
    English), unless the locale is C or POSIX; else the locale (``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``); English when unknown. Unlike gettext, a ``LANGUAGE`` that names only languages
    we lack falls back to the locale (``LANGUAGE=fr`` with ``LANG=zh_CN``: Chinese)."""
    env = os.environ if environ is None else environ
    locale_name = next((env[var] for var in _LOCALE_VARS if env.get(var)), "")
    if locale_name not in _C_LOCALES:
        for name in env.get("LANGUAGE", "").split(":"):
            if name in _C_LOCALES:
                return Lang.EN
            if lang := _spoken(name):
                return lang
    return _spoken(locale_name) or Lang.EN


_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")
_C_LOCALES = ("C", "POSIX")


def _spoken(name: str) -> Lang | None:
    """The language of a locale or language name (``zh_CN.UTF-8``, ``en``), if we speak it."""
    code = name.lower()
    if code.startswith("zh"):
        return Lang.ZH
    if code.startswith("en"):
        return Lang.EN
    return None


LocalText = str | Mapping[str, str]
"""A deck string: plain text, or a mapping from language code to text."""


def localize(text: LocalText | None, lang: Lang | str) -> str:
    """Pick ``lang`` from a deck string, falling back to the other language, then to ``""``."""
    if isinstance(text, str):
        return text
    picked = localized_language(text, lang)
    return text[picked] if text is not None and picked is not None else ""


def localized_language(text: LocalText | None, lang: Lang | str) -> str | None:
    """The language :func:`localize` picks from ``text`` in ``lang``: ``lang`` where it has
    words in it, else the first language with words; ``None`` for a plain string (in whatever
    language it was written) and for no words at all."""
    if text is None or isinstance(text, str):
        return None
    code = lang.value if isinstance(lang, Lang) else lang
    if text.get(code):
        return code
    return next((key for key, value in text.items() if value), None)


_STRINGS_DIR = Path(__file__).resolve().parent / "strings"


@cache
def _catalog() -> dict[str, dict[str, str]]:
    import yaml

    merged: dict[str, dict[str, str]] = {}
    for path in sorted(_STRINGS_DIR.glob("*.yaml")):
        # libyaml's parser where PyYAML has it (a build from source may not)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
        for key, value in data.items():
            merged[str(key)] = value
    return merged


def catalog_keys() -> list[str]:
    return sorted(_catalog())


class _CatalogFormatter(string.Formatter):
    """``str.format``, plus the plural spec: ``{n:one|other}`` is ``one`` when n is 1."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return one if value == 1 else other
        return super().format_field(value, format_spec)


_FORMATTER = _CatalogFormatter()


def quoted_list(items: Iterable[str], lang: Lang | str) -> str:
    """Titles named together, each in quotes: a lesson's title holds commas (and, in Chinese,
    ``：``, ``，`` and ``、``) of its own, so a bare list cannot be told apart."""
    return tr("list.separator", lang).join(f"“{item}”" for item in items)


def tr(key: str, lang: Lang | str, /, **values: object) -> str:
    """The UI string ``key`` in ``lang``, formatted with ``values``; the key itself if unknown."""
    entry = _catalog().get(key)
    text = localize(entry, lang) if entry else key
    return _FORMATTER.format(text, **values) if values else text
