"""``ScratchFile``: code the learner typed (the sandbox's, an exercise's), kept from one session
to the next."""

from __future__ import annotations

import hashlib
import io
import re
import stat
import tokenize
from pathlib import Path

from tutor.atomic_write import write_bytes_atomic, write_text_atomic
from tutor.decks.code_comments import is_untouched, localize_comments

STAMP_SUFFIX = ".starter"
"""Beside an exercise's draft, ``NAME.starter`` holds the :func:`starter_stamp` of the starter it
was begun from."""

_STAMP = re.compile(r"[0-9a-f]{64}")
_NOT_CODE = (tokenize.COMMENT, tokenize.NL)


def fingerprint(stored: bytes) -> str:
    """A file's bytes as a digest, kept to tell whether another program changed the file since
    it was read or written here. Its content, not its mtime: a file touched but not changed is
    no conflict."""
    return hashlib.sha256(stored).hexdigest()


def disk_fingerprint(path: Path) -> str | None:
    """What ``path`` holds now (:func:`fingerprint`); ``None``: no such file, or no regular file
    (a FIFO would block the read; the write refuses it, saying why). An unreadable one raises,
    as reading it would."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        return fingerprint(path.read_bytes())
    except FileNotFoundError:
        return None


class ChangedOnDiskError(OSError):
    """The file holds a change made elsewhere (another nn-tutor, another editor) since this
    ``ScratchFile`` read or wrote it, which the learner was not told of: not written over."""

    reason_key = "editor.changed_reason"  # its words in the learner's language (error_line)

    def __init__(self, path: Path) -> None:
        super().__init__(None, "changed on disk since it was read or written here", str(path))


def starter_stamp(starter: str) -> str:
    """A hash of ``starter``'s code, its comments and spacing left out: a comment reworded or
    translated in the deck leaves a draft's code as good as it was, so it is not a new starter.
    Code that does not tokenize is hashed as written."""
    try:
        tokens = tokenize.generate_tokens(io.StringIO(starter).readline)
        code = "\n".join(t.string for t in tokens if t.type not in _NOT_CODE)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        code = starter
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


class ScratchFile:
    """An editor's code, kept in a file in the data dir so the learner finds it again.

    Starter code nobody has typed in is not kept: the file is removed instead, so the next
    session shows the starter in that session's language.

    With ``remembers_starter`` (an exercise's draft, whose starter the deck may change in a later
    version while its check changes with it) the draft's first save also keeps a stamp of the
    starter shown then, beside it (:data:`STAMP_SUFFIX`), so :meth:`begun_from_another_starter`
    can tell a learner that the draft they find predates the exercise's starter.

    Two nn-tutors may keep code in one file: a save never writes over a change made elsewhere
    since this object read (:meth:`load`) or wrote the file, unless the learner was told of
    that change (:class:`ChangedOnDiskError`, as ctrl+s over a file the sandbox opened).
    """

    def __init__(self, path: Path, starter: str, *, remembers_starter: bool = False) -> None:
        self.path = path
        self.starter = starter
        self.remembers_starter = remembers_starter
        self.known = False  # whether what the file holds is known (read, written or assumed)
        self._on_disk: str | None = None  # its fingerprint then (None: no file)
        self._warned_of: str | None = None  # a change raised once: the next save writes over it

    @property
    def stamp_path(self) -> Path:
        """Where the stamp of the starter the draft was begun from is kept."""
        return self.path.with_name(self.path.name + STAMP_SUFFIX)

    def load(self, lang: str) -> str:
        """The kept code; the starter in ``lang`` when there is none (or it cannot be read).

        Code that is not UTF-8 (saved by another editor as latin-1, say) is read with each byte
        that is not UTF-8 shown as ``�``, and its bytes are first copied beside it
        (``NAME.not-utf8``): the next save writes UTF-8, and nothing the learner wrote is lost.
        """
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            self._seen(None)
            return localize_comments(self.starter, lang)
        except OSError:  # what it holds is not known: a save is left to say why it fails
            return localize_comments(self.starter, lang)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                self._keep_bytes(data)
            except OSError:
                return localize_comments(self.starter, lang)  # nowhere to keep it: never saved
            text = data.decode("utf-8", "replace")
        self._seen(fingerprint(data))
        return text.replace("\r\n", "\n").replace("\r", "\n")  # as read_text's newlines

    def _keep_bytes(self, data: bytes) -> None:
        """Keep ``data`` beside the draft (``NAME.not-utf8``, then ``.not-utf8.2``, …), unless a
        copy holds them already: each version another editor wrote is kept once."""
        for number in range(1, 1000):
            suffix = ".not-utf8" if number == 1 else f".not-utf8.{number}"
            kept = self.path.with_name(self.path.name + suffix)
            try:
                if kept.read_bytes() == data:
                    return
            except FileNotFoundError:
                write_bytes_atomic(kept, data)
                return
        raise OSError(f"no free name beside {self.path} to keep its bytes")

    def _seen(self, on_disk: str | None) -> None:
        """The file holds ``on_disk`` (a fingerprint; ``None``: no file), read or written here."""
        self.known, self._on_disk, self._warned_of = True, on_disk, None

    def assume_saved(self, text: str) -> None:
        """Take the file to hold what saving ``text`` leaves there: for code this session kept
        already (an exercise shown again), whose file is not read again."""
        untouched = is_untouched(text, self.starter)
        self._seen(None if untouched else fingerprint(text.encode("utf-8")))

    def _check_unchanged(self, kept: str | None) -> None:
        """Raise :class:`ChangedOnDiskError` when the file holds what was neither read nor
        written here nor warned of, and differs from ``kept`` (what a save leaves: no conflict
        where both hold the same). A file gone holds nothing to lose; one that cannot be read
        now, or never could (not :attr:`known`), is left to the write, which says why."""
        if not self.known:
            return
        try:
            now = disk_fingerprint(self.path)
        except OSError:
            return
        if now not in (None, kept, self._on_disk, self._warned_of):
            self._warned_of = now  # said once: the next save writes over this change
            raise ChangedOnDiskError(self.path)

    def save(self, text: str) -> None:
        """Keep ``text`` (atomically), or forget it if it is the untouched starter. Raises
        ``OSError`` when the data dir cannot be written, :class:`ChangedOnDiskError` (once for
        each change) when the file was changed elsewhere since it was read or written here."""
        if is_untouched(text, self.starter):
            self._check_unchanged(None)
            self.path.unlink(missing_ok=True)
            if self.remembers_starter:  # the next draft is begun from the starter shown then
                self.stamp_path.unlink(missing_ok=True)
            self._seen(None)
        else:
            stored = text.encode("utf-8")
            self._check_unchanged(fingerprint(stored))
            if self.remembers_starter and self._begins_draft():
                # Before the draft, so a draft on disk always has its stamp; a stamp left with
                # no draft (a crash between the two) is written over by the next first save.
                write_text_atomic(
                    self.stamp_path, starter_stamp(self.starter) + "\n", make_folder=True
                )
            write_bytes_atomic(self.path, stored, make_folder=True)  # the data dir's drafts
            self._seen(fingerprint(stored))

    def _begins_draft(self) -> bool:
        """Whether a save now begins a draft (none is kept), or is the first of one kept before
        drafts had stamps: either way it is begun from the starter shown now."""
        return not (self.path.exists() and self.stamp_path.exists())

    def begun_from_another_starter(self) -> bool:
        """Whether the kept draft was begun from a starter whose code differs from this one's.
        ``False`` when there is no draft, or no stamp that can be read beside it (a draft kept
        before drafts had stamps): a notice on a guess would send the learner to Reset for
        nothing."""
        if not self.remembers_starter or not self.path.is_file():
            return False
        try:
            stamp = self.stamp_path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return False
        return _STAMP.fullmatch(stamp) is not None and stamp != starter_stamp(self.starter)
