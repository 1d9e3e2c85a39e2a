"""``ScratchFile``: code the learner typed (the sandbox's, an exercise's), kept from one session
to the next."""

from __future__ import annotations

from pathlib import Path

from tutor.atomic_write import write_text_atomic
from tutor.decks.code_comments import is_untouched, localize_comments


class ScratchFile:
    """An editor's code, kept in a file in the data dir so the learner finds it again.

    Starter code nobody has typed in is not kept: the file is removed instead, so the next
    session shows the starter in that session's language.
    """

    def __init__(self, path: Path, starter: str) -> None:
        self.path = path
        self.starter = starter

    def load(self, lang: str) -> str:
        """The kept code; the starter in ``lang`` when there is none (or it cannot be read)."""
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return localize_comments(self.starter, lang)

    def save(self, text: str) -> None:
        """Keep ``text`` (atomically), or forget it if it is the untouched starter. Raises
        ``OSError`` when the data dir cannot be written."""
        if is_untouched(text, self.starter):
            self.path.unlink(missing_ok=True)
        else:
            write_text_atomic(self.path, text)
