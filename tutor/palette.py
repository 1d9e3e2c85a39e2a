"""The command palette and its provider: every screen and every lesson, in the current language.

A search matches the English titles too: a Chinese-speaking learner may type "sandbox", as the
README, the command line and the code name it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.widgets.option_list import OptionDoesNotExist

from tutor.i18n import localize, tr
from tutor.theme_styles import THEMES

Command = tuple[str, Callable[[], Any], str]
"""A command's title, what it does, and its help line."""


class TutorCommands(Provider):
    _shown: list[Command]  # in the app's language, set as the palette opens
    _english: list[Command]  # the same commands worded in English, in the same order

    def _commands(self, lang: str) -> list[Command]:
        """(title, what it does, help) for each command, worded in ``lang``."""
        app: Any = self.app

        def t(key: str, **values: object) -> str:
            return tr(key, lang, **values)

        commands: list[Command] = [
            (f"🏠 {t('screen.home')}", app.action_home, ""),
            (f"🃏 {t('screen.review')}", app.action_review, ""),
            (f"📊 {t('screen.stats')}", app.action_stats, ""),
            (f"🧪 {t('screen.sandbox')}", app.action_sandbox, ""),
            (f"🎮 {t('palette.game', title=t('game.shape.title'))}", app.action_shape_game, ""),
            (f"🐞 {t('palette.game', title=t('game.bug.title'))}", app.action_bug_game, ""),
            (f"🚧 {t('screen.problems')}", app.action_problems, ""),
            (f"🔑 {t('screen.help')}", app.action_help, ""),
            (f"🌐 {t('screen.lang')}", app.action_toggle_lang, ""),
            (f"🎨 {t('palette.theme')}", app.action_choose_theme, ""),
            # ctrl+q's quit: it asks again before unsaved changes are lost.
            (f"🚪 {t('k.quit')}", app.action_quit, ""),
        ]
        library = app.library
        if library is not None:
            for number, lesson in library.numbered_lessons():
                title = t("palette.lesson", n=number, title=localize(lesson.title, lang))
                commands.append(
                    (
                        f"📚 {title}",
                        # where the course map would open it, not back at its first step
                        partial(app.resume_lesson_soon, lesson.id),
                        localize(lesson.summary, lang),
                    )
                )
        return commands

    async def startup(self) -> None:
        """Word the commands once per opening of the palette, not on every key typed."""
        lang = self.app.lang  # type: ignore[attr-defined]
        self._shown = self._commands(lang)
        self._english = self._commands("en") if lang != "en" else self._shown

    async def discover(self) -> Hits:
        for title, callback, help_text in self._shown:
            yield DiscoveryHit(Content(title), callback, help=plain_help(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for (title, callback, help_text), (in_english, _, _) in zip(
            self._shown, self._english, strict=True
        ):
            score = matcher.match(title)
            if score > 0:
                label = highlighted(matcher, title)
            else:  # found by its English words: shown in the learner's, unhighlighted
                score, label = matcher.match(in_english), Content(title)
            if score > 0:
                yield Hit(score, label, callback, text=title, help=plain_help(help_text))


class TutorThemes(Provider):
    """The themes the learner may choose from (:data:`tutor.theme_styles.THEMES`), each said to
    be dark or light, the one in use ticked; choosing one keeps it for the next start."""

    def _themes(self) -> list[tuple[str, str, str]]:
        """(name, title, help) for each theme this Textual has, in the app's language."""
        app: Any = self.app
        themes = []
        for name in THEMES:
            theme = app.get_theme(name)
            if theme is not None:
                key = "palette.theme_dark" if theme.dark else "palette.theme_light"
                mark = "✓" if name == app.theme else " "
                themes.append((name, f"{mark} {name}", tr(key, app.lang)))
        return themes

    async def discover(self) -> Hits:
        for name, title, help_text in self._themes():
            yield DiscoveryHit(Content(title), partial(self._choose, name), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, title, help_text in self._themes():
            # "dark", "light", 深色, 浅色: what each is said to be finds it too
            score = max(matcher.match(title), matcher.match(str(help_text)) * 0.5)
            if score > 0:
                label = highlighted(matcher, title)
                yield Hit(score, label, partial(self._choose, name), text=title, help=help_text)

    def _choose(self, name: str) -> None:
        self.app.choose_theme(name)  # type: ignore[attr-defined]


def plain_help(help_text: str) -> Any:
    """A hit's help line as text: Textual reads a ``str`` as markup (a lesson summary may hold
    ``[ ]``, and escaping doubles a ``\\`` it keeps), and takes Content as it is."""
    return Content(help_text) if help_text else None


def highlighted(matcher: Matcher, title: str) -> Content:
    """``title`` with the letters ``matcher`` matched highlighted, as ``Matcher.highlight`` does,
    but read as text: Textual reads a hit's string as markup, and a deck's title is the author's
    words (``[batch, seq]``, even ``[/]``, which markup cannot parse)."""
    content = Content(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class TutorPalette(CommandPalette):
    """Textual's palette, saying "No matches found" in the learner's language: Textual adds that
    line in English just before it shows the list, so it is worded again as the list shows."""

    def _watch__list_visible(self) -> None:
        super()._watch__list_visible()
        if self._list_visible:
            said = Text(tr("palette.no_matches", self.app.lang), style="not bold")  # type: ignore[attr-defined]
            with contextlib.suppress(OptionDoesNotExist):
                commands = self.query_one(CommandList)
                commands.replace_option_prompt(self._NO_MATCHES, Align.center(said))
