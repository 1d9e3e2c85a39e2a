"""A CodeView highlights its code once per width, however often Textual renders it."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from rich.console import Console
from rich.syntax import Syntax
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from tutor.widgets.code_view import CodeView

CODE = "\n".join(f"layer{i} = nn.Linear({i + 1}, {i + 2})  # layer {i}" for i in range(120))


class CodeApp(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield CodeView(CODE)


@pytest.fixture
def syntax_widths(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """The width of every Syntax render (each highlights every line of the code)."""
    widths: Counter[int] = Counter()
    render = Syntax.__rich_console__

    def counted(self: Syntax, console: Console, options: Any) -> Any:
        widths[options.max_width] += 1
        return render(self, console, options)

    monkeypatch.setattr(Syntax, "__rich_console__", counted)
    return widths


async def test_opening_and_marking_a_line_highlight_once_per_width(
    syntax_widths: Counter[int],
) -> None:
    async with CodeApp().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert syntax_widths and max(syntax_widths.values()) == 1, syntax_widths
        syntax_widths.clear()
        view = pilot.app.query_one(CodeView)
        view.error_line = 3
        await pilot.pause()
        assert max(syntax_widths.values()) == 1, syntax_widths
        lines = [strip.text for strip in view.render_lines(view.region.reset_offset)]
        assert lines[2].split()[:3] == ["❱", "3", "layer2"]  # the marked line, drawn anew
        assert "❱" not in lines[1]


async def test_a_new_width_is_highlighted_anew(syntax_widths: Counter[int]) -> None:
    async with CodeApp().run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = pilot.app.query_one(CodeView)
        await pilot.resize_terminal(40, 30)
        await pilot.pause()
        narrow = max(view.content_size.width, 1)
        # word_wrap: a long line now takes two rows, so the height was measured at the new width
        assert view.content_size.height > 120
        assert narrow in syntax_widths
