"""What showing a code step costs: a ``CodeView`` of N lines mounted in a headless app and the
app left to lay out and paint; then one line marked (the learner's failing line) and painted.

Run: python bench/bench_code_view.py [--rounds N] [--lines N ...]

Prints median wall-clock ms of ``--rounds`` tries per line count, for the view as it is (its
highlighted code drawn once per width) and, beside it in the same run, the same view updating
with the bare ``Syntax`` (highlighted anew at every render Textual asks for, as before).
"""

from __future__ import annotations

import argparse
import asyncio
import time

from _timing import median, print_table, rotated
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from tutor.widgets.code_view import CodeView, RenderedPerWidth


class BareSyntaxView(CodeView):
    """The view before: every render of the Static highlights the whole code again."""

    def update(self, content: object = "", **kwargs: object) -> None:
        if isinstance(content, RenderedPerWidth):
            content = content.renderable
        super().update(content, **kwargs)


VIEWS: dict[str, type[CodeView]] = {"drawn once per width": CodeView, "bare Syntax": BareSyntaxView}


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield VerticalScroll()


def code(lines: int) -> str:
    return "\n".join(f"layer{i} = nn.Linear({i + 1}, {i + 2})  # layer {i}" for i in range(lines))


async def mount_and_mark_ms(view_type: type[CodeView], text: str) -> tuple[float, float]:
    """Ms from mounting the view to the next idle moment, and from marking line 3 to the next."""
    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        view = view_type(text)
        await app.query_one(VerticalScroll).mount(view)
        await pilot.pause()
        mounted = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        view.error_line = 3
        await pilot.pause()
        return mounted, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lines", type=int, nargs="*", default=[20, 500])
    args = parser.parse_args()
    rows = []
    for lines in args.lines:
        text = code(lines)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in VIEWS}
        for r in range(args.rounds):
            for name in rotated(list(VIEWS), r):
                samples[name].append(asyncio.run(mount_and_mark_ms(VIEWS[name], text)))
        for name, runs in samples.items():
            rows.append(
                (
                    f"{lines} lines, {name}",
                    f"{median([m for m, _ in runs]):.1f}",
                    f"{median([k for _, k in runs]):.1f}",
                )
            )
    print_table(("code view", "mount ms (median)", "mark ms (median)"), rows)


if __name__ == "__main__":
    main()
