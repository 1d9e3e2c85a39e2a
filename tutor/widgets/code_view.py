"""Highlighted, line-numbered code; one line can be marked (the learner's failing line)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.syntax import Syntax
from textual.reactive import reactive
from textual.widgets import Static

from tutor.decks.code_comments import localize_comments
from tutor.theme_styles import app_styles, syntax_theme


class RenderedPerWidth:
    """A renderable drawn once per width: Textual renders a Static's content to measure its
    height and again to draw it (four times as a code step opens, twice per marked line), and
    Rich's Syntax highlights every line on each render (a 500-line step took 0.1 s a render)."""

    def __init__(self, renderable: Syntax) -> None:
        self.renderable = renderable
        self._lines: dict[int, list[Segment]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        segments = self._lines.get(options.max_width)
        if segments is None:
            segments = list(console.render(self.renderable, options))
            self._lines[options.max_width] = segments
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


class NumberedSyntax(Syntax):
    """Rich's ``Syntax`` with its line numbers in ``numbers`` (a style), not its own: on a
    transparent ground (the code view's) Rich draws them dim, and Textual blends dim text
    toward the ground, below 4.5:1 on tokyo-night and the light themes. A marked line's number
    is kept as Rich draws it (in the body text)."""

    def __init__(self, code: str, lexer: str, *, numbers: str, **kwargs: Any) -> None:
        super().__init__(code, lexer, **kwargs)
        self.numbers = Style.parse(numbers)

    def _get_number_styles(self, console: Console) -> tuple[Style, Style, Style]:
        # Rich's one place for the numbers' styles (background, number, marked line's number)
        background, _, marked = super()._get_number_styles(console)
        return background, self.numbers, marked


class CodeView(Static):
    """Python code with line numbers. Set ``error_line`` (1-based) to mark a line in red."""

    DEFAULT_CSS = """
    CodeView {
        height: auto;
        background: $boost;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    """

    error_line: reactive[int | None] = reactive(None)

    def __init__(self, code: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.code = code.rstrip("\n")

    def on_mount(self) -> None:
        self._render_code()

    def lang_changed(self) -> None:
        """Comments follow a language switch (the app tells every node in its screens)."""
        self._render_code()

    def theme_changed(self) -> None:
        """Highlighting follows a theme change: dark code styles vanish on a light theme."""
        self._render_code()

    def watch_error_line(self) -> None:
        self._render_code()

    def set_code(self, code: str) -> None:
        self.code = code.rstrip("\n")
        self._render_code()

    def _render_code(self) -> None:
        line = self.error_line
        lines = self.code.count("\n") + 1
        marked = {line} if line and 1 <= line <= lines else set()
        styles = app_styles(self.app)
        syntax = NumberedSyntax(
            localize_comments(self.code, getattr(self.app, "lang", "en")),
            "python",
            numbers=styles.line_numbers,
            theme=syntax_theme(styles),
            line_numbers=True,
            word_wrap=True,
            highlight_lines=marked,
            background_color="default",
        )
        for number in marked:
            syntax.stylize_range(styles.error_line, (number, 0), (number + 1, 0))
        self.update(RenderedPerWidth(syntax))
