"""A program's terminal output as a terminal would leave it, as Rich ``Text``.

What ``nn-tutor run`` prints and the run panel shows of a run's stdout and stderr. Colours are
kept; a line rewritten with ``\\r`` (a tqdm progress bar) shows how it ended, even while it is
still drawing; backspaces, tabs, erasing the line and relative cursor moves (what progress bars
use) act as on a terminal; every other escape sequence (clear the screen, set the title, switch
modes) is dropped, so none reaches the learner's terminal or shows up as text.

Rich's own ``Text.from_ansi`` falls short of that: it loses a line that ends in ``\\r\\n``,
empties a bar still drawing (output ending in ``\\r``), shows a title ended by BEL as text and
keeps backspaced characters.

The output is a transcript, not a screen: clearing the screen or moving the cursor to an absolute
position is ignored (what the run printed before stays readable), and the cursor never goes
above the output's first line. Every code point takes one cell (wide characters too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import groupby
from typing import Any

from rich.ansi import AnsiDecoder
from rich.style import Style, StyleType
from rich.text import Span, Text

MAX_ESCAPE = 4096
"""The longest escape sequence waited for. Split across chunks, a sequence is held back until its
end arrives; one longer than this (a stray ``ESC ]`` that never ends) is taken for text again,
where a terminal would swallow the rest of the output."""

TAB = 8

SPECIAL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")
"""What is not text: C0 controls (ESC among them), DEL, C1 controls."""

_N = f"{{0,{MAX_ESCAPE}}}"
_SEQUENCE = re.compile(
    rf"""\x1b(?:
      \[(?P<params>[0-?]{_N})(?P<inter>[ -/]{_N})(?P<final>[@-~])  # CSI: colours, cursor, erase
    | \][^\x07\x1b]{_N}(?:\x07|\x1b\\)            # OSC (title, hyperlink) ended by BEL or ST
    | [PX^_][^\x1b]{_N}\x1b\\                       # DCS, SOS, PM, APC, ended by ST
    | [ -/]{_N}[0-OQ-WYZ\\`-~]                      # any other: charsets, modes, save the cursor
    )""",
    re.VERBOSE,
)
_UNFINISHED = re.compile(
    rf"\x1b(?:\[[0-?]{_N}[ -/]{_N}|\][^\x07\x1b]{_N}\x1b?|[PX^_][^\x1b]{_N}\x1b?|[ -/]{_N})"
)
"""The start of a sequence whose end has not arrived yet (matched against the rest of a chunk)."""

TEXT, CONTROL, SEQUENCE, UNFINISHED = "text", "control", "sequence", "unfinished"
"""The kinds of piece :func:`output_pieces` cuts output into."""


def output_pieces(data: str) -> Iterator[tuple[str, Any]]:
    """The pieces of terminal output ``data``, in order: (``TEXT``, a run of text), (``CONTROL``,
    one control character other than ESC), (``SEQUENCE``, an escape sequence's match of
    ``_SEQUENCE``) and last, where ``data`` ends inside a sequence still to be
    finished by the next chunk, (``UNFINISHED``, the rest). An ESC that starts no sequence is
    dropped, and what follows it is text. The one reading of output both the transcript
    (:class:`TerminalText`) and ``nn-tutor run``'s stream to a terminal go by."""
    pos, end = 0, len(data)
    while pos < end:
        special = SPECIAL_CHARACTER.search(data, pos)
        if special is None:
            yield TEXT, data[pos:]
            return
        at = special.start()
        if at > pos:
            yield TEXT, data[pos:at]
        char = data[at]
        pos = at + 1
        if char != "\x1b":
            yield CONTROL, char
        elif sequence := _SEQUENCE.match(data, at):
            pos = sequence.end()
            yield SEQUENCE, sequence
        elif _UNFINISHED.fullmatch(data, at):
            yield UNFINISHED, data[at:]
            return


_SGR_PARAMS = re.compile(r"[\d;]*")
_CURSOR_MOVES = {"A": (-1, None), "B": (1, None), "E": (1, 0), "F": (-1, 0)}
"""CSI finals that move the cursor up or down n lines: (direction, the column then if reset)."""


@lru_cache(maxsize=1024)
def _after_sgr(style: Style, params: str) -> Style:
    """``style`` once ``ESC[<params>m`` is applied, by Rich's own SGR parsing; cached, as
    coloured output repeats the same few codes on every line."""
    if not _SGR_PARAMS.fullmatch(params):  # a private one like ESC[>4;2m sets no style
        return style
    decoder = AnsiDecoder()
    decoder.style = style
    decoder.decode_line(f"\x1b[{params}m")
    return decoder.style


class TerminalText:
    """A terminal fed a program's output chunk by chunk; :meth:`text` is what it shows.

    Feeding costs what the chunk holds, not what came before, so a stream of many small chunks
    (a progress bar redrawn thousands of times) is decoded once, in total.
    """

    def __init__(self, style: StyleType = "") -> None:
        self.style = style
        # One line of cells: its characters and, cell by cell, their style (None: plain).
        self._lines: list[tuple[list[str], list[Style | None]]] = [([], [])]
        self._row = 0
        self._col = 0
        self._style = Style.null()  # the colours and attributes now in force
        # Rows drawn by text() or lines() (their plain text and styled runs), until written
        # again: a redraw while output streams in redoes only the line(s) the cursor is on.
        self._drawn: dict[int, tuple[str, list[tuple[int, int, Style]]]] = {}
        self._row_texts: dict[int, Text] = {}  # rows lines() made, until written again
        self._pending = ""  # an escape sequence whose end is still to come

    def feed(self, output: str) -> None:
        """Take the next chunk of output (a sequence or ``\\r\\n`` may be split across chunks)."""
        data = self._pending + output if self._pending else output
        self._pending = ""
        for kind, piece in output_pieces(data):
            if kind is TEXT:
                self._write(piece)
            elif kind is CONTROL:
                self._control(piece)
            elif kind is SEQUENCE:
                if piece["final"]:
                    self._csi(piece["params"], piece["inter"], piece["final"])
            else:
                self._pending = piece

    def text(self, limit: int | None = None) -> Text:
        """What the terminal shows, without the empty lines below the last output; at most
        ``limit`` characters of it (the first ones)."""
        last = len(self._lines)
        while last and not self._lines[last - 1][0]:
            last -= 1
        parts: list[str] = []
        spans: list[Span] = []
        offset = 0
        for row in range(last):
            if limit is not None and offset >= limit:
                break
            if row:
                parts.append("\n")
                offset += 1
            line, runs = self._drawn.get(row) or self._draw(row)
            parts.append(line)
            spans.extend(Span(offset + start, offset + end, style) for start, end, style in runs)
            offset += len(line)
        plain = "".join(parts)
        if limit is not None and len(plain) > limit:
            plain = plain[:limit]
            while spans and spans[-1].end > limit:  # only the last line's spans can reach past
                last_span = spans.pop()
                if last_span.start < limit:
                    spans.append(last_span._replace(end=limit))
                    break
        return Text(plain, style=self.style, spans=spans)

    def lines(self, limit: int | None = None) -> tuple[list[Text], bool]:
        """What :meth:`text` shows, line by line, and whether ``limit`` left any of it out.

        The lines joined with ``"\\n"`` are ``text(limit)``. A row not written since the last
        call comes back as the very same ``Text`` object (which no one may change), so a viewer
        redrawing streamed output can tell by identity which lines changed: usually the last
        one or two, as a ``\\r`` rewrite or a new line changes only the rows the cursor is on.
        """
        last = len(self._lines)
        while last and not self._lines[last - 1][0]:
            last -= 1
        shown: list[Text] = []
        offset = 0
        for row in range(last):
            if limit is not None and offset >= limit:
                return shown, True
            if row:
                offset += 1
            line = self._row_texts.get(row)
            if line is None:
                plain, runs = self._drawn.get(row) or self._draw(row)
                spans = [Span(start, end, style) for start, end, style in runs]
                line = self._row_texts[row] = Text(plain, style=self.style, spans=spans)
            if limit is not None and offset + len(line) > limit:
                shown.append(line[: max(limit - offset, 0)])
                return shown, True
            shown.append(line)
            offset += len(line)
        return shown, False

    def _draw(self, row: int) -> tuple[str, list[tuple[int, int, Style]]]:
        chars, styles = self._lines[row]
        runs = []
        start = 0
        for style, cells in groupby(styles):
            end = start + len(list(cells))
            if style is not None:
                runs.append((start, end, style))
            start = end
        drawn = self._drawn[row] = ("".join(chars), runs)
        return drawn

    def _written(self) -> None:
        """The cursor's row is about to change: what was drawn of it is stale."""
        self._drawn.pop(self._row, None)
        self._row_texts.pop(self._row, None)

    def _write(self, text: str) -> None:
        self._written()
        chars, styles = self._lines[self._row]
        col = self._col
        if col > len(chars):  # after a tab or a move right past the end: blanks up to the cursor
            gap = col - len(chars)
            chars.extend(" " * gap)
            styles.extend([None] * gap)
        end = col + len(text)
        chars[col:end] = text
        styles[col:end] = [self._style or None] * len(text)
        self._col = end

    def _control(self, char: str) -> None:
        if char == "\n":  # as a terminal shows it (onlcr): the start of the next line
            self._row += 1
            if self._row == len(self._lines):
                self._lines.append(([], []))
            self._col = 0
        elif char == "\r":
            self._col = 0
        elif char == "\b":
            self._col = max(self._col - 1, 0)
        elif char == "\t":
            self._col = (self._col // TAB + 1) * TAB
        # any other control (a bell, a C1 code) does nothing

    def _csi(self, params: str, intermediates: str, final: str) -> None:
        if intermediates:
            return
        if final == "m":
            self._style = _after_sgr(self._style, params)
            return
        if not params.isdigit() and params:  # private modes (ESC[?25l), several numbers
            return
        n = int(params or 0)
        count = n or 1  # a count of 0 means 1
        if final in _CURSOR_MOVES:
            direction, col = _CURSOR_MOVES[final]
            self._row = min(max(self._row + direction * count, 0), len(self._lines) - 1)
            self._col = self._col if col is None else col
        elif final == "C":
            self._col += count
        elif final == "D":
            self._col = max(self._col - count, 0)
        elif final in "G`":
            self._col = count - 1
        elif final == "K":
            self._erase_in_line(n)
        # clear the screen (J), absolute positions (H, f) and the rest: a transcript ignores them

    def _erase_in_line(self, how: int) -> None:
        """ESC[K: from the cursor to the end of the line (0), from its start to the cursor (1),
        the whole line (2); the cursor stays where it is."""
        self._written()
        chars, styles = self._lines[self._row]
        if how == 0:
            del chars[self._col :], styles[self._col :]
        elif how == 1:
            end = min(self._col + 1, len(chars))
            chars[:end] = " " * end
            styles[:end] = [None] * end
        elif how == 2:
            chars.clear()
            styles.clear()


def terminal_text(output: str, style: StyleType = "", *, limit: int | None = None) -> Text:
    """``output`` as a terminal would leave it, at most ``limit`` characters of it; ``style``
    is the base style, which the output's own colours override (stderr's yellow, say)."""
    screen = TerminalText(style)
    screen.feed(output)
    return screen.text(limit)


def blank_row(line: str) -> bool:
    """Whether ``line``, output written since the last newline, leaves its row blank on a
    terminal: a progress bar cleared for a note (spaces, ``ESC[K``) is no line of its own. The
    run panel and ``nn-tutor run`` both ask it where the other stream writes."""
    if SPECIAL_CHARACTER.search(line) is None:  # plain text, as most output is
        return not line.strip()
    return not terminal_text(line).plain.strip()
