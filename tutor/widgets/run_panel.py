"""Where a run shows up: live status with a spinner, streamed output, the value, the error, the
trace. :func:`run_in_panel` is the one way every screen runs code in the sandbox."""

from __future__ import annotations

import asyncio
import weakref
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Offset
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from tutor.i18n import tr
from tutor.run_limits import LEARNER_RUN_TIMEOUT_S
from tutor.sandbox_messages import (
    clip_notes,
    error_summary,
    gloss_words,
    hint_words,
    learners_words,
    shown_traceback,
    unavailable_message,
)
from tutor.terminal_text import TerminalText, blank_row, terminal_text
from tutor.theme_styles import DARK, app_styles
from tutor.widgets.following_scroll import FollowingScroll
from tutor.widgets.inline import inline
from tutor.widgets.output_view import OutputView
from tutor.widgets.spinner import Spinner
from tutor.widgets.step_base import reveal
from tutor.widgets.trace_view import TraceView

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.timer import Timer
    from textual.worker import Worker

MAX_SHOWN_OUTPUT = 20_000
"""The most characters of each stream (stdout, stderr) the panel shows, as the terminal would
leave them: a progress bar rewritten ten thousand times is one line here, and ends as it ended.
Of more, it shows the start (:data:`HEAD_SHOWN`) and the end, the rest of it, with a note between
them: a training loop's last losses are what a learner looks for."""

HEAD_SHOWN = 5_000
"""Of a stream longer than MAX_SHOWN_OUTPUT, the characters shown from its start."""

TAIL_SHOWN = MAX_SHOWN_OUTPUT - HEAD_SHOWN
"""Of a stream longer than MAX_SHOWN_OUTPUT, the characters shown from its end."""

TAIL_WINDOW = 2 * TAIL_SHOWN
"""The characters of output, counted as written, that the end is first decoded from: twice what
it shows, for the rewrites (``\\r``) and escapes among them."""

MAX_TAIL_WINDOW = 16 * TAIL_WINDOW
"""The most characters of output the end is decoded from: lines rewritten many times (a
progress bar per epoch) grow the window, doubling, until it holds TAIL_SHOWN characters as
shown, up to this."""

STATUS_ICONS = {
    "ok": "✅",
    "error": "❌",
    "timeout": "⌛",
    "crashed": "💥",
    "oom": "🧠",
    "cancelled": "🛑",
}


MEANT_TO_FAIL_ICON = "🎯"


PLAIN_GAP_STYLE = "italic"
""":func:`plain_gap_note`'s style: set apart by no colour, so that it reads on any ground. A
stream shown without a panel knows no theme (a panel words its notes itself, in its theme's
:attr:`~tutor.theme_styles.Styles.muted`); ``nn-tutor run`` never cuts its output at all."""


def plain_gap_note(count: int) -> Text:
    """The note between a long stream's start and end, when no language is given."""
    return Text(f"⋯ {count} ⋯", style=PLAIN_GAP_STYLE)


class StreamedOutput:
    """One stream of a run's output (``style``: stderr's yellow), decoded chunk by chunk as the
    sandbox sends it, so no single chunk, nor the run's end, decodes all of it at once.

    Past MAX_SHOWN_OUTPUT characters the start is kept as it was shown, and only the end is
    decoded from then on: a terminal begun at a line of the output not long before its end,
    fed what comes, and begun again nearer the end once it holds a few windows' worth."""

    def __init__(self, style: str = "") -> None:
        self.style = style
        self._terminal = TerminalText(style)  # all of it, until the start is cut off
        self._fed: list[str] = []
        self._written = 0  # characters fed
        self._newlines = 0  # of them "\n": the line the output is at
        self._head: list[Text] | None = None  # once cut: the start, as shown
        self._tail: TerminalText | None = None  # the end, from line _tail_line of the output
        self._tail_line = 0
        self._tail_fed = 0  # characters fed to _tail
        self._window = TAIL_WINDOW  # characters written the end is decoded from
        self._first = 0  # the first of _tail's rows shown
        self._placed = False  # _first was placed since _tail was begun, or the run ended
        self._note: Text | None = None  # the note last shown between the start and the end
        self._note_by: Callable[[int], Text] | None = None  # what worded it
        self.left_out = 0  # lines the last lines() left out between the start and the end
        self._tail_from = 0  # once cut: the line of the output the end last shown begins at
        self._line_begun = False  # the last chunk fed ended within a line
        self._raw = 0  # characters of the stream's own output fed (the breaks not counted)

    @property
    def written(self) -> bool:
        """Whether the stream wrote anything yet."""
        return self._written > 0

    def feed(self, chunk: str) -> None:
        self._raw += len(chunk)
        self._take(chunk)

    def feed_joined(self, chunk: str) -> int | None:
        """:meth:`feed` ``chunk`` written just after the other stream's line was broken (see
        :meth:`break_line`): a newline it begins with is the one that ended that line on a
        terminal, and no line of its own here. The offset of the newline left out, if one was."""
        if not chunk.startswith("\n"):
            self.feed(chunk)
            return None
        at = self._raw
        self._raw += len(chunk)
        self._take(chunk[1:])
        return at

    def break_line(self) -> int | None:
        """End the unfinished line here, as the other stream writing onto the terminal's row
        would: the rest of it goes on a row of its own, below what the other wrote. The offset
        in the stream's own output where the break stands, or ``None`` where there is none to
        make: no line begun, or one left blank (a progress bar cleared for a note, which the
        note then writes over, as on a terminal). A blank line is taken up again where the
        stream next writes: what it draws there comes after the other's output, not before."""
        if not self._line_begun:
            return None
        if blank_row(self._unfinished()):
            self._line_begun = False  # the next chunk begins the line shown, where it comes
            return None
        self._take("\n")
        return self._raw

    def _unfinished(self) -> str:
        """The end of the unfinished line as fed (at most :data:`ROW_LOOKBACK` characters)."""
        parts: list[str] = []
        size = 0
        for chunk in reversed(self._fed):
            newline = chunk.rfind("\n")
            parts.append(chunk[newline + 1 :])
            size += len(parts[-1])
            if newline >= 0 or size >= ROW_LOOKBACK:
                break
        return "".join(reversed(parts))[-ROW_LOOKBACK:]

    def _take(self, chunk: str) -> None:
        if chunk:
            self._line_begun = not chunk.endswith("\n")
        self._fed.append(chunk)
        self._written += len(chunk)
        self._newlines += chunk.count("\n")
        if self._head is None:
            self._terminal.feed(chunk)
        elif self._tail is not None:
            self._tail.feed(chunk)
            self._tail_fed += len(chunk)

    def lines(self, gap_note: Callable[[int], Text] = plain_gap_note) -> list[Text]:
        """The stream as shown, line by line: all of it, or, past MAX_SHOWN_OUTPUT characters,
        its first HEAD_SHOWN and last TAIL_SHOWN or so, ``gap_note(lines left
        out)`` between them. A line unchanged since the last call is the same object (see
        ``TerminalText.lines``)."""
        if self._head is None:
            shown, cut = self._terminal.lines(MAX_SHOWN_OUTPUT)
            if not cut:
                self.left_out = 0
                return shown
            self._head = self._start(shown)
        # begun again once it holds four windows: the window decoded again costs a third of
        # what was fed since, and the rows gone through below stay a few thousand at most
        if self._tail is None or self._tail_fed > 4 * self._window:
            self._begin_tail()
        assert self._tail is not None
        rows, _ = self._tail.lines()
        # The end shown begins at the same line until it holds more than TAIL_SHOWN characters,
        # then at a line nearer the end: lines shown before keep their places (and a viewer
        # its work on them), as new ones come in below.
        fits = _last_rows(rows, TAIL_SHOWN)
        if not self._placed:  # as much of the end as is shown
            self._first, self._placed = fits, True
        elif self._first < fits:
            self._first = _last_rows(rows, TAIL_SHOWN * 3 // 4)
        # never a line of the start again (cursor moves may blur where the end begins)
        first = max(self._first, len(self._head) - self._tail_line, 0)
        tail = rows[first:]
        self._tail_from = self._tail_line + first
        if first >= len(rows) - 1 and rows and len(rows[-1]) > TAIL_SHOWN:  # one long line
            tail = [rows[-1][len(rows[-1]) - TAIL_SHOWN :]]
            self._tail_from = self._tail_line + len(rows) - 1
        left_out = max(self._tail_line + first - len(self._head), 0)
        if self._note is None or left_out != self.left_out or gap_note != self._note_by:
            self._note, self._note_by = gap_note(left_out), gap_note
        self.left_out = left_out
        return [*self._head, self._note, *tail]

    def next_line(self) -> int:
        """The line of the output that the next chunk fed would begin, counted from 0: the line
        the output is at, or the next one if that one is begun (it stays where it began)."""
        return self._newlines + self._line_begun

    def numbered(self, shown: list[Text]) -> list[tuple[int, list[Text]]]:
        """``shown`` (what :meth:`lines` last returned) as runs of lines that follow each other
        in the output, each with the line of the output it begins at: the note between a long
        stream's start and end stands at the first line it leaves out."""
        if self._head is None:
            return [(0, shown)]
        head = len(self._head)
        return [
            (0, shown[:head]),
            (head, shown[head : head + 1]),
            (self._tail_from, shown[head + 1 :]),
        ]

    def _start(self, shown: list[Text]) -> list[Text]:
        """The start kept of a stream cut short, from ``shown`` (its first MAX_SHOWN_OUTPUT
        characters): whole lines up to HEAD_SHOWN characters, or the first line's start."""
        head, _ = self._terminal.lines(HEAD_SHOWN)
        if len(head) > 1 and head[-1] is not shown[len(head) - 1]:
            head.pop()  # a line cut short: it is left out whole
        return head

    def _begin_tail(self) -> None:
        """Begin the end's terminal at the first line within the last ``_window`` characters
        written, fed all from there; the window doubled while what it shows falls short of
        TAIL_SHOWN characters and more was written before it (rewritten lines)."""
        self._fed = ["".join(self._fed)] if len(self._fed) > 1_000 else self._fed
        while True:
            recent = self._recent(self._window)
            self._tail = TerminalText(self.style)
            self._tail.feed(recent)
            rows, _ = self._tail.lines()
            if (
                sum(len(row) + 1 for row in rows) >= TAIL_SHOWN
                or self._window >= self._written  # all of it decoded
                or self._window >= MAX_TAIL_WINDOW
            ):
                break
            self._window *= 2
        self._tail_fed = len(recent)
        self._first, self._placed = 0, False
        self._tail_line = self._newlines - recent.count("\n")

    def _recent(self, size: int) -> str:
        """The last ``size`` characters written, from the first line begun within them."""
        parts: list[str] = []
        total = 0
        for chunk in reversed(self._fed):
            parts.append(chunk)
            total += len(chunk)
            if total >= size:
                break
        recent = "".join(reversed(parts))[-size:]
        if len(recent) < self._written:  # begun within the output: at its next line
            newline = recent.find("\n")
            recent = recent[newline + 1 :] if 0 <= newline < len(recent) - 1 else recent
        return recent

    def final(
        self,
        output: str,
        gap_note: Callable[[int], Text] = plain_gap_note,
        edits: Iterable[tuple[int, bool]] = (),
    ) -> list[Text]:
        """The stream as the run left it, ``output`` being all it wrote: what was streamed when
        that is all of it (as it is but for a run shown from its result), else ``output``, its
        lines broken and joined at ``edits`` (see :meth:`OutputOrder.edits`) as they were while
        it streamed."""
        output = _edited(output, edits)
        fed = "".join(self._fed)
        self._fed = [fed]
        self._note = None  # worded again: in the language shown now (a redraw after F2)
        self._placed = False  # the run is over: as much of its end as is shown
        if fed != output:
            self.__init__(self.style)  # type: ignore[misc]  # begun again, from output
            # fed a piece at a time, so that output far past the shown maximum is not all
            # decoded: once the start is cut, only the end is
            for at in range(0, len(output), MAX_SHOWN_OUTPUT):
                self.feed(output[at : at + MAX_SHOWN_OUTPUT])
                if self._head is None and at >= MAX_SHOWN_OUTPUT:
                    self._cut_if_long()
        return self.lines(gap_note)

    def _cut_if_long(self) -> None:
        """Keep the start now, if the stream is past the shown maximum already."""
        shown, cut = self._terminal.lines(MAX_SHOWN_OUTPUT)
        if cut:
            self._head = self._start(shown)


class OutputOrder:
    """The order in which a run's stdout and stderr came: each run of chunks of one stream, as
    the line of its stream it begins at, and its place among all the runs of both.

    Each stream is decoded on its own (:class:`StreamedOutput`), and its lines are shown among the
    other's by the runs they belong to, as a terminal would have shown them: a warning written
    between two prints stands between them. A line one stream left unfinished when the other
    wrote is broken there (:meth:`StreamedOutput.break_line`): its start stays where it began,
    the rest comes below what the other wrote, as on a terminal (a newline the other begins
    with ended that line there: it is left out of the other's, see
    :meth:`StreamedOutput.feed_joined`). ``edits`` keeps where, in each stream's own output, as
    ``(offset, True)`` for a newline put in and ``(offset, False)`` for one left out, for the
    streams decoded again from a result."""

    def __init__(self) -> None:
        self._starts: dict[str, list[int]] = {"stdout": [], "stderr": []}
        # runs alternate (a run is noted only where the stream changes): a stream's i-th run is
        # the run 2*i of all, or 2*i + 1 when the other stream came first
        self._first: str | None = None  # the stream of the first chunk
        self.edits: dict[str, list[tuple[int, bool]]] = {"stdout": [], "stderr": []}
        self._last: str | None = None  # the stream of the last chunk
        self.runs = 0

    def note(self, stream: str, line: int) -> None:
        """A chunk of ``stream`` came, beginning ``line`` of that stream (counted from 0)."""
        if stream == self._last:
            return
        self._last = stream
        self._first = self._first or stream
        self._starts[stream].append(line)
        self.runs += 1

    @property
    def in_sequence(self) -> bool:
        """Whether stdout's lines then stderr's show the output in order: one stream came, or
        stdout's before all of stderr's."""
        return self.runs <= 1 or (self.runs == 2 and self._first == "stdout")

    def merge(self, shown: dict[str, list[tuple[int, list[Text]]]]) -> list[Text]:
        """Each stream's lines shown (:meth:`StreamedOutput.numbered`), in the order they came.

        Cut into the runs they belong to, found by bisection, so that a run that switched streams
        a hundred thousand times costs what the lines shown cost, not what its runs do."""
        pieces: list[tuple[int, list[Text]]] = []  # (place among the runs, its lines)
        for stream, blocks in shown.items():
            starts, second = self._starts[stream], int(stream != self._first)
            for first, lines in blocks:
                at = 0
                while at < len(lines):
                    run = bisect_right(starts, first + at) - 1
                    if run < 0:  # never streamed (a result's output only): after the rest
                        pieces.append((self.runs, lines[at:]))
                        break
                    end = len(lines) if run + 1 == len(starts) else starts[run + 1] - first
                    pieces.append((2 * run + second, lines[at:end]))
                    at = end
        pieces.sort(key=lambda piece: piece[0])  # stable: a run's lines stay as they were
        return [line for _, lines in pieces for line in lines]


_ORDERS: dict[int, OutputOrder] = {}
"""The order each finished run's output came in, by its result's ``id``, while the result lives:
a panel built again from the result (a lesson's step after F2) shows the output in order too."""


def remember_order(result: Any, order: OutputOrder) -> None:
    """Keep ``order`` for ``result`` as long as the result lives (if it can be weakly referred to:
    a result that cannot is shown stdout first, then stderr, when built again)."""
    key = id(result)
    if key not in _ORDERS:
        try:
            weakref.finalize(result, _ORDERS.pop, key, None)
        except TypeError:
            return
    _ORDERS[key] = order


ROW_LOOKBACK = 1_024
"""The most characters of an unfinished line looked at to tell whether its row is blank."""


def _edited(output: str, edits: Iterable[tuple[int, bool]]) -> str:
    """``output`` with a newline put in at each offset of ``edits`` marked ``True``, and the one
    at each offset marked ``False`` left out (offsets ascending)."""
    pieces: list[str] = []
    at = 0
    for offset, put in edits:
        pieces.append(output[at:offset])
        if put:
            pieces.append("\n")
            at = offset
        elif output[offset : offset + 1] == "\n":
            at = offset + 1
        else:  # not this output's (a result's that differs from what streamed)
            at = offset
    return "".join(pieces) + output[at:] if pieces else output


def _last_rows(rows: list[Text], most: int) -> int:
    """The first of ``rows`` from which the rest hold at most ``most`` characters (a row's
    newline counted); the last row's index at least."""
    size = 0
    first = len(rows)
    while first > 0 and size + len(rows[first - 1]) + 1 <= most:
        first -= 1
        size += len(rows[first]) + 1
    return min(first, max(len(rows) - 1, 0))


def describe_status(result: Any, lang: Any, *, meant_to_fail: bool = False, muted: str) -> Text:
    """The status line: how the run ended, where, how long it took. ``meant_to_fail``: its
    error is the one the code is meant to raise, and the line says so instead of "Error". Where
    and how long in ``muted``, which every caller names: the theme's secondary text
    (:attr:`~tutor.theme_styles.Styles.muted`)."""
    status = result.status
    check = getattr(result, "check", None)
    if meant_to_fail:
        expected = tr("code.raises_expected", lang, type=result.error.type)
        label = f"{MEANT_TO_FAIL_ICON} {expected}"
    elif status == "ok" and check is not None and not check.passed:
        label = f"{STATUS_ICONS['error']} {tr('run.check_failed', lang)}"
    else:
        label = f"{STATUS_ICONS.get(status, '•')} {tr(f'run.status.{status}', lang)}"
    line = Text()
    line.append(label, style="bold")
    line.append(f" · {result.device}", style=muted)
    line.append(f" · {round(result.duration_s * 1000)} ms", style=muted)
    return line


MessageWords = Callable[[Any], str]
"""A run panel's message in a language (a :class:`~tutor.i18n.Lang` or its code):
:func:`cancelled_note`, or :func:`~tutor.sandbox_messages.unavailable_message` given its reason.
Kept, not its words, so that the panel says it again in the language F2 picks."""


class RunPanel(Vertical):
    """Output of one run. Rebuilt from ``result`` after a language switch.

    ``expected_error`` names the exception type the code is meant to raise (a code step's
    ``raises``): a run that raises it is shown as meant, not as a failure (class
    ``-meant-to-fail``, styled where the panel is used).

    ``follow``: the output follows its end while the run streams, as a terminal does (the
    sandbox, where a training loop runs); and a run that ends with an error, a value or the
    sandbox's cut-off note scrolls that into view, below however much output came before it.
    Else the output stays at its start (a lesson's step, read from the top), and the step
    brings the run's end into view itself (:meth:`reveal_ending`)."""

    DEFAULT_CSS = """
    RunPanel { height: auto; }
    RunPanel .run-status { height: auto; }
    RunPanel .run-status Spinner { display: none; }
    RunPanel.-running .run-status Spinner { display: block; }
    RunPanel .run-status-text { width: 1fr; height: auto; }
    RunPanel .run-limit { width: auto; height: auto; padding-left: 1; }
    RunPanel .run-stdout {
        max-height: 16;
        background: $surface;
        padding: 0 1;
        overflow-y: auto;
    }
    RunPanel .run-value { height: auto; color: $success; }
    RunPanel .run-error { height: auto; color: $text-error; }
    RunPanel .-empty { display: none; }
    RunPanel .trace-slot { height: auto; }
    """

    OUTPUT_REFRESH_S: ClassVar[float] = 0.05
    """Streamed output is drawn at once, then at most this often while more comes (0: every
    chunk): a run that floods the sandbox with chunks (a progress bar) would otherwise have
    the panel redraw up to MAX_SHOWN_OUTPUT characters per chunk and the UI lag behind it."""

    def __init__(
        self,
        result: Any = None,
        *,
        message: str | None = None,
        expected_error: str | None = None,
        follow: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.result = result
        self.follow = follow
        self.message = message
        """What the panel says in place of a run, as drawn now (:meth:`show_message`)."""
        self._message_words: MessageWords | str | None = None  # the message, to draw it again
        self._message_failure = False  # whether the message says of a failure (else a caution)
        self.expected_error = expected_error
        self._streams = self._new_streams()
        self._order = OutputOrder()  # the order the streams' chunks came in
        self._redraws: Timer | None = None  # drawing the streamed output while it changes
        self._output_changed = False  # since it was last drawn
        self._device = "cpu"
        self._limit_s: float | None = None  # the run's time limit, said while it goes
        # what a run not going yet waits for: "starting" (the sandbox), "queued" (another run)
        self._waiting: str | None = None
        self.runs = 0  # runs begun here: a run that is no longer the last one begun shows nothing
        self.ending_to_reveal = False
        """Whether :meth:`reveal_ending` brings the run just ended into view: a step rebuilt
        before that is drawn (F2 as it ran) brings its new panel's into view instead."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="run-status"):
            yield Spinner()
            yield Static(classes="run-status-text")
            yield Static(classes="run-limit -empty")
        yield OutputView(follow=self.follow, classes="run-stdout -empty")
        yield Static(classes="run-value -empty")
        yield Static(classes="run-error -empty")
        yield Vertical(classes="trace-slot")

    def on_mount(self) -> None:
        if self.result is not None:
            self.finish(self.result)
        elif self.message:
            self.show_message(self.message)
        else:
            self.display = False

    @property
    def lang(self) -> Any:
        return self.app.lang  # type: ignore[attr-defined]

    def _set(self, cls: str, content: Any) -> None:
        widget = self.query_one(f".{cls}", Static)
        widget.update(content if content is not None else "")
        widget.set_class(content is None or content == "", "-empty")

    def begin(self, device: str, *, starting: bool = False, limit_s: float | None = None) -> None:
        """A run begins; ``starting``: the sandbox is still starting (importing torch), and
        :meth:`started` says when it is running. ``limit_s``: the seconds it may run, said
        beside the spinner while it goes (an endless loop otherwise spun on unexplained)."""
        self.display = True
        self.runs += 1
        self.result = None
        self.message = None
        self.ending_to_reveal = False
        self._device = device
        self._limit_s = limit_s
        self._waiting = "starting" if starting else None
        self._streams = self._new_streams()
        self._order = OutputOrder()
        self._stop_redraws()
        self.add_class("-running")
        self.remove_class("-meant-to-fail")
        self._show_running()
        self._show_output(None)
        for cls in ("run-value", "run-error"):
            self._set(cls, None)
        self.query_one(".trace-slot").remove_children()

    def retranslate(self) -> None:
        """Redraw in the app's language after F2.

        A lesson rebuilds its step, run panel included, from the step's state; a game or the
        review keeps its panel, so its screen calls this from ``on_lang``: a finished run is drawn
        again from its result, a run still going says so again. A hidden panel (a new round, the
        next card) keeps its old result but stays hidden.
        """
        if not self.display:
            return
        if self.result is not None:
            self.finish(self.result)
        elif self.has_class("-running"):
            self._show_running()
        else:
            self._show_message_again()

    def started(self, *, queued: bool = False) -> None:
        """The sandbox has started: the run is going now, or (``queued``) waits for another run
        to finish first (the sandbox runs one at a time); then this is called again."""
        waiting = "queued" if queued else None
        if self._waiting != waiting:
            self._waiting = waiting
            self._show_running()

    def _show_running(self) -> None:
        """The status of a run in progress: the sandbox starting, another run ahead, or the run
        going."""
        if self._waiting == "starting":
            status = tr("sandbox.starting", self.lang)
        elif self._waiting == "queued":
            status = tr("run.queued", self.lang)
        else:
            status = tr("run.running", self.lang, device=self._device.upper())
        self._set("run-status-text", Text(status))
        limit = None
        if self._waiting is None and self._limit_s is not None:
            limit = Text(tr("run.limit", self.lang, seconds=f"{self._limit_s:g}"))
            limit.stylize(app_styles(self.app).muted)
        self._set("run-limit", limit)

    def _new_streams(self) -> dict[str, StreamedOutput]:
        return {"stdout": StreamedOutput(), "stderr": StreamedOutput(style=self._stderr_style())}

    def _stderr_style(self) -> str:
        """stderr's colour in the app's theme now (:mod:`tutor.theme_styles`); italic too under
        NO_COLOR, where the colour alone no longer tells stderr's lines from stdout's."""
        if not self.is_attached:
            return DARK.stderr
        style = app_styles(self.app).stderr
        return f"{style} italic" if getattr(self.app, "no_color", False) else style

    def theme_changed(self) -> None:
        """A finished run's stderr drawn again in the new theme's colour for it (a run going
        keeps its colour until it ends, then takes it), or its message; its trace redraws
        itself."""
        if self.display and self.result is not None:
            self._show_final_output(self.result)
        elif self.display and not self.has_class("-running"):
            self._show_message_again()

    def add_output(self, stream: str, text: str) -> None:
        """A chunk of the run's ``stream`` ("stdout" or "stderr"), as the sandbox sends it."""
        name = "stderr" if stream == "stderr" else "stdout"
        output = self._streams[name]
        edits = self._order.edits
        other = "stdout" if name == "stderr" else "stderr"
        broken = self._streams[other].break_line() if text else None
        self._order.note(name, output.next_line())
        if broken is None:
            output.feed(text)
        else:  # the other stream's unfinished line ended where this one writes
            edits[other].append((broken, True))
            joined = output.feed_joined(text)
            if joined is not None:
                edits[name].append((joined, False))
        if self._redraws is not None:
            self._output_changed = True  # drawn at the next tick
            return
        self._show_streamed()
        if self.OUTPUT_REFRESH_S > 0:
            self._redraws = self.set_interval(self.OUTPUT_REFRESH_S, self._redraw_tick)

    def _redraw_tick(self) -> None:
        if self._output_changed:
            self._show_streamed()
        else:  # quiet for a tick: the next chunk is drawn at once again
            self._stop_redraws()

    def _show_streamed(self) -> None:
        self._output_changed = False
        streams = self._streams
        notes = self._gap_notes(streams["stdout"].written and streams["stderr"].written)
        self._show_output(
            self._in_order(
                streams["stdout"].lines(notes["stdout"]), streams["stderr"].lines(notes["stderr"])
            )
        )

    def _gap_notes(self, both: bool) -> dict[str, Callable[[int], Text]]:
        """Each stream's gap note: naming its stream when ``both`` wrote, so that two notes
        (both streams cut) tell which is which."""
        if both:
            return {"stdout": self._stdout_gap_note, "stderr": self._stderr_gap_note}
        return {"stdout": self._gap_note, "stderr": self._gap_note}

    def _gap_note(self, count: int) -> Text:
        """What stands between a long stream's start and its end: how much was left out (no
        whole line: a part of one, a line longer than the output shown)."""
        muted = app_styles(self.app).muted
        if count == 0:
            return Text(tr("run.output_gap_in_line", self.lang), style=muted)
        return Text(tr("run.output_gap", self.lang, count=count), style=muted)

    def _stdout_gap_note(self, count: int) -> Text:
        """:meth:`_gap_note`, saying it is stdout's."""
        return self._named_gap_note(tr("run.output_gap_stdout", self.lang), count)

    def _stderr_gap_note(self, count: int) -> Text:
        """:meth:`_gap_note`, saying it is stderr's."""
        return self._named_gap_note(tr("run.output_gap_stderr", self.lang), count)

    def _named_gap_note(self, stream: str, count: int) -> Text:
        note = self._gap_note(count)
        return Text(
            tr("run.output_gap_named", self.lang, stream=stream, note=note.plain), style=note.style
        )

    def _stop_redraws(self) -> None:
        if self._redraws is not None:
            self._redraws.stop()
            self._redraws = None
        self._output_changed = False

    @staticmethod
    def _output(stdout: list[Text], stderr: list[Text]) -> list[Text] | None:
        """What the run wrote, stdout's lines then stderr's, drawn alike while streamed and once
        done; ``None`` for nothing."""
        return stdout + stderr or None

    def _in_order(
        self, stdout: list[Text], stderr: list[Text], order: OutputOrder | None = None
    ) -> list[Text] | None:
        """What the run wrote, the streams' lines shown (``stdout``, ``stderr``) in the order
        they came (``order``; this run's, streamed here, when not given); ``None`` for nothing."""
        order = order or self._order
        if order.in_sequence:
            return self._output(stdout, stderr)
        streams = self._streams
        shown = {
            "stdout": streams["stdout"].numbered(stdout),
            "stderr": streams["stderr"].numbered(stderr),
        }
        return order.merge(shown) or None

    def _show_output(self, lines: list[Text] | None) -> None:
        """Show the output's ``lines`` (the view keeps its scroll position); ``None``: none,
        hidden (class ``-empty``) and scrolled back to the start for the next."""
        view = self.query_one(".run-stdout", OutputView)
        if lines is None:
            view.clear()
        else:
            view.show(lines)
        view.set_class(lines is None, "-empty")

    def show_message(self, message: MessageWords | str, *, failure: bool = False) -> None:
        """Say ``message`` in place of a run: a caution (a run cancelled), or a ``failure`` (the
        sandbox not available), in the theme's colour for it (:meth:`theme_changed`). Given as
        its words in a language, it is said again in the app's after F2 (:meth:`retranslate`);
        a text (a step's note, worded when the step was built) stays as it is."""
        self.display = True
        self._message_words = message
        self.message = message if isinstance(message, str) else message(self.lang)
        self._message_failure = failure
        self.remove_class("-running", "-meant-to-fail")
        self._set("run-limit", None)
        styles = app_styles(self.app)
        self._set(
            "run-status-text",
            Text(self.message, style=styles.wrong if failure else styles.caution),
        )

    def _show_message_again(self) -> None:
        """The message shown (if any) drawn again, in the app's language and theme now."""
        if self.message is not None and self._message_words is not None:
            self.show_message(self._message_words, failure=self._message_failure)

    def finish(self, result: Any) -> None:
        self.display = True
        self.result = result
        self.remove_class("-running")
        self._set("run-limit", None)
        meant = self.raised_as_meant(result)
        self.set_class(meant, "-meant-to-fail")
        lang = self.lang
        muted, code = app_styles(self.app).muted, app_styles(self.app).inline_code
        self._set(
            "run-status-text", describe_status(result, lang, meant_to_fail=meant, muted=muted)
        )
        # The final output, whatever streamed redraw was still to come.
        self._stop_redraws()
        order = self._order
        if not order.in_sequence or any(order.edits.values()):  # for a panel built again
            remember_order(result, self._order)
        self._show_final_output(result)
        if result.value is not None:
            value = Text()
            value.append("⟹ ", style="bold")
            # a __repr__ may print escapes (colour, a title): drawn as output is, never sent on
            value.append_text(terminal_text(clip_notes(str(result.value), lang)))
            self._set("run-value", value)
        else:
            self._set("run-value", None)
        # A cancelled run's error ("Cancelled: the run was cancelled") repeats the status line.
        cancelled = result.status == "cancelled"
        error = None if cancelled else self.error_text(result, lang, muted=muted, code=code)
        self._set("run-error", error)
        slot = self.query_one(".trace-slot")
        slot.remove_children()
        # a forward failing in the first layer leaves a warning and no event: shown too
        if result.trace or result.trace_warnings:
            slot.mount(
                TraceView(result.trace, result.trace_warnings, result.trace_truncated, lang=lang)
            )
        if self.follow:
            self.call_after_refresh(self._show_ending)

    def _show_final_output(self, result: Any) -> None:
        """The output as the run left it (see :meth:`StreamedOutput.final`), with the note that
        the sandbox cut it where it did (the end never came; cut here, the gap's note says so)."""
        if self._streams["stderr"].style != self._stderr_style():  # the theme changed meanwhile
            self._streams = self._new_streams()
        streams = self._streams
        order = self._order if self._order.runs else _ORDERS.get(id(result))
        edits = order.edits if order is not None else {"stdout": [], "stderr": []}
        stdout, stderr = result.stdout or "", result.stderr or ""
        notes = self._gap_notes(bool(stdout and stderr))
        output = self._in_order(
            streams["stdout"].final(stdout, notes["stdout"], edits["stdout"]),
            streams["stderr"].final(stderr, notes["stderr"], edits["stderr"]),
            order,
        )
        if getattr(result, "output_truncated", False):
            # the CLI's words (nn-tutor run): one cut, said one way, and why
            note = Text(tr("sandbox.output_truncated", self.lang), style=app_styles(self.app).muted)
            output = [*(output or [Text()]), note]
        self._show_output(output)

    def _show_ending(self) -> None:
        """Scroll what the run ended with into view, once laid out: its error (its heading and
        reason first, should the traceback not fit), else its value, else the note that the
        sandbox cut the output (the output's last row). A plain end leaves the output where the
        learner has it."""
        if not self.is_attached or self.result is None:  # gone, or a new run begun
            return
        error = self.query_one(".run-error", Static)
        value = self.query_one(".run-value", Static)
        areas = [n for n in self.ancestors if isinstance(n, FollowingScroll) and n.following]
        for area in areas:  # the output area stops following the end now
            area.follow(False)
        shown = error if not error.has_class("-empty") else value
        if not shown.has_class("-empty"):
            # from the area's start, as little as shows it: all of a short run's output stays
            # in view with it, whether or not the area had scrolled to its end as it followed
            for area in areas:
                area.scroll_to(y=0, animate=False, immediate=True)
            shown.scroll_visible(animate=False, immediate=True)
        elif getattr(self.result, "output_truncated", False):
            view = self.query_one(".run-stdout", OutputView)
            view.scroll_end(animate=False, immediate=True)
            view.scroll_visible(animate=False, immediate=True)

    def _enclosing(self) -> list[Widget]:
        """The widgets the panel sits in, up to its screen: any of them may scroll it."""
        return [node for node in self.ancestors if isinstance(node, Widget)]

    def scroll_offsets(self) -> list[Offset]:
        """Where each widget around the panel is scrolled to: taken as a run begins, for
        :meth:`reveal_ending` to tell whether the learner scrolled elsewhere while it went."""
        return [node.scroll_offset for node in self._enclosing()]

    def reveal_ending(self, offsets_at_start: list[Offset]) -> None:
        """Once laid out, scroll the run just ended into view in a panel that does not
        :attr:`follow` it (a lesson's step): its status line, and as much of its output, value
        or error below as fits (a panel taller than the area shows from its top). Only for a
        learner who waited for it: the widgets around still where they were as it began
        (``offsets_at_start``, from :meth:`scroll_offsets`), or scrolled to where its status
        line shows. One who scrolled elsewhere meanwhile (back up to the code) stays there.
        Whether it does is kept in :attr:`ending_to_reveal`."""
        if not self.display:
            return
        status = self.query_one(".run-status").region  # the screen's rows it is drawn on
        in_sight = all(node.region.contains_region(status) for node in self._enclosing())
        if in_sight or self.scroll_offsets() == offsets_at_start:
            self.ending_to_reveal = True
            reveal(self)

    def raised_as_meant(self, result: Any) -> bool:
        """Whether ``result`` raised the error the code is meant to raise."""
        error = result.error
        return (
            self.expected_error is not None
            and result.status == "error"
            and error is not None
            and error.type == self.expected_error
        )

    @staticmethod
    def error_text(result: Any, lang: Any, *, muted: str, code: str) -> Text | None:
        """The run's error line, its hint's code spans in ``code``, then its traceback set apart
        in ``muted``, which every caller names: the theme's inline code and secondary text
        (:attr:`~tutor.theme_styles.Styles.inline_code`, :attr:`~tutor.theme_styles.Styles.muted`).
        A long message is said whole once, by the error line (see :func:`shown_traceback`)."""
        error = result.error
        if error is None:
            return None
        text = error_line(error, lang, code=code)
        if error.traceback:
            text.append_text(terminal_text("\n" + shown_traceback(error, lang), muted))
        return text


def error_line(error: Any, lang: Any, *, code: str) -> Text:
    """A run's error (a ``RunError`` or its dict) headed by its kind and line, in ``lang``:
    "ValueError (line 3): bad input", "超时：…". The tutor's own words in it, the sandbox's hint
    at its end and the gloss after Python's words, have their code spans drawn in ``code``
    (`` `x = x.float()` `` showed its backticks); the words before them are drawn as written, a
    learner's or torch's backticks too."""
    heading, message = error_summary(error, lang)
    text = Text()
    text.append(heading, style="bold")  # the heading alone: Text(heading, style=) bolds all
    hint = hint_words(error, lang)
    opening, _, closing = tr("sandbox.hint", lang, hint="\0").partition("\0")
    if message == hint:  # an exception with no words of its own: the hint alone, unbracketed
        opening = closing = ""
    bracketed = f"{opening}{hint}{closing}"
    if hint and message.endswith(bracketed):
        text.append_text(_glossed_words(message[: -len(bracketed)], error, lang, code))
        text.append(opening)
        text.append_text(inline(learners_words(hint), code_style=code, emphasis=False))
        text.append(closing)
    else:
        text.append_text(_glossed_words(message, error, lang, code))
    return text


def _glossed_words(words: str, error: Any, lang: Any, code: str) -> Text:
    """``words``, an error line's message before any hint: Python's (the learner's, torch's)
    drawn as written, escapes too, and the gloss after them (:func:`gloss_words`), where there
    is one, with its code spans drawn in ``code``; what follows the gloss (an earlier hint the
    sandbox kept) as written."""
    gloss = gloss_words(error, lang)
    joined = tr("sandbox.gloss", lang, message="", gloss=gloss) if gloss else ""
    at = words.rfind(joined) if gloss else -1
    if not gloss or at < 0:
        return terminal_text(words)  # "": the hint alone
    text = terminal_text(words[:at])
    text.append(joined[: -len(gloss)])  # what joins Python's words and the gloss: "——"
    text.append_text(inline(learners_words(gloss), code_style=code, emphasis=False))
    text.append_text(terminal_text(words[at + len(joined) :]))
    return text


def cancelled_note(lang: Any) -> str:
    """What a run panel says of a run cancelled before it ended, in ``lang``."""
    return f"{STATUS_ICONS['cancelled']} {tr('run.status.cancelled', lang)}"


async def run_in_panel(
    owner: Widget,
    panel: RunPanel,
    code: str,
    *,
    device: str = "cpu",
    trace: bool = False,
    check: str | None = None,
    timeout: float | None = LEARNER_RUN_TIMEOUT_S,
) -> Any:
    """Run ``code`` in the app's sandbox, streaming into ``panel``; the ``RunResult`` or ``None``.

    Cancelling the calling worker cancels the run (the panel says so).
    """
    from tutor.app import SandboxUnavailable

    app: Any = owner.app
    panel.begin(device, starting=app.sandbox is None, limit_s=timeout)
    mine = panel.runs  # a run begun in the panel after this one takes it over

    def on_output(stream: str, text: str) -> None:
        if panel.runs == mine:
            panel.add_output(stream, text)

    def on_start() -> None:
        if panel.runs == mine:
            panel.started()

    try:
        box = await app.get_sandbox()
        panel.started(queued=box.busy)  # another screen's run may hold the sandbox
        result = await box.run(
            code,
            device=device,
            trace=trace,
            check=check,
            timeout=timeout,
            on_output=on_output,
            on_start=on_start,
            owner=owner,
        )
    except SandboxUnavailable as exc:
        if panel.runs == mine:
            panel.show_message(partial(unavailable_message, exc.reason), failure=True)
        return None
    except asyncio.CancelledError:
        if panel.runs == mine and panel.is_attached:  # not when its screen or step is gone
            panel.show_message(cancelled_note)
        raise
    if panel.runs == mine:
        panel.finish(result)
    return result


def cancel_run(owner: DOMNode) -> None:
    """Stop ``owner``'s run: the sandbox returns a "cancelled" result, or the worker is cancelled."""
    app: Any = owner.app
    box = app.sandbox
    if box is not None and box.cancel(owner):  # only while the sandbox runs owner's run
        return
    owner.workers.cancel_group(owner, "run")  # waiting for another's run, or for the start


def run_going(owner: DOMNode) -> bool:
    """Whether ``owner`` has a run going (asked for, or running): a worker of its group "run".
    ``owner.workers`` are the whole app's, another screen's run among them."""
    return any(w.node is owner and w.group == "run" and not w.is_finished for w in owner.workers)


async def stop_runs(owner: DOMNode) -> None:
    """Cancel ``owner``'s runs and wait until they are over, so none of their results lands
    after this returns (on the next card, or the next round)."""
    await wait_over(owner.workers.cancel_group(owner, "run"))


async def wait_over(workers: Iterable[Worker[Any]]) -> None:
    """Wait until ``workers`` are over, however they end. The wait is shielded: Textual's
    ``Worker.wait()``, itself cancelled, marks the worker it waits for cancelled and raises
    ``WorkerCancelled``, which reads as that worker's end, and its caller went on as if the wait
    were over. Cancelled now, the caller is cancelled; the workers end as they would."""
    await asyncio.shield(asyncio.gather(*(w.wait() for w in workers), return_exceptions=True))


CANCEL_RUN = Binding("escape", "cancel_run", "k.cancel", priority=True)
"""esc while a run is going cancels it, whatever has focus; priority, as the screen's own esc
(leave) would come first otherwise. Only a :class:`CancelsRun` lists it."""


class FollowsRuns:
    """What a node running code in workers of its group "run" shares: the footer's keys follow
    the run (esc cancels it only while it goes), and a cancelled run gets :meth:`run_cancelled`.
    A lesson's step runs its own code: the lesson screen, a :class:`CancelsRun`, cancels it."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "run":
            self.refresh_bindings()  # type: ignore[attr-defined]  # the footer's esc
            if event.state == WorkerState.CANCELLED:
                self.run_cancelled()  # esc before the sandbox took the run (it was starting)

    def run_cancelled(self) -> None:
        """What is left to do once a run was cancelled (its worker, or the run in the sandbox,
        whose result then says "cancelled"): nothing here; a quiz gives its answer box back."""


class CancelsRun(FollowsRuns):
    """What a screen whose runs say "(esc cancels)" shares: while a run of its
    :attr:`run_owner` is going (in a worker of its group "run"), esc cancels it and the footer
    says so; idle, esc does what its other bindings say. Mixed in before the Textual class, with
    :data:`CANCEL_RUN` in the ``BINDINGS`` (Textual reads bindings from its own classes only).
    On the screen, so that esc reaches it wherever the focus is (a click on text moves it)."""

    @property
    def run_owner(self) -> DOMNode | None:
        """Whose runs esc cancels: this screen's own; a lesson names the step it shows."""
        return self  # type: ignore[return-value]

    @property
    def run_in_progress(self) -> bool:
        """Whether :attr:`run_owner` has a run going, for esc to cancel."""
        owner = self.run_owner
        return owner is not None and run_going(owner)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_run":
            return self.run_in_progress
        return super().check_action(action, parameters)  # type: ignore[misc,no-any-return]

    def action_cancel_run(self) -> None:
        owner = self.run_owner
        if owner is not None:
            cancel_run(owner)
