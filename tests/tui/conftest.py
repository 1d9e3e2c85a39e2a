"""Shared pieces for the TUI tests: a fixed deck folder, a temp data dir, a scripted sandbox."""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import io
import re
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rich.color import Color
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.color import Color as ThemeColor
from textual.command import CommandList, CommandPalette
from textual.filter import dim_color
from textual.geometry import Region
from textual.widget import Widget

from tutor.app import TutorApp
from tutor.config import TutorConfig
from tutor.theme_styles import READABLE, contrast
from tutor.widgets.code_view import CodeView

FIXTURES = Path(__file__).parent / "fixtures"
DECKS = FIXTURES / "decks"
BROKEN = FIXTURES / "broken"

SIZE = (100, 40)
"""The terminal the contrast tests draw in (and most other pilot tests)."""


@dataclass
class FakeError:
    type: str
    message: str
    traceback: str = ""
    line: int | None = None
    code: str | None = None  # the sandbox's own errors: worded from the catalog with params
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class FakeCheck:
    passed: bool
    message: str = ""


@dataclass
class FakeResult:
    """Mirrors ``sandbox.RunResult``'s fields, so these tests need neither torch nor the sandbox."""

    status: str = "ok"
    stdout: str = ""
    stderr: str = ""
    value: str | None = None
    error: FakeError | None = None
    trace: list[dict[str, Any]] = field(default_factory=list)
    trace_warnings: list[dict[str, Any]] = field(default_factory=list)
    trace_truncated: bool = False
    device: str = "cpu"
    duration_s: float = 0.012
    output_truncated: bool = False
    check: FakeCheck | None = None


HANG = object()


class FakeSandbox:
    """Answers runs from a script: ``handler(code, **options)`` returns (or returns an awaitable
    of) a FakeResult, a real RunResult, or HANG."""

    def __init__(self, handler: Callable[..., Any]) -> None:
        self.handler = handler
        self.calls: list[dict[str, Any]] = []
        self._stop: asyncio.Event | None = None
        self._owner: Any = None

    async def run(
        self,
        code: str,
        device: str = "auto",
        timeout: Any = None,
        trace: Any = False,
        check: str | None = None,
        *,
        on_output: Any = None,
        on_start: Any = None,
        owner: Any = None,
    ) -> FakeResult:
        if on_start is not None:
            on_start()
        self.calls.append({"code": code, "device": device, "trace": trace, "check": check})
        result = self.handler(code, device=device, trace=trace, check=check)
        if inspect.isawaitable(result):
            result = await result
        if result is HANG:
            if on_output is not None:
                on_output("stdout", "working...\n")
            self._stop, self._owner = asyncio.Event(), owner
            await self._stop.wait()
            self._stop = self._owner = None
            return FakeResult(status="cancelled", stdout="working...\n", duration_s=0.5)
        if on_output is not None and result.stdout:
            on_output("stdout", result.stdout)
        return result

    busy = False  # runs at once (see OneAtATime for one that waits its turn)

    def cancel(self, owner: Any = None) -> bool:
        if self._stop is None or (owner is not None and owner is not self._owner):
            return False
        self._stop.set()
        return True

    async def cuda_available(self) -> bool:
        return False

    async def close(self) -> None:
        pass


def real_runs(box: Any) -> Callable[..., Any]:
    """A FakeSandbox handler that runs the code for real in ``box`` (a blocking ``Sandbox``).

    Only the duration is pinned, so a frame shows no timing that changes between runs; always
    on CPU, so a machine with a GPU draws the same frames.
    """

    async def run(code: str, *, check: str | None = None, trace: Any = False, **_: Any) -> Any:
        result = await asyncio.to_thread(box.run, code, "cpu", None, trace, check)
        return dataclasses.replace(result, duration_s=FakeResult.duration_s)

    return run


@pytest.fixture(scope="session")
def real_sandbox() -> Iterator[Callable[[], FakeSandbox]]:
    """Makes app sandboxes running real torch; one warm worker serves the whole session."""
    from sandbox import Sandbox

    with Sandbox(timeout_s=30) as box:
        yield lambda: FakeSandbox(real_runs(box))


TRACE = [
    {
        "phase": "forward",
        "module": "",
        "type": "Linear",
        "shape": [4, 2],
        "dtype": "float32",
        "device": "cpu",
        "mean": 0.1,
        "std": 0.5,
        "min": -0.9,
        "max": 1.2,
        "norm": 2.0,
        "zero_frac": 0.0,
        "has_nan": False,
        "has_inf": False,
    },
    {
        "phase": "backward",
        "module": "",
        "type": "Linear",
        "shape": [4, 2],
        "dtype": "float32",
        "device": "cpu",
        "mean": 1.0,
        "std": 0.0,
        "min": 1.0,
        "max": 1.0,
        "norm": 2.83,
        "zero_frac": 0.0,
        "has_nan": False,
        "has_inf": False,
    },
]


BIAS_LEFT = {"en": "layer still has a bias", "zh": "layer 还带着偏置"}  # the fixture's check says


def scripted(code: str, *, check: str | None = None, **_: Any) -> Any:
    """A plausible sandbox for the fixture deck."""
    if "while True" in code:
        return HANG
    if check is not None:
        if "bias=False" in code:
            return FakeResult(check=FakeCheck(True, ""))
        return FakeResult(check=FakeCheck(False, BIAS_LEFT))
    if "print(nn.Linear(3, 2)(torch.randn(4, 3)).shape)" in code:
        return FakeResult(stdout="torch.Size([4, 2])\n")
    if "boom" in code:
        return FakeResult(
            status="error",
            error=FakeError(
                "NameError", "name 'boom' is not defined", "line 2, in <snippet>", line=2
            ),
        )
    return FakeResult(stdout="weight (2, 3)\n", value="torch.Size([4, 2])", trace=TRACE)


def make_config(tmp_path: Path, lang: str = "en", decks: list[Path] | None = None) -> TutorConfig:
    return TutorConfig.resolve(data_dir=tmp_path / "data", decks=decks or [DECKS], lang=lang)


def make_app(
    tmp_path: Path,
    lang: str = "en",
    *,
    sandbox: Any = "fake",  # "fake" (scripted), "real" (the app starts one), or a sandbox
    learning: Any = None,
    decks: list[Path] | None = None,
    **kwargs: Any,
) -> TutorApp:
    app = TutorApp(
        make_config(tmp_path, lang, decks),
        autostart_sandbox=sandbox == "real",
        open_learning=learning is True,
        **kwargs,
    )
    if learning is not None and learning is not True:
        app.set_reactive(TutorApp.learning, learning)
    if sandbox == "fake":
        sandbox = FakeSandbox(scripted)
    if sandbox != "real":
        app.sandbox = sandbox
        app.cuda = False
    return app


async def wait_for(pilot: Any, condition: Callable[[], bool], tries: int = 400) -> None:
    """Poll ``condition``; once it holds, let the app settle.

    The settling matters: a screen pushed while the test slept queues its Header's title
    callbacks on the app, which runs them on its next message. A real terminal always sends
    one (a key, a resize); a test that ended here would tear the screen down first.
    """
    for _ in range(tries):
        if condition():
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never became true")


async def from_palette(pilot: Any, query: str) -> None:
    """Open the palette, search for ``query`` and take the best hit. (Lessons count from 0:
    "Lesson 0" is the fixture's basics, "Lesson 1" the next one, which builds on it.)"""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: CommandPalette.is_open(app))
    await take_in_palette(pilot, query)
    await wait_for(pilot, lambda: not CommandPalette.is_open(app))
    await pilot.pause()


async def take_in_palette(pilot: Any, query: str) -> None:
    """In the palette open now, search for ``query`` and take the best hit."""
    app = pilot.app
    await pilot.press(*query)
    await wait_for(
        pilot,
        lambda: (
            isinstance(app.screen, CommandPalette)
            and app.screen.query_one(CommandList).highlighted is not None
        ),
    )
    await pilot.pause(0.2)  # the search settles on its best hit
    await pilot.press("enter")


async def ready(pilot: Any) -> None:
    await wait_for(pilot, lambda: pilot.app.library is not None)
    await pilot.pause()


async def themed(pilot: Any, theme: str) -> None:
    """Once the decks are in, switch the app to ``theme`` and let it redraw in its colours:
    where the contrast tests start measuring. Most of what they measure reads on the default
    theme too, so a theme never set would pass unseen: the check says it took."""
    await ready(pilot)
    pilot.app.theme = theme
    await pilot.pause()
    assert pilot.app.current_theme.name == theme, (theme, pilot.app.current_theme.name)


async def open_exercise(pilot: Any, step_id: str) -> Any:
    """Open the lesson holding the exercise ``step_id`` at it; its step's view."""
    from tutor.widgets.step_exercise import ExerciseStepView

    app = pilot.app
    await ready(pilot)
    lesson = next(
        lesson
        for lesson in app.library.lessons
        if any(getattr(step, "id", None) == step_id for step in lesson.steps)
    )
    app.open_lesson(lesson.id, step=[getattr(s, "id", None) for s in lesson.steps].index(step_id))
    await wait_for(pilot, lambda: bool(app.screen.query(ExerciseStepView)))
    return app.screen.query_one(ExerciseStepView)


async def check_exercise(pilot: Any, view: Any, code: str) -> str:
    """Check ``code`` as the learner does (ctrl+r in the editor); what the feedback says."""
    from textual.widgets import Static, TextArea

    editor = view.query_one(TextArea)
    editor.load_text(code)
    editor.focus()
    await pilot.pause()
    attempts = view.state.get("attempts", 0)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: view.state.get("attempts", 0) > attempts, tries=2000)
    return text_of(view.query_one(".feedback", Static))


async def sandbox_settled(pilot: Any) -> None:
    """Wait until the sandbox screen's run has ended as the learner sees it: its output area
    no longer following the end and its value or error scrolled into view (after the next
    refreshes)."""
    await wait_for(pilot, lambda: not pilot.app.screen.query_one("#sb-output").following)
    await pilot.pause()
    await pilot.pause()


async def traced_in_sandbox(pilot: Any, code: str = "model(x)") -> Any:
    """Run ``code`` in a new sandbox screen with the trace on; its trace view, once settled."""
    from tutor.screens.sandbox_screen import SandboxScreen
    from tutor.widgets.trace_view import TraceView

    app = pilot.app
    await ready(pilot)
    await app.push_screen(SandboxScreen(code=code))
    await pilot.press("ctrl+t", "ctrl+r")
    await wait_for(pilot, lambda: bool(app.screen.query(TraceView)))
    await sandbox_settled(pilot)
    return app.screen.query_one(TraceView)


def text_of(widget: Any) -> str:
    """The plain text a Static, Markdown or run output shows."""
    from textual.widgets import Markdown, Static

    from tutor.widgets.output_view import OutputView

    if isinstance(widget, Markdown):
        return widget.source
    if isinstance(widget, OutputView):
        return widget.text.plain
    if isinstance(widget, Static):
        return plain(widget.content)
    return ""


async def open_with_key(pilot: Any, key: str, screen: type) -> Any:
    """From home, once the decks are in: press ``key`` and wait for ``screen`` to open."""
    await ready(pilot)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, screen))
    return pilot.app.screen


async def start_bug_hunt_demo(pilot: Any) -> Any:
    """Open Bug Hunt, answer any line (the demo is offered after a verdict), start its demo run
    and wait until it is working; the screen."""
    from tutor.screens.bug_hunt import BugHuntScreen

    screen = await open_with_key(pilot, "b", BugHuntScreen)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: "working..." in screen_text(pilot.app))
    return screen


async def run_code_step(pilot: Any) -> Any:
    """The lesson shown moved on to its second step (a code step in the fixture decks) and run;
    its run panel, once the run is going."""
    from tutor.screens.lesson import LessonScreen
    from tutor.widgets.run_panel import RunPanel

    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
    await pilot.press("right")
    await pilot.pause()
    await pilot.press("r")
    panel = app.screen.query_one(RunPanel)
    await wait_for(pilot, lambda: panel.has_class("-running"))
    return panel


class PanelApp(App[None]):
    """Just a run panel, in English (``lang`` is what the panel reads, as the app's)."""

    lang = "en"

    def compose(self) -> ComposeResult:
        from tutor.widgets.run_panel import RunPanel

        yield RunPanel()


@pytest.fixture
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every streamed chunk is drawn at once, so a test sees each step."""
    from tutor.widgets.run_panel import RunPanel

    monkeypatch.setattr(RunPanel, "OUTPUT_REFRESH_S", 0)


def plain(renderable: Any) -> str:
    """The text of a string, a Rich Text, or any Rich renderable (a table, say)."""
    if isinstance(renderable, str):
        return renderable
    if hasattr(renderable, "plain"):
        return renderable.plain
    from rich.console import Console

    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def drawn(app: Any) -> str:
    """The screen's rows as drawn: what the learner sees, not what lies below the fold."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def unwrapped(text: str, lang: str) -> str:
    """``text`` read across the rows it wraps onto, for finding a phrase in it (undo the phrase
    the same way). An English row breaks at a space, so each break reads as one space; a Chinese
    row breaks between any two characters, so a space put there would split a word: breaks and
    spaces both go."""
    return (" " if lang == "en" else "").join(text.split())


def colours(widget: Any, segment: Segment) -> tuple[ThemeColor, ThemeColor]:
    """A segment's text and background colours as the terminal shows them (the contrast tests'
    measure): ANSI and "default" colours mapped as the app maps them for its theme, the theme's
    background where it has none, reversed where it is, a dim one blended as Textual blends it."""
    app = widget.app
    terminal = app.ansi_theme
    style = segment.style
    assert style is not None and style.color is not None, segment
    fg = style.color.get_truecolor(terminal, foreground=True)
    bg = (style.bgcolor or Color.parse(app.current_theme.background)).get_truecolor(
        terminal, foreground=False
    )
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = dim_color(Color.from_triplet(bg), Color.from_triplet(fg)).get_truecolor()
    return ThemeColor(*fg), ThemeColor(*bg)


def is_text(text: str) -> bool:
    """Whether a drawn piece holds text: not only a border's or a bar's glyphs (box drawing,
    block elements, the progress bar's ▰▱), graphics that need 3:1, not 4.5:1."""
    return any(not ("\u2500" <= ch <= "\u259f" or ch in "▰▱") and not ch.isspace() for ch in text)


def drawn_pieces(widget: Any, rows: set[int] | None = None) -> list[tuple[int, Segment]]:
    """The segments ``widget`` draws now (in ``rows`` of it, or all), as Textual hands them to
    the terminal, with the row each is on."""
    return [
        (y, segment)
        for y, strip in enumerate(widget.render_lines(widget.region.reset_offset))
        if rows is None or y in rows
        for segment in strip
        if segment.style is not None and is_text(segment.text)
    ]


def unreadable(widget: Any, what: str, rows: set[int] | None = None) -> list[str]:
    """Each piece of text ``widget`` draws below 4.5:1, named for the failure message."""
    low = []
    for y, segment in drawn_pieces(widget, rows):
        measured = contrast(*colours(widget, segment))
        if measured < READABLE:
            low.append(f"{what} row {y} {segment.text.strip()!r}: {measured:.2f}")
    return low


def low_in(widget: Any, what: str) -> list[str]:
    """What ``widget`` draws below 4.5:1, after making sure it drew text (a measure of nothing
    passes)."""
    assert widget.display and drawn_pieces(widget), what
    return unreadable(widget, what)


def feedback_low(root: Any, selector: str, what: str) -> list[str]:
    """Each piece of text the feedback (``selector`` in ``root``) draws below 4.5:1, after making
    sure it drew some: a measure of nothing passes."""
    from textual.widgets import Static

    return low_in(root.query_one(selector, Static), what)


def numbers_low(view: Widget) -> tuple[int, list[str]]:
    """How many rows ``view`` draws a line number on, and each number drawn below 4.5:1."""
    numbers = [(y, s) for y, s in drawn_pieces(view) if s.text.strip().isdigit()]
    low = [
        f"row {y} {s.text.strip()!r}: {contrast(*colours(view, s)):.2f}"
        for y, s in numbers
        if contrast(*colours(view, s)) < READABLE
    ]
    return len({y for y, _ in numbers}), low


def highlighted_rows(widget: Any) -> set[int]:
    """The rows of an option list the highlighted option takes (in the widget's own rows,
    its border's top row being 0)."""
    index = widget.highlighted
    first = widget._index_to_line[index] - round(widget.scroll_y) + widget.styles.gutter.top
    return set(range(first, first + widget._heights[index]))


def row_apart(widget: Any, ground: ThemeColor) -> float:
    """How far apart (WCAG ratio) Textual's own highlighted row of a list without focus stands
    from the other rows on ``ground``: the theme's primary colour blended in at 0.3."""
    primary = ThemeColor.parse(widget.app.get_css_variables()["primary"])
    row = ThemeColor.parse(primary.with_alpha(0.3).hex)  # its alpha in a byte, as Textual's
    return contrast(ground, ground + row)


def stands_out(widget: Any, theme: str, what: str, pattern: str = r".+") -> None:
    """A list's highlighted row still stands out: its background (under the drawn pieces that
    match ``pattern``: Bug Hunt's line numbers, whose ground is the list's own) at least as far
    from the other rows' as Textual's row without focus is. Only different was not enough: a
    row faded until its text read stood 1.11:1 from the others on solarized-light."""
    on = highlighted_rows(widget)
    grounds = {
        y: colours(widget, segment)[1]
        for y, segment in drawn_pieces(widget)
        if re.fullmatch(pattern, segment.text.strip())
    }
    picked = {grounds[y] for y in on if y in grounds}
    others = {ground for y, ground in grounds.items() if y not in on}
    assert picked and others, (theme, what, picked, others)
    for row in picked:
        for other in others:
            need = row_apart(widget, other)
            assert contrast(row, other) >= need - 0.02, (  # colours in whole bytes
                theme,
                what,
                f"row {row.hex} vs {other.hex}: {contrast(row, other):.2f}, Textual's {need:.2f}",
            )


@asynccontextmanager
async def themed_app(
    tmp_path: Path,
    theme: str,
    *,
    size: tuple[int, int] = SIZE,
    notifications: bool = False,
    **options: Any,
) -> AsyncIterator[Any]:
    """A pilot of the app (``make_app``'s ``options``) in a ``size`` terminal, its decks in and
    ``theme`` set: where a contrast test opens what it measures."""
    app = make_app(tmp_path, **options)
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await themed(pilot, theme)
        yield pilot


def toasts(app: Any) -> list[str]:
    """The text of each notification shown over the current screen (``run_test`` must be
    given ``notifications=True``)."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def screen_text(app: Any) -> str:
    """All text of the current screen's Statics, Markdowns, run outputs, option lists and
    buttons."""
    from textual.widgets import Button, Markdown, OptionList, Static

    from tutor.widgets.output_view import OutputView

    parts = []
    for widget in app.screen.query("*"):
        if not widget.display:
            continue
        if isinstance(widget, (Static, Markdown, OutputView)) and not isinstance(widget, Button):
            parts.append(text_of(widget))
        elif isinstance(widget, OptionList):
            parts.extend(plain(o.prompt) for o in widget.options)
        elif isinstance(widget, Button):
            parts.append(str(widget.label))
    return "\n".join(parts)


@pytest.fixture
def app_factory(tmp_path: Path) -> Callable[..., TutorApp]:
    def factory(lang: str = "en", **kwargs: Any) -> TutorApp:
        return make_app(tmp_path, lang, **kwargs)

    return factory


class FakeLearning:
    """Records what the UI asks the learning store to do (the real one is tested on its own)."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.positions: dict[str, int] = {}

    def __getattr__(self, name: str) -> Any:
        recorded = ("record_quiz", "record_exercise", "record_hints_taken")
        if name in (*recorded, "mark_step_seen", "introduce_card"):
            return lambda *args: self.calls.append((name, *args))
        raise AttributeError(name)

    def save_position(self, lesson_id: str, step: int) -> None:
        self.calls.append(("save_position", lesson_id, step))
        self.positions[lesson_id] = step

    def resume_step(self, lesson_id: str) -> int:
        return self.positions.get(lesson_id, 0)

    def open_checks(self, lesson_id: str) -> list[str]:
        return []

    def last_attempt(self, lesson_id: str, item_id: str) -> None:
        return None  # every step opens fresh: attempts are recorded, not kept, here

    def hints_taken(self, lesson_id: str, exercise_id: str) -> int:
        return 0  # as every step opens fresh

    def lesson_progress(self, lesson_id: str) -> dict[str, Any]:
        seen = 10 if lesson_id == "tui-basics" else 0
        return {
            "seen_steps": seen,
            "total_steps": 10 if seen else 2,
            "quiz_correct": 4,
            "quiz_total": 5,
            "mastery": 0.8 if seen else 0.0,
            "completed": bool(seen),
        }

    def due_count(self, deck_id: str | None = None) -> int:
        return 3

    def streak_days(self) -> int:
        return 4

    def next_count_change(self) -> None:
        return None  # the count above never changes by time

    def stats(self) -> dict[str, Any]:
        return {}

    def close(self) -> None:
        pass

    def named(self, name: str) -> list[tuple[Any, ...]]:
        return [c[1:] for c in self.calls if c[0] == name]


def wrapped_line_numbers(view: CodeView) -> list[int]:
    """The lines (1-based) of ``view``'s code that it wraps, read off the drawn rows: each
    line's first row starts with its number, the rows a wrapped line goes on to have none."""
    rows = [strip.text for strip in view.render_lines(Region(0, 0, *view.outer_size))]
    wrapped: list[int] = []
    number = 0
    for row in rows:
        if re.match(rf"\s*{number + 1} ", row):
            number += 1
        elif number and number not in wrapped:
            wrapped.append(number)
    assert number == view.code.count("\n") + 1, rows  # every line was found by its number
    return wrapped
