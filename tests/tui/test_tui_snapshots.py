"""Every screen of the TUI, in English and Chinese, as SVG snapshots (pytest-textual-snapshot).

Frames are deterministic: fixture decks, a fixed learning store for the home screen, seeded game
rounds, and real sandbox runs whose duration is pinned (see ``real_runs``); cursors do not
blink. Review and Stats have their own snapshots under ``tests/learning``.

Regenerate after an intended change of the UI with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.command import CommandList
from textual.widgets import Input, TextArea

from tutor import torch_version
from tutor.screens.bug_hunt import BugHuntScreen
from tutor.screens.help import HelpScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.problems import ProblemsScreen
from tutor.screens.sandbox_screen import SandboxScreen
from tutor.screens.shape_guesser import ShapeGuesserScreen
from tutor.widgets.run_panel import RunPanel

from .conftest import (
    BROKEN,
    DECKS,
    FIXTURES,
    FakeLearning,
    make_app,
    open_with_key,
    ready,
    sandbox_settled,
    wait_for,
)

SIZE = (100, 36)
SIZES = {
    "lesson-code-run": (100, 46),  # the code, its output and the whole trace table
    "lesson-code-narrow": (60, 36),  # the footer leaves out keys rather than cut one
}
LANGS = ("en", "zh")
SEED = 7  # a game round whose code fits the frame
CI_TORCH = "2.13.0"

SEEDED_SNIPPET = """\
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
x = torch.randn(3, 4)
print("params:", sum(p.numel() for p in model.parameters()))
model(x).sum().backward()
model(x).shape
"""

Scenario = Callable[[Any], Awaitable[None]]


def idle(pilot: Any) -> Callable[[], bool]:
    """True once no run is in progress on the current screen."""
    return lambda: not any(p.has_class("-running") for p in pilot.app.screen.query(RunPanel))


async def at_step(pilot: Any, step: int) -> LessonScreen:
    await ready(pilot)
    pilot.app.open_lesson("tui-basics", step=step)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    return pilot.app.screen


async def after_run(pilot: Any, keys: tuple[str, ...], shown: Callable[[], bool]) -> None:
    """Press ``keys`` to start a run, then wait until it is over and ``shown`` holds."""
    await pilot.press(*keys)
    await wait_for(pilot, lambda: idle(pilot)() and shown())


def step(index: int) -> Scenario:
    async def scenario(pilot: Any) -> None:
        await at_step(pilot, index)

    return scenario


async def home(pilot: Any) -> None:
    await ready(pilot)
    await wait_for(pilot, lambda: pilot.app.screen.streak is not None)


async def code_after_run(pilot: Any) -> None:
    await at_step(pilot, 1)
    await after_run(pilot, ("r",), lambda: pilot.app.screen.query("TraceView"))


async def single_wrong(pilot: Any) -> None:
    await at_step(pilot, 2)
    await pilot.press("1", "enter")
    await wait_for(pilot, lambda: pilot.app.screen.query(".feedback.-wrong"))


async def predict_revealed(pilot: Any) -> None:
    await at_step(pilot, 5)
    await after_run(pilot, (*"(2, 4)", "enter"), lambda: pilot.app.screen.query(".feedback.-wrong"))


async def order_submitted(pilot: Any) -> None:
    await at_step(pilot, 6)
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen.query(".feedback.-wrong"))


async def exercise_failed_with_hint(pilot: Any) -> None:
    await at_step(pilot, 7)
    await after_run(pilot, ("ctrl+r",), lambda: pilot.app.screen.query(".feedback.-wrong"))
    await pilot.press("escape", "h")
    await wait_for(pilot, lambda: pilot.app.screen.query_one(".hints").display)


async def exercise_editing(pilot: Any) -> None:
    """The exercise as it opens, its editor focused: the hint names the keys that work there."""
    await at_step(pilot, 7)
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, TextArea))


async def sandbox_after_run(pilot: Any) -> None:
    await ready(pilot)
    await pilot.app.push_screen(SandboxScreen(code=SEEDED_SNIPPET))
    await after_run(pilot, ("ctrl+t", "ctrl+r"), lambda: pilot.app.screen.query("TraceView"))
    await sandbox_settled(pilot)  # the frame the learner is left with


async def your_sandbox(pilot: Any) -> None:
    """``s`` from home: the sandbox that keeps its code (ctrl+s, ctrl+n in the footer)."""
    await open_with_key(pilot, "s", SandboxScreen)


async def help_on_home(pilot: Any) -> None:
    await ready(pilot)
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))


async def problems(pilot: Any) -> None:
    await ready(pilot)
    await pilot.press("x")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ProblemsScreen))


async def palette(pilot: Any) -> None:
    await ready(pilot)
    await pilot.press("ctrl+p")
    lessons = len(pilot.app.library.lessons)
    await wait_for(
        pilot, lambda: pilot.app.screen.query_one(CommandList).option_count >= 9 + lessons
    )


async def shape_guesser(pilot: Any) -> None:
    await ready(pilot)
    screen = ShapeGuesserScreen(seed=SEED)
    await pilot.app.push_screen(screen)
    await after_run(pilot, (*"(1, 1)", "enter"), lambda: screen.verdict is not None)
    await settled_verdict(pilot, screen)


async def settled_verdict(pilot: Any, screen: Any) -> None:
    """A game's verdict as it stays: "Next round" takes the focus a moment after it (see
    ``GameScreen.NEXT_AFTER_S``), so a frame taken within that moment drew it otherwise."""
    await wait_for(pilot, lambda: pilot.app.focused is screen.query_one("#next"))


async def bug_hunt(pilot: Any) -> None:
    await ready(pilot)
    screen = BugHuntScreen(seed=SEED)
    await pilot.app.push_screen(screen)
    wrong = next(n for n in range(1, 20) if not screen.puzzle.check(n))
    await pilot.press(*["down"] * (wrong - 1), "enter")
    await wait_for(pilot, lambda: screen.verdict is not None)
    await settled_verdict(pilot, screen)


SCENARIOS: dict[str, Scenario] = {
    "home": home,
    "lesson-text": step(0),
    "lesson-code-run": code_after_run,
    "lesson-code-narrow": step(1),
    "lesson-single-wrong": single_wrong,
    "lesson-predict-revealed": predict_revealed,
    "lesson-order-submitted": order_submitted,
    "lesson-exercise-failed-hint": exercise_failed_with_hint,
    "lesson-exercise-editing": exercise_editing,
    "lesson-card": step(8),
    "lesson-recap": step(9),
    "sandbox-run": sandbox_after_run,
    "sandbox-yours": your_sandbox,
    "help": help_on_home,
    "problems": problems,
    "palette": palette,
    "shape-guesser": shape_guesser,
    "bug-hunt": bug_hunt,
}


async def still(pilot: Any) -> None:
    """Stop cursors blinking, so the frame does not depend on when it is taken."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, (Input, TextArea)):
            widget.cursor_blink = False
        if isinstance(widget, TextArea):
            # A TextArea caches its lines under a key that reads the same for "blinked off" and
            # "not blinking": a line last drawn in the off phase would stay cursorless. Drop the
            # cache, so a focused editor always shows its cursor.
            widget.notify_style_update()
            widget.refresh()
    await pilot.pause()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_screen_snapshot(
    snap_compare, tmp_path, monkeypatch, real_sandbox, name: str, lang: str
) -> None:
    # The fixture card needs torch 2.5: whatever torch runs the tests, the frame shows no note.
    monkeypatch.setattr(torch_version, "installed_torch", lambda: CI_TORCH)
    app = make_app(
        tmp_path,
        lang,
        sandbox=real_sandbox(),
        learning=FakeLearning() if name == "home" else None,
        decks=[DECKS, BROKEN] if name == "problems" else None,
    )

    async def run_before(pilot: Any) -> None:
        await SCENARIOS[name](pilot)
        await still(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZES.get(name, SIZE))


class PartWayLearning(FakeLearning):
    """A learner part-way through the fixture's basics lesson (at step 4 of 10), which Continue
    shows: its title is wider than the side panel's row at 80 columns."""

    def __init__(self) -> None:
        super().__init__()
        self.positions["tui-basics"] = 3

    def lesson_progress(self, lesson_id: str) -> dict[str, Any]:
        progress = super().lesson_progress(lesson_id)
        if lesson_id == "tui-basics":
            progress.update(seen_steps=4, mastery=0.4, completed=False)
        return progress


def test_home_at_80_columns_snapshot(snap_compare, tmp_path) -> None:
    """Home at 80×24: a lesson's suggested-first line cut to one row with "…", the highlighted
    lesson whole (``WHOLE_LINES_FROM``); the Continue panel's title whole, as the side panel has
    the rows for it (``SidePanels.overflows``)."""
    app = make_app(tmp_path, "en", learning=PartWayLearning())

    async def run_before(pilot: Any) -> None:
        await home(pilot)
        await still(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


@pytest.mark.parametrize("lang", LANGS)
def test_step_for_a_newer_torch_snapshot(snap_compare, tmp_path, monkeypatch, lang: str) -> None:
    """The card step needs torch 2.5; on a (faked) torch 2.2.2 a note sits above it."""
    monkeypatch.setattr(torch_version, "installed_torch", lambda: "2.2.2")
    app = make_app(tmp_path, lang)

    async def run_before(pilot: Any) -> None:
        await at_step(pilot, 8)
        await still(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


@pytest.mark.parametrize("lang", LANGS)
def test_code_step_meant_to_fail_snapshot(
    snap_compare, tmp_path, monkeypatch, real_sandbox, lang: str
) -> None:
    """A code step with ``raises: RuntimeError`` that raises it: the status line says the error
    is meant, and the error is not drawn as a failure."""
    monkeypatch.setattr(torch_version, "installed_torch", lambda: CI_TORCH)
    app = make_app(tmp_path, lang, sandbox=real_sandbox(), decks=[FIXTURES / "raises"])

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.open_lesson("tui-raises", step=0)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
        await wait_for(pilot, lambda: pilot.app.focused is not None)
        await after_run(pilot, ("r",), lambda: pilot.app.screen.query(".-meant-to-fail"))
        await still(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
