"""``ScratchFile``: code the learner typed (the sandbox's, an exercise's), kept from one session
to the next."""

from __future__ import annotations

from pathlib import Path

from tutor.atomic_write import write_bytes_atomic, write_text_atomic
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
        """The kept code; the starter in ``lang`` when there is none (or it cannot be read).

        Code that is not UTF-8 (saved by another editor as latin-1, say) is read with each byte
        that is not UTF-8 shown as ``�``, and its bytes are first copied beside it
        (``NAME.not-utf8``): the next save writes UTF-8, and nothing the learner wrote is lost.
        """
        try:
            data = self.path.read_bytes()
        except OSError:
            return localize_comments(self.starter, lang)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            kept = self.path.with_name(self.path.name + ".not-utf8")
            try:
                if not kept.exists():
                    write_bytes_atomic(kept, data)
            except OSError:
                return localize_comments(self.starter, lang)  # nowhere to keep it: never saved
            return data.decode("utf-8", "replace")

    def save(self, text: str) -> None:
        """Keep ``text`` (atomically), or forget it if it is the untouched starter. Raises
        ``OSError`` when the data dir cannot be written."""
        if is_untouched(text, self.starter):
            self.path.unlink(missing_ok=True)
        else:
            write_text_atomic(self.path, text)
