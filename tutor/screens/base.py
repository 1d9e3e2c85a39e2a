"""What every nn-tutor screen shares: localized key bindings and language switching."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen

from tutor.i18n import tr

if TYPE_CHECKING:
    from tutor.app import TutorApp


def localize_bindings(bindings: dict[str, ActiveBinding], lang: Any) -> dict[str, ActiveBinding]:
    """Binding descriptions are catalog keys (``k.next``); show them in the current language."""
    out: dict[str, ActiveBinding] = {}
    for key, active in bindings.items():
        binding = active.binding
        if binding.description.startswith("k."):
            binding = replace(binding, description=tr(binding.description, lang))
        out[key] = active._replace(binding=binding)
    return out


class LangMixin:
    """Calls :meth:`on_lang` whenever the app's language changes, and refreshes the footer."""

    def watch_app_lang(self) -> None:
        self.watch(self.app, "lang", self._lang_changed, init=False)  # type: ignore[attr-defined]

    def _lang_changed(self, _lang: Any = None) -> None:
        self.refresh_bindings()  # type: ignore[attr-defined]
        self.on_lang()

    def on_lang(self) -> None:
        """Re-render every string; override."""

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.app.lang, **values)  # type: ignore[attr-defined]


class TutorScreen(LangMixin, Screen):
    """A full screen of the tutor."""

    @property
    def tutor(self) -> TutorApp:
        return self.app  # type: ignore[return-value]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localize_bindings(super().active_bindings, self.app.lang)  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.watch_app_lang()


class TutorModal(LangMixin, ModalScreen):
    """A dialog of the tutor."""

    @property
    def tutor(self) -> TutorApp:
        return self.app  # type: ignore[return-value]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return localize_bindings(super().active_bindings, self.app.lang)  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.watch_app_lang()
