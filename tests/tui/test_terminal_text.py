"""``terminal_text``: a program's output as a terminal would leave it, as Rich ``Text``; what both
``nn-tutor run`` and the run panel show."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from tutor.commands.run import render
from tutor.terminal_text import TerminalText, terminal_text

from .conftest import FakeError, FakeResult


@pytest.mark.parametrize(
    ("output", "shown"),
    [
        ("plain\n", "plain"),
        ("  0%\r 50%\r100%\n", "100%"),
        ("100%\r", "100%"),  # a bar still drawing: the cursor went back, the text stays
        ("a\r\nb\r\n", "a\nb"),
        ("a\n\n\n", "a"),  # the cursor on a new line is not a line of output
        ("a\n\nb", "a\n\nb"),
        ("12345\rab\n", "ab345"),  # a shorter rewrite overwrites only its own cells
        ("ab\bc\n", "ac"),
        ("\b\bx", "x"),  # no further left than the line's start
        ("a\tb\n", "a       b"),
        ("abc\b\b\t|\n", "abc     |"),  # a tab moves the cursor, it erases nothing
        ("abcdef\r\x1b[Kxy\n", "xy"),  # erase to the end of the line
        ("abcdef\x1b[3D\x1b[1Kx\n", "   xef"),  # erase to the cursor (inclusive), then write
        ("abcdef\x1b[2Kxy\n", "      xy"),  # erase the line; the cursor stays where it was
        ("abc\x1b[10Gx\n", "abc      x"),  # cursor to column 10
        ("bar 1\nbar 2\n\x1b[2A\x1b[2Kbar 3\n\x1b[2Kbar 4\n", "bar 3\nbar 4"),
        ("a\x1b[5Ab\n", "ab"),  # no higher than the output's first line
        ("x\x1b[?25l\x1b[=1h\x1b(B\x1b7\x1b8\x1bMy", "xy"),  # modes, charsets, save/restore
        ("\x1b]8;;https://x.org\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("a\x00b\x7fc\x0bd\x9be", "abcde"),  # other C0/C1 controls are dropped
        ("a\x1b", "a"),  # an escape cut short at the end
        ("a\x1b[31", "a"),
        ("a\x1b]0;never ended", "a"),
        ("a\x1bQb", "ab"),  # an escape sequence of its own kind
    ],
)
def test_output_is_drawn_as_a_terminal_leaves_it(output: str, shown: str) -> None:
    assert terminal_text(output).plain == shown


def styles_of(text: Text, part: str) -> set[str]:
    """The styles the characters of ``part`` (its first occurrence) are drawn in."""
    start = text.plain.index(part)
    return {str(text.get_style_at_offset(console(), i)) for i in range(start, start + len(part))}


def test_colours_last_across_lines_until_reset() -> None:
    text = terminal_text("\x1b[31mred\nstill\x1b[0m plain\x1b[48;5;21mbg\x1b[m.\n")
    assert text.plain == "red\nstill plainbg."
    assert styles_of(text, "red") == styles_of(text, "still") == {"color(1)"}
    assert styles_of(text, " plain") == styles_of(text, ".") == {"none"}
    assert styles_of(text, "bg") == {"on color(21)"}


def test_a_style_given_is_the_base_under_the_outputs_own_colours() -> None:
    text = terminal_text("w \x1b[32mok\x1b[0m\n", style="yellow")
    assert text.style == "yellow"
    assert [(text.plain[s.start : s.end], str(s.style)) for s in text.spans] == [("ok", "color(2)")]


def test_an_sgr_with_private_parameters_sets_no_style() -> None:
    """``ESC[>4;2m`` (xterm's key modifiers) is no colour: its 2 is not "dim"."""
    assert terminal_text("\x1b[>4;2mx").spans == []


def test_the_limit_cuts_what_is_shown_not_what_is_decoded() -> None:
    output = "".join(f"\r{i:6d}" for i in range(100_000)) + "\nend\n"
    assert terminal_text(output, limit=10).plain == " 99999\nend"
    assert terminal_text("abcdef\nghi", limit=4).plain == "abcd"
    cut = terminal_text("a\x1b[31mbcd\x1b[32mef\x1b[0m", limit=3)
    assert cut.plain == "abc" and [(s.start, s.end, str(s.style)) for s in cut.spans] == [
        (1, 3, "color(1)")
    ]


@pytest.mark.parametrize("cut", range(1, 40))
def test_fed_in_chunks_it_draws_what_it_draws_whole(cut: int) -> None:
    output = "ep \x1b[1;31m1\x1b[0m\r\n\x1b]0;title\x07 10%\r\x1b]2;t\x1b\\100%\x1b[2K\rok\b!\r\n"
    screen = TerminalText()
    for start in range(0, len(output), cut):
        screen.feed(output[start : start + cut])
    whole = terminal_text(output)
    assert screen.text().plain == whole.plain == "ep 1\no!"
    assert screen.text().spans == whole.spans


def test_an_unended_escape_does_not_hold_back_the_output_for_ever() -> None:
    """An OSC that never ends would swallow the rest of a terminal's output; here what follows a
    long run of it is shown again, so a stray ``ESC ]`` cannot hide a whole run's output."""
    screen = TerminalText()
    screen.feed("before \x1b]")
    for _ in range(100):
        screen.feed("x" * 100)
    assert screen.text().plain.startswith("before ]xxx")


def console() -> Console:
    return Console(width=100, file=io.StringIO(), record=True, color_system="truecolor")


def test_the_cli_draws_output_as_the_run_panel_does() -> None:
    out = console()
    result = FakeResult(
        stdout="\x1b]0;pwned\x07epoch 1\r\nepoch 2\r\n",
        stderr="  0%\r100%\r",
        status="error",
        error=FakeError("ValueError", "bad \x1b[2Jinput", "Traceback\r\n  line 1\r\n", line=1),
    )
    render(result, "en", out)
    shown = out.export_text()
    assert "epoch 1" in shown and "epoch 2" in shown and "pwned" not in shown
    assert "100%" in shown and "0%" not in shown.replace("100%", "")
    assert "Traceback" in shown and "line 1" in shown
    assert "bad input" in shown
    assert "\x1b" not in out.export_text(styles=False)


LINES = "ep \x1b[1;31m1\x1b[0m\r\n\n10%\r100%\n\x1b[32mgreen\nand on\x1b[0m\n" + "x" * 12 + "\n"


@pytest.mark.parametrize("limit", [None, *range(0, len(LINES) + 2)])
def test_lines_are_the_text_line_by_line(limit: int | None) -> None:
    """``lines(limit)`` joined is ``text(limit)``, styles and all, and says whether the limit
    left any of it out."""
    screen = TerminalText("yellow")
    screen.feed(LINES)
    lines, more = screen.lines(limit)
    whole = screen.text(limit)
    console = Console(width=100, color_system="truecolor")
    assert "\n".join(line.plain for line in lines) == whole.plain
    expected = whole.split(allow_blank=True) if whole.plain else []
    assert [list(line.render(console)) for line in lines] == [
        list(line.render(console)) for line in expected
    ]
    assert more == (len(screen.text().plain) > (limit if limit is not None else 10**9))


def test_lines_not_written_again_come_back_as_the_same_objects() -> None:
    """What lets a viewer re-wrap only what changed: a ``\\r`` rewrite makes a new last line,
    a new line a new one after it; the lines above are the same ``Text`` objects."""
    screen = TerminalText()
    screen.feed("epoch 1\nepoch 2\n  0%")
    first, _ = screen.lines()
    screen.feed("\r 50%")
    second, _ = screen.lines()
    assert [a is b for a, b in zip(first, second, strict=True)] == [True, True, False]
    assert second[-1].plain == " 50%"
    screen.feed("\n\x1b[1A\x1b[2Kdone\nnext")  # up a line, erase it, write: that row changes
    third, _ = screen.lines()
    assert [line.plain for line in third] == ["epoch 1", "epoch 2", "done", "next"]
    assert third[0] is second[0] and third[1] is second[1] and third[2] is not second[2]
