"""Where nn-tutor finds its shipped decks and keeps the learner's data."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "nn-tutor"
HOME_ENV = "NN_TUTOR_HOME"

_PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_root() -> Path:
    """The folder holding the shipped ``lessons/``, ``cards/`` and ``schemas/``.

    An installed wheel carries them inside the package (``tutor/_shipped``); a clone or an
    editable install finds them at the repository root, beside the package.
    """
    inside = _PACKAGE_DIR / "_shipped"
    if (inside / "lessons").is_dir():
        return inside
    return _PACKAGE_DIR.parent


def default_data_dir() -> Path:
    """``$NN_TUTOR_HOME`` when set, else the platform's user data dir."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """The files nn-tutor writes, all under one data dir."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "progress.sqlite3"

    @property
    def scratch(self) -> Path:
        """The sandbox editor's code between sessions."""
        return self.root / "sandbox.py"

    def draft(self, lesson_id: str, exercise_id: str) -> Path:
        """The learner's code for one exercise (ids are ``[a-z0-9._-]``: safe as file names)."""
        return self.root / "drafts" / lesson_id / f"{exercise_id}.py"

    @property
    def user_decks(self) -> Path:
        return self.root / "decks"

    def ensure(self) -> DataPaths:
        self.root.mkdir(parents=True, exist_ok=True)
        return self


def default_deck_paths(data_dir: Path | None = None) -> list[Path]:
    """The decks loaded when ``--decks`` is not given: shipped lessons and cards, plus user decks."""
    root = shipped_root()
    paths = [root / "lessons", root / "cards"]
    user = DataPaths(data_dir or default_data_dir()).user_decks
    if user.is_dir():
        paths.append(user)
    return paths
