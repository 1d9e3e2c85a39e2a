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


XDG_DATA_ENV = "XDG_DATA_HOME"


class HomeNotFoundError(ValueError):
    """A path starting with ``~user`` (or ``~``) where that home folder cannot be found: no
    such user (a typo), or ``$HOME`` unset. ``Path.expanduser`` raised a bare RuntimeError.

    ``source`` is where the path came from (``--data-dir``, ``NN_TUTOR_HOME``), ``user`` the
    name after the ``~`` (empty for the learner's own home)."""

    def __init__(self, source: str, path: str, user: str) -> None:
        super().__init__(f"{source} {path!r}: the home folder of {user or '~'!r} is not known")
        self.source = source
        self.path = path
        self.user = user


def expand_home(path: Path | str, source: str) -> Path:
    """``path`` with a leading ``~`` or ``~user`` made that home folder. Raises
    :class:`HomeNotFoundError`, naming ``source``, when the home folder is not known."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        first = str(path).replace(os.sep, "/").split("/", 1)[0]
        raise HomeNotFoundError(source, str(path), first[1:]) from None


def default_data_dir() -> Path:
    """``$NN_TUTOR_HOME`` when set, else the platform's user data dir."""
    return default_data_dir_and_source()[0]


def default_data_dir_and_source() -> tuple[Path, str | None]:
    """:func:`default_data_dir`, and the variable that named it (``NN_TUTOR_HOME``, or
    ``XDG_DATA_HOME`` that the platform's folder is in); ``None`` for the platform's own, so a
    message about the folder can name where it came from."""
    env = os.environ.get(HOME_ENV)
    if env:
        return expand_home(env, HOME_ENV), HOME_ENV
    from platformdirs import user_data_dir

    folder = Path(user_data_dir(APP_NAME, appauthor=False))
    xdg = os.environ.get(XDG_DATA_ENV, "").strip()
    # platformdirs reads it on Linux and BSD only: named where the folder is in it
    from_xdg = bool(xdg) and Path(xdg).is_absolute() and folder.is_relative_to(xdg)
    return folder, XDG_DATA_ENV if from_xdg else None


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
