"""``nn-tutor run FILE|-``: run a snippet in the sandbox without the TUI.

Streams the snippet's output as it prints it, then shows the value, the error (with the learner's
line) and, with ``--trace``, a table of module calls; or the RunResult as JSON with ``--json``
(a snippet that cannot be read too). Exit status 0 only for status ``ok``; the others are
:data:`EXIT_CODES`, :data:`OUTPUT_LIMIT` and :data:`READ_ERROR` (``run --help`` says them:
``cli.help.run_exit_codes``).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import os
import re
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from tutor.cli import is_terminal
from tutor.config import TutorConfig
from tutor.i18n import tr
from tutor.python_source import (
    UNREADABLE_SOURCE,
    decode_source,
    read_source,
    unreadable_source_line,
)
from tutor.sandbox_messages import (
    check_words,
    clip_notes,
    error_summary,
    learners_words,
    shown_traceback,
    unavailable_message,
)

if TYPE_CHECKING:  # the sandbox package is imported only when a run is made
    from sandbox.result import RunResult

EXIT_CODES = {"ok": 0, "error": 1, "timeout": 3, "crashed": 4, "oom": 5, "cancelled": 6}
READ_ERROR = 2
OUTPUT_LIMIT = 7
"""The exit status of a run the sandbox stopped for printing too much: its result's status is
"error" (its error ``OutputLimitExceeded``, code ``output_limit``), but the snippet raised
nothing, so not 1; a limit of the sandbox's, as the time (3) and memory (5) are."""


def exit_status(result: RunResult) -> int:
    """The command's exit status for the run's ``result``."""
    error = result.error
    if result.status == "error" and error is not None and error.code == "output_limit":
        return OUTPUT_LIMIT
    return EXIT_CODES.get(result.status, 1)


def _read_source(path: str, lang: str) -> str:
    """The snippet's text (a file's, or stdin's with ``-``), decoded as Python decodes a source
    file: UTF-8 unless a byte-order mark or a ``# coding:`` line says otherwise (Windows editors
    often save a BOM). Read from a terminal, it says so first: waiting in silence looks like a
    hang."""
    if path == "-":
        if sys.stdin.isatty():
            print(tr("sandbox.reading_stdin", lang), file=sys.stderr)
        data = sys.stdin.buffer.read()  # bytes: the terminal's encoding is not the code's
        return decode_source(data)[0]
    return read_source(path)[0]


def render(result: Any, lang: str, console: Any, *, streamed: bool = False) -> None:
    """Rich rendering of a RunResult (also used by tests and, later, the sandbox screen).
    ``streamed``: its stdout and stderr were printed as the run went (:class:`ForwardedStream`),
    so they are not shown again. A box is as wide as the console on a terminal, and as its
    text elsewhere: in a log file, a box padded to the width is a wall of spaces."""
    from rich.markup import escape
    from rich.panel import Panel

    from tutor.terminal_text import terminal_text  # colours kept, other escapes never sent on

    fit = not console.is_terminal
    if result.stdout and not streamed:
        console.print(
            Panel(
                terminal_text(result.stdout),
                title=tr("sandbox.stdout", lang),
                title_align="left",
                expand=not fit,
            )
        )
    if result.stderr and not streamed:
        console.print(
            Panel(
                terminal_text(result.stderr),
                title=tr("sandbox.stderr", lang),
                title_align="left",
                border_style="yellow",
                expand=not fit,
            )
        )
    if result.output_truncated:
        console.print(f"[yellow]{escape(tr('sandbox.output_truncated', lang))}[/]")
    if result.value is not None:
        console.print(
            Panel(
                terminal_text(clip_notes(result.value, lang)),  # a __repr__'s escapes dropped
                title=tr("sandbox.value", lang),
                title_align="left",
                border_style="green",
                expand=not fit,
            )
        )
    if result.trace:
        console.print(trace_table(result, lang, console.width))
    if result.trace_warnings:
        console.print(f"[bold yellow]{tr('sandbox.trace.warnings', lang)}[/]")
        from tutor.trace_table import warning_line  # the TUI's words: no raw kind id

        for w in result.trace_warnings:
            console.print(f"  [yellow]{escape(warning_line(w, lang))}[/]")
    if result.error is not None:
        err = result.error
        if err.traceback:
            # its last line cut where the error's line below says the message whole
            console.print(terminal_text(shown_traceback(err, lang)), style="dim", highlight=False)
        heading, message = error_summary(err, lang)
        message = learners_words(message)  # the learner's exception's words
        console.print(f"[bold red]{escape(heading + message)}[/]")
    if result.check is not None:
        key = "sandbox.check.passed" if result.check.passed else "sandbox.check.failed"
        message, raw = check_words(result.check, lang)  # the exercise step's words
        console.print(escape(tr(key, lang, message=message)))
        if raw:
            console.print(f"[dim]{escape(raw)}[/]")
    status_key = f"sandbox.status.{result.status}"
    style = "green" if result.status == "ok" else "red"
    console.print(
        f"[{style}]{escape(tr(status_key, lang, duration=result.duration_s, device=result.device))}[/]"
    )


def trace_table(result: Any, lang: str, width: int) -> Any:
    """The trace as the tutor's trace view shows it, its columns fitted to ``width`` (at 80
    columns every cell of the eleven was cut): a Rich table, its devices and dtypes in its
    title."""
    from rich import box
    from rich.table import Table

    from tutor.theme_styles import DARK
    from tutor.trace_table import TraceTable, justify

    # DARK: the terminal's background is not known here and this command has no light-terminal
    # setting (its status line uses plain "green"/"red"); most terminals are dark.
    trace = TraceTable(result.trace, result.trace_warnings, lang, styles=DARK)
    kinds = [sorted({str(e.get(key)) for e in result.trace}) for key in ("device", "dtype")]
    title = " · ".join(
        [tr("sandbox.trace.title", lang, count=len(result.trace))]
        + [", ".join(kind) for kind in kinds]
    )
    # a cell between each two columns, as a DataTable's padding: what the layout reckons with
    layout = trace.layout(width + 1)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    table.padding = (0, 0, 0, 1)
    for column in layout.columns:
        table.add_column(trace.header(column), justify=justify(column), no_wrap=True)
    for cells in trace.rows(layout):
        table.add_row(*cells)
    return table


_PLAIN_PARAMS = re.compile(r"[0-9;:]*")
"""The parameters of a kept sequence: numbers alone (``\x1b[>4;2m`` ends in ``m`` too, and sets
a keyboard mode no colour reset undoes)."""

KEPT_SEQUENCES = frozenset("mKCDG")
"""The finals of the CSI sequences streamed on to a terminal: colours (``m``), erasing the line
(``K``) and moving along it (``C``, ``D``, ``G``), what a progress bar redraws its line with.
Every other escape (clear the screen, set the title, move to another line, switch modes) is
dropped: the snippet's output is a transcript, as :mod:`tutor.terminal_text` shows it."""

_KEPT_SEQUENCE = re.compile(r"\x1b\[[0-9;:]*[mKCDG]")
"""One of the escape sequences :func:`terminal_safe` passes on (they move no line)."""


def terminal_safe(data: str) -> tuple[str, str]:
    """``data`` as it may reach the learner's terminal (text, ``\\n \\r \\t \\b`` and
    :data:`KEPT_SEQUENCES`), and the escape sequence at its end still to be finished by the next
    chunk (``""`` when none): a sequence split across chunks is held back, not dropped."""
    # the same reading of output as the run's transcript: what it takes for a sequence, this does
    from tutor.terminal_text import CONTROL, SEQUENCE, TEXT, output_pieces

    kept: list[str] = []
    for kind, piece in output_pieces(data):
        if kind is TEXT or (kind is CONTROL and piece in "\n\r\t\b"):
            kept.append(piece)
        elif kind is SEQUENCE:
            if piece["final"] in KEPT_SEQUENCES and _PLAIN_PARAMS.fullmatch(
                piece["params"] + piece["inter"]
            ):
                kept.append(piece.group())
        elif kind is not CONTROL:  # unfinished: held back for the next chunk
            return "".join(kept), piece
        # any other control character (BEL, C1 controls) is dropped
    return "".join(kept), ""


class _Target:
    """The terminal, pipe or file one or more :class:`ForwardedStream` write onto (two with
    ``2>&1``): the streams, and whether what was written there last ends a line (or nothing
    was), whichever stream wrote it."""

    def __init__(self) -> None:
        self.streams: list[ForwardedStream] = []
        self.ends_line = True


class ForwardedStream:
    """One of the snippet's streams, written on to ours (``file``) as the run prints it.

    To a terminal it goes chunk by chunk, escapes but :data:`KEPT_SEQUENCES` dropped, so a
    progress bar draws as it goes. To a pipe or a file it goes line by line, each line as a
    terminal would leave it (:func:`~tutor.terminal_text.terminal_text`: no escapes, a bar
    rewritten with ``\\r`` at its last state): a log holds what the learner would have read.

    ``shares_with``: a stream written onto the same terminal, pipe or file as this one
    (``2>&1``). Where the line ends is then the target's, whichever stream wrote last, and in a
    log a line one stream left unfinished is written out, ended, before the other writes there
    (as a terminal shows it, and as the tutor's run panel does).
    """

    def __init__(self, file: TextIO, shares_with: ForwardedStream | None = None) -> None:
        self.file = file
        self.live = is_terminal(file)
        self._pending = ""  # live: an unfinished escape sequence; a log: the unfinished line
        self._styled = False  # a colour went through: reset it before the summary
        # what this one writes onto, one for all the streams sharing it
        self._target = shares_with._target if shares_with is not None else _Target()
        self._target.streams.append(self)

    def write(self, text: str) -> None:
        streams = self._target.streams
        broken = [other.break_line() for other in streams if other is not self and text]
        if any(broken) and text.startswith("\n"):
            text = text[1:]  # the newline that ended that line on a terminal: ended already
        if self.live:
            shown, self._pending = terminal_safe(self._pending + text)
            self._styled = self._styled or "\x1b[" in shown
        else:
            data = self._pending + text
            end = data.rfind("\n") + 1
            shown, self._pending = _log_lines(data[:end]), data[end:]
        if shown:
            self._put(shown)

    def _put(self, shown: str) -> None:
        """Write ``shown`` on, and note where it ends on the target, for every stream there.

        Escape sequences alone (a colour reset) leave the cursor where it was: they neither
        begin a line nor end one, so where the line ends stays as it was."""
        self.file.write(shown)
        self.file.flush()
        text = _KEPT_SEQUENCE.sub("", shown) if "\x1b" in shown else shown
        if text:
            self._target.ends_line = text.endswith("\n")

    def break_line(self) -> bool:
        """Another stream writes where this one goes: a log's unfinished line is written out
        and ended here (not a blank one: a progress bar cleared for a note goes on after it).
        Whether it was."""
        from tutor.terminal_text import blank_row

        if self.live or not self._pending or blank_row(self._pending):
            return False
        line = _log_lines(self._pending + "\n")
        self._pending = ""
        self._put(line)
        return True

    def close(self) -> None:
        """Write out the unfinished line, and end it: the summary starts on a line of its own,
        in the terminal's own colours."""
        tail = "" if self.live else _log_lines(self._pending + "\n") if self._pending else ""
        self._pending = ""
        if self._styled:
            tail += "\x1b[0m"
        if not self._target.ends_line and not tail.endswith("\n"):
            tail += "\n"
        if tail:
            self._put(tail)


def _log_lines(data: str) -> str:
    """Whole lines of output (``data`` ends in ``\\n``), each as a terminal would leave it."""
    from tutor.terminal_text import SPECIAL_CHARACTER, terminal_text

    if SPECIAL_CHARACTER.search(data.replace("\n", "")) is None:  # plain text, as most output is
        return data
    return "".join(terminal_text(line).plain + "\n" for line in data.split("\n")[:-1])


def same_target(first: TextIO, second: TextIO) -> bool:
    """Whether ``first`` and ``second`` write to the same terminal, pipe or file (``2>&1``)."""
    if first is second:
        return True
    try:
        return os.path.sameopenfile(first.fileno(), second.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


def stream_output(
    stdout: TextIO, stderr: TextIO
) -> tuple[Callable[[str, str], None], Callable[[], None]]:
    """An ``on_output`` for :meth:`sandbox.Sandbox.run` writing the snippet's stdout to
    ``stdout`` and its stderr to ``stderr`` as they come, and what ends both once the run is
    over (call it before printing anything else)."""
    out = ForwardedStream(stdout)
    streams = {
        "stdout": out,
        "stderr": ForwardedStream(stderr, out if same_target(stdout, stderr) else None),
    }

    def on_output(stream: str, text: str) -> None:
        streams[stream].write(text)

    def close() -> None:
        for streamed in streams.values():
            streamed.close()

    return on_output, close


class OutputRuns:
    """An ``on_output`` for :meth:`sandbox.Sandbox.run` keeping the run's output in the order it
    came, for ``--json``: the result holds stdout and stderr apart, and so loses which came
    first (a warning printed between two lines)."""

    def __init__(self) -> None:
        self._runs: list[tuple[str, list[str]]] = []  # (stream, its chunks in a row)

    def __call__(self, stream: str, text: str) -> None:
        if not text:
            return
        if self._runs and self._runs[-1][0] == stream:
            self._runs[-1][1].append(text)
        else:
            self._runs.append((stream, [text]))

    def runs(self) -> list[dict[str, str]]:
        """The output as ``{"stream": "stdout"|"stderr", "text": ...}`` runs, in order, each
        the chunks of one stream that came in a row, joined."""
        return [{"stream": stream, "text": "".join(texts)} for stream, texts in self._runs]


def result_json(result: Any, output: list[dict[str, str]]) -> str:
    """``result`` as ``--json`` prints it: the RunResult's fields, and ``output``, its stdout
    and stderr in the order they came (:meth:`OutputRuns.runs`), after them."""
    from sandbox.result import fields_json

    fields: dict[str, Any] = {}
    for key, value in result.to_dict().items():
        fields[key] = value
        if key == "stderr":
            fields["output"] = output
    return fields_json(fields, indent=2)


def print_summary(result: Any, lang: str, *, streamed: bool) -> None:
    """:func:`render` on stdout. Its width: ``COLUMNS`` when set, else the terminal's when any
    standard stream is one (``run > log`` in a terminal), else 80, the width every terminal,
    pager and diff view shows whole (Rich's own rules). Written to a pipe or a file, no line
    ends in spaces."""
    from rich.console import Console

    console = Console()
    if console.is_terminal:
        render(result, lang, console, streamed=streamed)
        return
    text = io.StringIO()
    render(result, lang, Console(file=text, width=console.width), streamed=streamed)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in text.getvalue().splitlines()))


def unreadable_result(exc: BaseException, path: str) -> Any:
    """A snippet that could not be read, as a run's result for ``--json``: status "error", its
    ``error`` of type ``UnreadableSource`` saying why in English (as every result's message),
    and which file in ``params`` (``-`` for standard input). The exit status is still
    :data:`READ_ERROR`: the snippet never ran."""
    from sandbox.result import RunError, RunResult

    named = tr("cli.stream.stdin", "en") if path == "-" else None
    message = unreadable_source_line(exc, path, "en", named=named)
    return RunResult("error", error=RunError("UnreadableSource", message, params={"path": path}))


def _run_until_interrupted(sb: Any, source: str, **options: Any) -> Any:
    """``sb.run(source, **options)``, cancelled by ctrl-c: the run comes back "cancelled", with
    what it printed so far, for the command to show (or print as JSON) and exit with that
    status's code. The run goes on in a thread: the interrupt lands in this one, which is only
    waiting. A second ctrl-c stops the command at once."""
    pool = concurrent.futures.ThreadPoolExecutor(1)
    future = pool.submit(sb.run, source, **options)
    try:
        try:
            return future.result()
        except KeyboardInterrupt:
            # the run may not have reached the sandbox yet: asked again until it has, or ended
            while not sb.cancel() and not future.done():
                time.sleep(0.05)
            return future.result()
    finally:
        # not waited for after a second ctrl-c: closing the sandbox, the caller ends the run
        pool.shutdown(wait=False)


def main(args: argparse.Namespace, config: TutorConfig) -> int:
    from rich.console import Console
    from rich.markup import escape

    from sandbox import Sandbox, SandboxStartError

    lang = config.lang.value
    err_console = Console(stderr=True)
    try:
        source = _read_source(args.file, lang)
    except UNREADABLE_SOURCE as exc:
        named = tr("cli.stream.stdin", lang) if args.file == "-" else None
        # the path once, no "[Errno 2]"
        print(unreadable_source_line(exc, args.file, lang, named=named), file=sys.stderr)
        if args.json:  # as a failed start: a script reading stdout gets a result to read
            sys.stdout.write(result_json(unreadable_result(exc, args.file), []) + "\n")
        return READ_ERROR
    if args.file != "-":  # run as ``python FILE`` runs it: its folder, __file__, its name
        from sandbox.protocol import FileSource

        source = FileSource(source, os.path.abspath(args.file))
    # --json: stdout is the JSON's alone; the result holds both streams, and ``kept`` their order
    kept = OutputRuns()
    on_output, end_output = stream_output(sys.stdout, sys.stderr) if not args.json else (kept, None)
    try:
        with Sandbox() as sb:
            result = _run_until_interrupted(
                sb,
                source,
                device=args.device,
                timeout=args.timeout,
                trace=bool(args.trace),
                on_output=on_output,
            )
    except SandboxStartError as exc:
        err_console.print(escape(unavailable_message(exc.error, lang)), style="red")
        result = exc.result  # the failed start, as a run's result
        if not args.json:  # said: there is no run to show
            return EXIT_CODES[result.status]
    finally:
        if end_output is not None:
            end_output()
    if args.json:  # a failed start too: a script reading stdout still gets a result to read
        sys.stdout.write(result_json(result, kept.runs()) + "\n")
    else:
        print_summary(result, lang, streamed=True)
    return exit_status(result)
