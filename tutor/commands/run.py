"""``nn-tutor run FILE|-``: run a snippet in the sandbox without the TUI.

Prints the output, the value, the error (with the learner's line) and, with ``--trace``, a table
of module calls; or the RunResult as JSON with ``--json``. Exit status 0 only for status ``ok``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import time
from typing import Any

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
    unavailable_message,
)

EXIT_CODES = {"ok": 0, "error": 1, "timeout": 3, "crashed": 4, "oom": 5, "cancelled": 6}
READ_ERROR = 2


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


def render(result: Any, lang: str, console: Any) -> None:
    """Rich rendering of a RunResult (also used by tests and, later, the sandbox screen)."""
    from rich.markup import escape
    from rich.panel import Panel

    from tutor.terminal_text import terminal_text  # colours kept, other escapes never sent on

    if result.stdout:
        console.print(
            Panel(
                terminal_text(result.stdout),
                title=tr("sandbox.stdout", lang),
                title_align="left",
            )
        )
    if result.stderr:
        console.print(
            Panel(
                terminal_text(result.stderr),
                title=tr("sandbox.stderr", lang),
                title_align="left",
                border_style="yellow",
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
            console.print(
                terminal_text(clip_notes(err.traceback, lang)), style="dim", highlight=False
            )
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

    from tutor.trace_table import NUMBER_COLUMNS, TraceTable

    trace = TraceTable(result.trace, result.trace_warnings, lang)
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
        justify = "right" if column in NUMBER_COLUMNS else "left"
        table.add_column(trace.headers[column], justify=justify, no_wrap=True)
    for cells in trace.rows(layout):
        table.add_row(*cells)
    return table


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
        return READ_ERROR
    try:
        with Sandbox() as sb:
            result = _run_until_interrupted(
                sb, source, device=args.device, timeout=args.timeout, trace=bool(args.trace)
            )
    except SandboxStartError as exc:
        err_console.print(escape(unavailable_message(exc.error, lang)), style="red")
        result = exc.result  # the failed start, as a run's result
        if not args.json:  # said: there is no run to show
            return EXIT_CODES[result.status]
    if args.json:  # a failed start too: a script reading stdout still gets a result to read
        sys.stdout.write(result.to_json(indent=2) + "\n")
    else:
        console = Console()
        if not console.is_terminal:
            console = Console(width=160)
        render(result, lang, console)
    return EXIT_CODES.get(result.status, 1)
