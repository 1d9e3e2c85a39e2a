"""What Chinese line breaking costs: every text step of the shipped lessons, wrapped and parsed.

Run: python bench/bench_wrap.py [--rounds N] [--width W]

Wraps each lesson's prose (all its text steps, per language) with Rich's own word splitter and
with ``tutor.line_breaks.CJK_WORD``, and parses it with Textual's Markdown parser with and without
the east-Asian line-break rule; the variants are interleaved, and medians are printed side by side
with their ratio. English shows what text without Chinese pays for the new splitter.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from _timing import interleaved, median, print_table
from markdown_it import MarkdownIt
from rich import _wrap
from rich.console import Console
from rich.text import Text

from tutor.decks import DeckLoader
from tutor.i18n import localize
from tutor.line_breaks import CJK_WORD, east_asian_markdown
from tutor.paths import default_deck_paths

RICH_WORD = re.compile(r"\s*\S+\s*")


def lesson_prose(lang: str) -> list[str]:
    """The body of every text step of the shipped lessons, in ``lang``."""
    with tempfile.TemporaryDirectory() as tmp:
        library = DeckLoader(default_deck_paths(Path(tmp) / "home")).load()
    return [
        localize(step.body, lang)
        for lesson in library.lessons
        for step in lesson.steps
        if getattr(step, "body", None) is not None
    ]


def wrap_all(texts: list[str], splitter: re.Pattern[str], width: int) -> int:
    _wrap.re_word = splitter
    console = Console(width=width, file=None, color_system=None)
    return sum(len(Text(text).wrap(console, width)) for text in texts)


def parse_all(texts: list[str], parser: MarkdownIt) -> int:
    return sum(len(parser.parse(text)) for text in texts)


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("--rounds", type=int, default=20)
    options.add_argument("--width", type=int, default=76)
    args = options.parse_args()
    plain, asian = MarkdownIt("gfm-like"), east_asian_markdown()
    rows = []
    for lang in ("en", "zh"):
        texts = lesson_prose(lang)
        pairs = {
            "wrap": (
                lambda t=texts: wrap_all(t, RICH_WORD, args.width),
                lambda t=texts: wrap_all(t, CJK_WORD, args.width),
            ),
            "parse": (lambda t=texts: parse_all(t, plain), lambda t=texts: parse_all(t, asian)),
        }
        for job, (before, after) in pairs.items():
            samples = interleaved({"before": before, "after": after}, args.rounds, warmup=1)
            was, now = median(samples["before"]), median(samples["after"])
            rows.append(
                [
                    f"{lang} {job}",
                    f"{len(texts)} steps, {sum(map(len, texts)):,} chars",
                    f"{was:.2f}",
                    f"{now:.2f}",
                    f"{now / was:.2f}x",
                ]
            )
    _wrap.re_word = RICH_WORD
    print(f"lesson prose, median of {args.rounds} interleaved rounds, width {args.width}")
    print_table(["job", "text", "Rich/Textual ms", "with CJK rules ms", "ratio"], rows)


if __name__ == "__main__":
    main()
