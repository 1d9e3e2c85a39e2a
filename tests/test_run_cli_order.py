"""``nn-tutor run``'s streamed output where stdout and stderr meet (fx13): with ``2>&1`` into a
pipe or a file, a line one stream left unfinished is ended where the other writes (as a
terminal shows it, and as the tutor's run panel does); on a terminal, the summary starts on a
line of its own with no blank line before it, whichever stream ended the last line."""

from __future__ import annotations

import io
import os

from tutor.commands.run import same_target, stream_output


class Terminal(io.StringIO):
    """What a pty shows, as written: a terminal, to :func:`tutor.cli.is_terminal`."""

    def isatty(self) -> bool:
        return True


def streamed(chunks: list[tuple[str, str]], stdout: io.StringIO, stderr: io.StringIO) -> None:
    on_output, close = stream_output(stdout, stderr)
    for stream, text in chunks:
        on_output(stream, text)
    close()


MSE = [
    ("stdout", "epoch 0: "),
    ("stderr", "UserWarning: sizes differ\n"),
    ("stdout", "loss 1.100\nepoch 1: loss 1.100\n"),
]


def test_into_one_pipe_a_line_left_unfinished_ends_where_stderr_writes():
    """``run mse.py 2>&1 | cat``: the warning came after "epoch 0:", not before it."""
    log = io.StringIO()
    streamed(MSE, log, log)
    assert (
        log.getvalue() == "epoch 0: \nUserWarning: sizes differ\nloss 1.100\nepoch 1: loss 1.100\n"
    )


def test_into_two_files_each_keeps_its_lines_whole():
    out, err = io.StringIO(), io.StringIO()
    streamed(MSE, out, err)
    assert out.getvalue() == "epoch 0: loss 1.100\nepoch 1: loss 1.100\n"
    assert err.getvalue() == "UserWarning: sizes differ\n"


def test_into_one_pipe_a_bar_shows_the_note_after_its_state_then():
    """snips/rbar.py: no blank line (stderr's leading newline is the one ending the bar's line)."""
    chunks = [("stdout", f"\r[{'#' * i}{'.' * (4 - i)}] {i * 25}%") for i in range(3)]
    chunks += [("stderr", "\nhalf-way note\n")]
    chunks += [("stdout", f"\r[{'#' * i}{'.' * (4 - i)}] {i * 25}%") for i in range(3, 5)]
    chunks += [("stdout", "\nafter bar\n")]
    log = io.StringIO()
    streamed(chunks, log, log)
    assert log.getvalue() == "[##..] 50%\nhalf-way note\n[####] 100%\nafter bar\n"


def test_into_one_pipe_a_bar_cleared_for_a_note_goes_on_below_it():
    """tqdm.write: the bar is cleared, the note printed, the bar drawn again below it."""
    chunks = [
        ("stderr", "\repoch 0:  40%|####  |"),
        ("stderr", "\r" + " " * 21 + "\r"),  # cleared for the note
        ("stdout", "note\n"),
        ("stderr", "\repoch 0: 100%|######|\n"),
    ]
    log = io.StringIO()
    streamed(chunks, log, log)
    assert log.getvalue() == "note\nepoch 0: 100%|######|\n"


def test_on_a_terminal_no_blank_line_after_stderr_ended_stdouts_line():
    """snips/partial_end.py in a pty: stdout's "progress 50%" unfinished, then a whole line on
    stderr; the line is ended already, and the summary follows it with no blank line."""
    tty = Terminal()
    streamed([("stdout", "progress 50%"), ("stderr", "a warning line\n")], tty, tty)
    assert tty.getvalue() == "progress 50%a warning line\n"


def test_on_a_terminal_an_unfinished_last_line_is_still_ended():
    tty = Terminal()
    streamed([("stderr", "warned\n"), ("stdout", "progress 50%")], tty, tty)
    assert tty.getvalue() == "warned\nprogress 50%\n"


def test_on_a_terminal_a_colour_reset_puts_no_blank_line_before_the_summary():
    """colored.py in a pty: stdout's coloured line ended; its close writes the colour reset,
    which begins no line, so stderr's close adds no newline (no blank line)."""
    tty = Terminal()
    streamed([("stdout", "\x1b[31mred\x1b[0m\n")], tty, tty)
    assert tty.getvalue() == "\x1b[31mred\x1b[0m\n\x1b[0m"


def test_on_a_terminal_a_colour_after_the_newline_still_ends_the_line():
    """A line ended, then a colour set for what comes next: the line is ended all the same."""
    tty = Terminal()
    streamed([("stdout", "red\n\x1b[31m")], tty, tty)
    assert tty.getvalue() == "red\n\x1b[31m\x1b[0m"


def test_the_same_file_twice_is_one_target(tmp_path):
    path = tmp_path / "log"
    with open(path, "w") as one, open(path, "a") as other, open(tmp_path / "b", "w") as third:
        assert same_target(one, other)
        assert not same_target(one, third)
    read, write = os.pipe()  # 2>&1 | cat: the one pipe, on two descriptors
    with os.fdopen(write, "w") as out, os.fdopen(os.dup(write), "w") as err:
        assert same_target(out, err)
    os.close(read)
