"""A code step's run, ended at 80×24: its status line and as much of its output and value as fit
come into view, as a QA walk found them below the fold (lesson 01 step 2: "✅ Done", the printed
shapes and "⟹ True" under the buttons, the step's scroll still at 0). Not over a learner who
scrolled elsewhere while it ran: they are left where they went."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll

from tutor.widgets.run_panel import RunPanel

from .conftest import FakeResult, FakeSandbox, drawn, make_app, wait_for
from .test_tui_review_fixes_steps import open_lesson

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
SIZE = (80, 24)
TWO_SPELLINGS = 1  # lesson 01's "Same maths, two spellings": its run ends below the buttons
SHORT = (80, 21)
"""A terminal on which the step itself scrolls, its buttons below the code (at 80×24 it fits
since the lesson's title takes one header row): for a learner who scrolls away and back."""


async def ran(pilot: Any, panel: RunPanel) -> None:
    """Press r and wait until the run has ended as the learner sees it (the refreshes after)."""
    await pilot.press("r")
    await wait_for(pilot, lambda: panel.result is not None, tries=3000)
    for _ in range(3):
        await pilot.pause()


async def test_a_runs_end_comes_into_view(tmp_path, real_sandbox):
    app = make_app(tmp_path, sandbox=real_sandbox(), decks=[LESSONS])
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "what-is-nn", TWO_SPELLINGS)
        panel = screen.query_one(RunPanel)
        await ran(pilot, panel)
        shown = drawn(app)
        assert panel.result.status == "ok", panel.result
        assert "Done" in shown, shown  # the status line
        assert "torch.Size([2, 3]) torch.Size([2, 3])" in shown, shown  # what it printed
        assert "⟹ True" in shown, shown  # its value


@asynccontextmanager
async def slow_step(
    tmp_path: Path, lang: str = "en", size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[Any, Any, RunPanel, asyncio.Event]]:
    """The step opened at ``size`` (80×24) in ``lang``, its sandbox's run ending once the event
    given is set, as it would have: the pilot, the lesson, the step's run panel, the event."""
    go = asyncio.Event()

    async def slow(code: str, **_: Any) -> FakeResult:
        await go.wait()
        return FakeResult(stdout="torch.Size([2, 3]) torch.Size([2, 3])\n", value="True")

    app = make_app(tmp_path, lang, sandbox=FakeSandbox(slow), decks=[LESSONS])
    async with app.run_test(size=size) as pilot:
        screen = await open_lesson(pilot, "what-is-nn", TWO_SPELLINGS)
        yield pilot, screen, screen.query_one(RunPanel), go


async def scrolled(pilot: Any, scroll: VerticalScroll, to: str) -> None:
    """The learner scrolls the step to its ``"home"`` or ``"end"``."""
    getattr(scroll, f"scroll_{to}")(animate=False, immediate=True)
    await pilot.pause()


async def run_ended(pilot: Any, panel: RunPanel, go: asyncio.Event) -> None:
    """Let the run going end; wait until it has, as the learner sees it."""
    go.set()
    await wait_for(pilot, lambda: panel.result is not None)
    for _ in range(3):
        await pilot.pause()


async def test_a_learner_who_scrolled_to_the_run_sees_its_end(tmp_path):
    """Scrolled down to the status line while the run went: its end shows below it too."""
    async with slow_step(tmp_path) as (pilot, screen, panel, go):
        await pilot.press("r")
        await wait_for(pilot, lambda: panel.has_class("-running"))
        await scrolled(pilot, screen.query_one("#step-scroll", VerticalScroll), "end")
        await run_ended(pilot, panel, go)
        shown = drawn(pilot.app)
        assert "Done" in shown and "⟹ True" in shown, shown


async def test_a_learner_who_scrolled_elsewhere_meanwhile_stays_there(tmp_path):
    """Scrolled back up to the code while the run went: its end does not pull them down."""
    async with slow_step(tmp_path, size=SHORT) as (pilot, screen, panel, go):
        scroll = screen.query_one("#step-scroll", VerticalScroll)
        await scrolled(pilot, scroll, "end")  # down to the buttons, to press Run
        assert scroll.scroll_y > 0
        await pilot.press("r")
        await wait_for(pilot, lambda: panel.has_class("-running"))
        await scrolled(pilot, scroll, "home")  # back up, to read the code again
        await run_ended(pilot, panel, go)
        assert scroll.scroll_y == 0
        assert "Done" not in drawn(pilot.app)


async def ended_in_rebuilt_step(
    pilot: Any, screen: Any, panel: RunPanel, go: asyncio.Event
) -> None:
    """Let the run going end after F2, which rebuilds the step once it has: wait until the new
    step's panel shows it, as the learner sees it."""
    go.set()
    await wait_for(
        pilot,
        lambda: (shown := screen.query_one(RunPanel)) is not panel and shown.result is not None,
    )
    for _ in range(3):
        await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_f2_as_the_run_goes_still_brings_its_end_into_view(tmp_path, lang):
    """F2 while the run went: the step is rebuilt in the other language once the run has
    ended, and its new panel comes into view (the old one, scrolled to, was gone)."""
    async with slow_step(tmp_path, lang) as (pilot, screen, panel, go):
        await pilot.press("r")
        await wait_for(pilot, lambda: panel.has_class("-running"))
        await pilot.press("f2")
        await pilot.pause()
        await ended_in_rebuilt_step(pilot, screen, panel, go)
        shown = drawn(pilot.app)
        assert "torch.Size([2, 3]) torch.Size([2, 3])" in shown and "⟹ True" in shown, shown


async def test_f2_as_the_run_goes_leaves_one_who_scrolled_elsewhere_there(tmp_path):
    async with slow_step(tmp_path, size=SHORT) as (pilot, screen, panel, go):
        scroll = screen.query_one("#step-scroll", VerticalScroll)
        await scrolled(pilot, scroll, "end")
        await pilot.press("r")
        await wait_for(pilot, lambda: panel.has_class("-running"))
        await scrolled(pilot, scroll, "home")
        await pilot.press("f2")
        await pilot.pause()
        await ended_in_rebuilt_step(pilot, screen, panel, go)
        assert scroll.scroll_y == 0
        assert "⟹ True" not in drawn(pilot.app)
