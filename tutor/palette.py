"""The command palette's provider: every screen and every lesson, in the current language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tutor.i18n import localize


class TutorCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app: Any = self.app
        t = app.tr
        commands: list[tuple[str, Callable[[], Any], str]] = [
            (f"🏠 {t('screen.home')}", app.action_home, ""),
            (f"🃏 {t('screen.review')}", app.action_review, ""),
            (f"📊 {t('screen.stats')}", app.action_stats, ""),
            (f"🧪 {t('screen.sandbox')}", app.action_sandbox, ""),
            (f"🎮 {t('palette.game', title=t('game.shape.title'))}", app.action_shape_game, ""),
            (f"🐞 {t('palette.game', title=t('game.bug.title'))}", app.action_bug_game, ""),
            (f"🚧 {t('screen.problems')}", app.action_problems, ""),
            (f"🔑 {t('screen.help')}", app.action_help, ""),
            (f"🌐 {t('screen.lang')}", app.action_toggle_lang, ""),
            # ctrl+q's quit: it asks again before unsaved changes are lost.
            (f"🚪 {t('k.quit')}", app.action_quit, ""),
        ]
        library = app.library
        if library is not None:
            for number, lesson in library.numbered_lessons():
                title = t("palette.lesson", n=number, title=localize(lesson.title, app.lang))
                commands.append(
                    (
                        f"📚 {title}",
                        # where the course map would open it, not back at its first step
                        partial(app.resume_lesson_soon, lesson.id),
                        localize(lesson.summary, app.lang),
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(title, callback, help=help_text or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), callback, text=title, help=help_text or None
                )
