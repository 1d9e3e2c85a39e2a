"""The home screen's lesson summary: clamped to its lines with "…", never cut mid-word.

``#lesson-summary`` has room for five lines; at 80×24 a long summary needs more. It ends in "…"
after a whole word (a whole character in Chinese), the "⏎ open" hint still shows below it, and it
clamps again when the terminal is resized. At a large size the whole summary shows.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.widgets import Static

from tutor.i18n import tr
from tutor.line_breaks import install as install_line_breaks
from tutor.widgets.clamped_text import ELLIPSIS, ClampedText, clamp_lines

from .conftest import make_app, ready

SMALL = (80, 24)
LARGE = (160, 50)

SUMMARY = {
    "en": (
        "Open an nn.Module and look at its organs: the _parameters, _buffers and _modules "
        "registries, the __setattr__ that fills them, what super().__init__() really does, the "
        "__call__ pipeline around forward, and how children(), modules() and named_* walk the "
        "tree."
    ),
    "zh": (
        "打开一个 nn.Module，看看它的“内脏”：_parameters、_buffers、_modules 三个注册表，"
        "负责填充它们的 __setattr__，super().__init__() 究竟做了什么，包在 forward 外面的 "
        "__call__ 流水线，以及 children()、modules() 和 named_* 如何遍历模块树。"
    ),
}

DECK = f"""\
format: 1
kind: lesson
id: long-summary
title: {{en: "A lesson with a long summary", zh: "摘要很长的一课"}}
summary:
  en: "{SUMMARY["en"]}"
  zh: "{SUMMARY["zh"]}"
minutes: 5
steps:
  - type: text
    body: {{en: "Hello.", zh: "你好。"}}
"""


def _deck(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir(exist_ok=True)
    (folder / "long.yaml").write_text(DECK, encoding="utf-8")
    return folder


def shown_lines(widget: Any) -> list[str]:
    """The lines a widget draws at its current size, as text."""
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


def squeeze(text: str) -> str:
    """Without spaces: a wrapped line break may stand where a space was, or where none was."""
    return re.sub(r"\s+", "", text)


def assert_clamped(lines: list[str], summary: str, lang: str) -> None:
    """The lines end in "…" and, before it, show a start of the summary ending on a whole word."""
    assert lines and lines[-1].endswith(ELLIPSIS), lines
    assert sum(line.count(ELLIPSIS) for line in lines) == 1
    shown = " ".join(lines)[: -len(ELLIPSIS)]
    assert summary.startswith(shown.rstrip(",;: ")) or squeeze(summary).startswith(squeeze(shown))
    rest = squeeze(summary)[len(squeeze(shown)) :]
    assert rest, "a clamped summary hides something"
    if lang == "en":  # the hidden rest begins a new word: nothing of a word shows half
        cut = len(shown.rstrip())
        assert summary[:cut] == shown.rstrip() and summary[cut] in " ,;:", (shown, summary[cut:])


async def _summary(pilot: Any) -> tuple[ClampedText, Static]:
    await ready(pilot)
    await pilot.pause()
    screen = pilot.app.screen
    return screen.query_one("#lesson-summary", ClampedText), screen.query_one(
        "#lesson-hint", Static
    )


# --------------------------------------------------------------------------------- the screen


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_long_summary_ends_in_ellipsis_at_80x24(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[_deck(tmp_path)])
    async with app.run_test(size=SMALL) as pilot:
        summary, hint = await _summary(pilot)
        assert summary.size.height == 5 and summary.clamped
        lines = shown_lines(summary)
        assert_clamped(lines, SUMMARY[lang], lang)
        assert all(Content(line).cell_length <= summary.size.width for line in lines)
        assert hint.display and tr("home.open_hint", lang) in str(hint.render())


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_whole_summary_shows_at_a_large_size(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[_deck(tmp_path)])
    async with app.run_test(size=LARGE) as pilot:
        summary, _hint = await _summary(pilot)
        lines = shown_lines(summary)
        assert not summary.clamped
        assert not any(ELLIPSIS in line for line in lines)
        assert squeeze("".join(lines)) == squeeze(SUMMARY[lang])


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_resizing_clamps_again(tmp_path: Path, lang: str) -> None:
    app = make_app(tmp_path, lang, decks=[_deck(tmp_path)])
    async with app.run_test(size=LARGE) as pilot:
        summary, _hint = await _summary(pilot)
        assert not summary.clamped

        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert summary.clamped
        small = shown_lines(summary)
        assert_clamped(small, SUMMARY[lang], lang)

        await pilot.resize_terminal(70, 24)  # narrower still: fewer words fit in five lines
        await pilot.pause()
        narrower = shown_lines(summary)
        assert_clamped(narrower, SUMMARY[lang], lang)
        assert len(squeeze("".join(narrower))) < len(squeeze("".join(small)))

        await pilot.resize_terminal(*LARGE)
        await pilot.pause()
        assert not summary.clamped
        assert squeeze("".join(shown_lines(summary))) == squeeze(SUMMARY[lang])


async def test_short_summary_is_untouched(tmp_path: Path) -> None:
    app = make_app(tmp_path, "en")  # the fixture decks: one-line summaries
    async with app.run_test(size=SMALL) as pilot:
        summary, hint = await _summary(pilot)
        assert shown_lines(summary) == ["Every step kind on one tiny layer."]
        assert hint.display


# ------------------------------------------------------------------------------ clamp_lines


def plains(lines: list[Content]) -> list[str]:
    return [line.plain for line in lines]


def cells(lines: list[Content]) -> list[int]:
    return [line.cell_length for line in lines]


def test_text_that_fits_exactly_has_no_ellipsis() -> None:
    text = Content("aaaa bbbb cccc dddd")
    assert plains(clamp_lines(text, 9, 2)) == ["aaaa bbbb", "cccc dddd"]
    assert plains(clamp_lines(text, 9, 3)) == ["aaaa bbbb", "cccc dddd"]


def test_ellipsis_follows_a_whole_word() -> None:
    text = Content("aaaa bbbb cccc dddd")
    assert plains(clamp_lines(text, 9, 1)) == ["aaaa…"]  # "bbbb" fills the line: no room
    assert plains(clamp_lines(text, 10, 1)) == ["aaaa bbbb…"]  # room for it after "bbbb"


def test_dangling_punctuation_goes_before_the_ellipsis() -> None:
    assert plains(clamp_lines(Content("hello, world again"), 7, 1)) == ["hello…"]


def test_a_single_long_word_is_folded_then_clamped() -> None:
    lines = clamp_lines(Content("x" * 25), 10, 2)
    assert plains(lines) == ["x" * 10, "x" * 9 + ELLIPSIS]
    assert cells(lines) == [10, 10]


def test_wide_characters_count_as_two_cells() -> None:
    install_line_breaks()  # as the app does: Chinese breaks between any two characters
    text = Content("一二三四五六七八九十" * 2)
    even = clamp_lines(text, 10, 2)  # five characters a line; the ellipsis pushes one out
    assert plains(even) == ["一二三四五", "六七八九" + ELLIPSIS] and cells(even) == [10, 9]
    odd = clamp_lines(text, 11, 2)  # one cell spare: room for the ellipsis
    assert plains(odd) == ["一二三四五", "六七八九十" + ELLIPSIS] and cells(odd) == [10, 11]
    exact = clamp_lines(Content("一二三四五六七八九十"), 10, 2)  # fits exactly: no ellipsis
    assert plains(exact) == ["一二三四五", "六七八九十"]


def test_mixed_chinese_ends_after_a_whole_code_word() -> None:
    install_line_breaks()
    lines = clamp_lines(Content("包在 forward 外面的 __call__ 流水线"), 14, 1)
    assert plains(lines) == ["包在 forward…"]


def test_clamps_to_the_paragraph_not_a_blank_line() -> None:
    assert plains(clamp_lines(Content("a b\n\nc d e f"), 3, 2)) == ["a…"]


def test_nothing_fits_in_no_room() -> None:
    assert clamp_lines(Content("abc"), 0, 3) == []
    assert clamp_lines(Content("abc"), 3, 0) == []
    assert plains(clamp_lines(Content("ab cd"), 1, 1)) == [ELLIPSIS]


def test_style_carries_onto_the_ellipsis() -> None:
    text = Content.styled("aaaa bbbb cccc", "bold")
    (line,) = clamp_lines(text, 9, 1)
    assert line.plain == "aaaa…"
    assert any(span.start <= 4 < span.end for span in line.spans)
