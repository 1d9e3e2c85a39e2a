"""``nn-tutor check``'s live progress line asks ``tutor.cli.is_terminal`` whether stderr is a
terminal: a closed or missing stderr is no terminal, and the check runs on without a word."""

from __future__ import annotations

import io

from tutor.commands.check import ProgressLine


def test_progress_is_quiet_on_a_closed_or_missing_stream() -> None:
    closed = io.StringIO()
    closed.close()
    for stream in (closed, None):
        progress = ProgressLine(stream, "en")  # type: ignore[arg-type]
        progress(1, 3)
        progress.clear()
        assert not progress.live


def test_progress_is_quiet_on_a_stream_that_is_no_terminal() -> None:
    stream = io.StringIO()
    progress = ProgressLine(stream, "en")
    progress(1, 3)
    progress.clear()
    assert stream.getvalue() == ""
