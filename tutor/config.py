"""The settings every entry point shares: the CLI, ``TutorApp()`` and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tutor.i18n import Lang, detect_lang
from tutor.paths import DataPaths, default_data_dir, default_deck_paths


@dataclass(frozen=True)
class TutorConfig:
    """Resolved global options. ``TutorConfig.default()`` is what ``nn-tutor`` uses with no flags."""

    data_dir: Path
    deck_paths: tuple[Path, ...]
    lang: Lang
    decks_overridden: bool = field(default=False, compare=False)

    @classmethod
    def default(cls) -> TutorConfig:
        return cls.resolve()

    @classmethod
    def resolve(
        cls,
        data_dir: Path | str | None = None,
        decks: list[Path | str] | None = None,
        lang: str | None = None,
    ) -> TutorConfig:
        root = Path(data_dir).expanduser() if data_dir else default_data_dir()
        deck_paths = (
            tuple(Path(p).expanduser() for p in decks) if decks else tuple(default_deck_paths(root))
        )
        return cls(
            data_dir=root,
            deck_paths=deck_paths,
            lang=Lang.parse(lang) if lang else detect_lang(),
            decks_overridden=bool(decks),
        )

    @property
    def paths(self) -> DataPaths:
        return DataPaths(self.data_dir)
