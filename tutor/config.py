"""The settings every entry point shares: the CLI, ``TutorApp()`` and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tutor.i18n import Lang, detect_lang, tr
from tutor.paths import (
    DataPaths,
    HomeNotFoundError,
    default_data_dir_and_source,
    default_deck_paths,
    expand_home,
)

DATA_DIR_OPTION = "--data-dir"
DECKS_OPTION = "--decks"


class ConfigError(ValueError):
    """A global option or variable that cannot be used, said in one line in the learner's
    language (its message): ``nn-tutor`` prints it before any command runs or screen is drawn."""


def home_not_found_line(error: HomeNotFoundError, lang: Lang) -> str:
    """The line for a ``~user`` path whose home folder is not known, naming where it was
    given; ``~`` alone is the learner's own home, which ``$HOME`` names."""
    key = "cli.path.unknown_user" if error.user else "cli.path.no_home"
    return tr(key, lang, source=error.source, path=error.path, user=error.user)


@dataclass(frozen=True)
class TutorConfig:
    """Resolved global options. ``TutorConfig.default()`` is what ``nn-tutor`` uses with no flags."""

    data_dir: Path
    deck_paths: tuple[Path, ...]
    lang: Lang
    decks_overridden: bool = field(default=False, compare=False)
    data_dir_source: str | None = field(default=DATA_DIR_OPTION, compare=False)
    """What named :attr:`data_dir`: ``--data-dir``, a variable (``NN_TUTOR_HOME``,
    ``XDG_DATA_HOME``), or ``None`` for the platform's own folder. A message about the folder
    names it: the learner who set a variable never typed ``--data-dir``."""

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
        language = Lang.parse(lang) if lang else detect_lang()
        try:
            if data_dir:
                root, source = expand_home(data_dir, DATA_DIR_OPTION), DATA_DIR_OPTION
            else:
                root, source = default_data_dir_and_source()
            deck_paths = (
                tuple(expand_home(p, DECKS_OPTION) for p in decks)
                if decks
                else tuple(default_deck_paths(root))
            )
        except HomeNotFoundError as error:
            raise ConfigError(home_not_found_line(error, language)) from None
        return cls(
            data_dir=root,
            deck_paths=deck_paths,
            lang=language,
            decks_overridden=bool(decks),
            data_dir_source=source,
        )

    @property
    def paths(self) -> DataPaths:
        return DataPaths(self.data_dir)
